package io.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/configuration.md covers every key of every reference.conf: it is generated, and must be current. */
class ConfigurationDocsTest {
    @Test
    void configurationReferenceIsUpToDate(@TempDir Path tmp) throws Exception {
        Path root = Path.of(System.getProperty("strata.repo.root"));
        Path generated = tmp.resolve("configuration.md");
        Process p = new ProcessBuilder("bash", root.resolve("docs/generate-configuration.sh").toString(), generated.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), out);
        assertEquals(Files.readString(generated), Files.readString(root.resolve("docs/configuration.md")),
                "docs/configuration.md is stale: run docs/generate-configuration.sh");
    }
}
