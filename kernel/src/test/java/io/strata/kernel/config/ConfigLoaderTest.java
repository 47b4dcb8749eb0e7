package io.strata.kernel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final Config REFERENCE = ConfigFactory.parseString("""
            strata { http.address = "0.0.0.0:10902", data-dir = "./data", bucket.directory = ${strata.data-dir}"/bucket" }
            """);

    @Test
    void precedenceIsOverridesThenFileThenReference(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("strata.conf");
        Files.writeString(file, "include \"extra.conf\"\nstrata.data-dir = /var/strata\n");
        Files.writeString(dir.resolve("extra.conf"), "strata.http.address = \"1.2.3.4:5\"\n");
        Config c = ConfigLoader.load(List.of(REFERENCE), file,
                ConfigLoader.setting("strata.http.address", "127.0.0.1:9", "command line -Dstrata.http.address"));
        assertEquals("127.0.0.1:9", c.getString("strata.http.address"));
        assertEquals("/var/strata/bucket", c.getString("strata.bucket.directory"), "substitution sees the file's value");
        Config noOverride = ConfigLoader.load(List.of(REFERENCE), file, ConfigFactory.empty());
        assertEquals("1.2.3.4:5", noOverride.getString("strata.http.address"), "include works");
    }

    @Test
    void malformedFileNamesFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "strata {\n  http.address = \"x\"\n  roles = [a,\n}\n");
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.load(List.of(REFERENCE), file, ConfigFactory.empty()));
        assertTrue(e.getMessage().contains("bad.conf"), e.getMessage());
        assertTrue(e.getMessage().matches("(?s).*bad.conf: [0-9]+.*"), e.getMessage());
    }

    @Test
    void missingFileIsAnError(@TempDir Path dir) {
        ConfigError e = assertThrows(ConfigError.class,
                () -> ConfigLoader.load(List.of(REFERENCE), dir.resolve("nope.conf"), ConfigFactory.empty()));
        assertTrue(e.getMessage().contains("nope.conf"), e.getMessage());
    }

    @Test
    void listsAndObjectsFromTheCommandLine() {
        Config c = ConfigLoader.setting("strata.roles", "[receive, query]", "cli");
        assertEquals(List.of("receive", "query"), c.getStringList("strata.roles"));
        assertEquals("a:b", ConfigLoader.setting("x", "a:b", "cli").getString("x"));
    }

    @Test
    void wrongValuesNameKeyValueAndExpectation(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("strata.conf");
        Files.writeString(file, "strata.http.address = \"localhost\"\nstrata.n = abc\n");
        Config c = ConfigLoader.load(List.of(REFERENCE), file, ConfigFactory.empty());
        ConfigError e = assertThrows(ConfigError.class, () -> Settings.address(c, "strata.http.address"));
        assertTrue(e.getMessage().contains("strata.conf: 1"), e.getMessage());
        assertTrue(e.getMessage().contains("strata.http.address = 'localhost'"), e.getMessage());
        assertTrue(e.getMessage().contains("host:port"), e.getMessage());
        ConfigError n = assertThrows(ConfigError.class, () -> Settings.integer(c, "strata.n"));
        assertTrue(n.getMessage().contains("strata.n") && n.getMessage().contains("an integer"), n.getMessage());
    }
}
