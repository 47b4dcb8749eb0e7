package io.strata.plugin.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.api.labels.Labels;
import io.strata.api.storage.Appender;
import io.strata.api.storage.StaleMarker;
import io.strata.plugin.tsdb.block.Block;
import io.strata.plugin.tsdb.tools.TsdbTool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real promtool 2.42 on blocks our writer produced. */
class PromtoolInteropTest {
    private static Path promtool;

    @BeforeAll
    static void findPromtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "promtool");
            if (Files.isExecutable(p)) {
                promtool = p;
                break;
            }
        }
        if (promtool == null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("promtool is not installed but CI=true: install the Debian prometheus package");
            }
            Assumptions.abort("promtool not found on PATH; skipping interop test (install the Debian prometheus package)");
        }
    }

    private static String exec(Path cwd, String... cmd) throws Exception {
        List<String> c = new ArrayList<>();
        c.add(promtool.toString());
        c.addAll(List.of(cmd));
        Process p = new ProcessBuilder(c).directory(cwd.toFile()).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool timed out");
        assertEquals(0, p.exitValue(), "promtool " + String.join(" ", cmd) + " failed: " + new String(err, StandardCharsets.UTF_8));
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void promtoolReadsOurBlocks(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        try (Db db = Db.open(data, DbOptions.defaults(2 * 3600 * 1000L))) {
            Appender a = db.appender();
            long[] refs = new long[30];
            for (long t = 0; t < 3 * 3600 * 1000L; t += 15000) {
                for (int s = 0; s < refs.length; s++) {
                    double v = s == 3 && t % 600000 == 0 ? StaleMarker.VALUE : (s % 5 == 0 ? t / 1000.0 : Math.sin(t + s) * 1e6);
                    refs[s] = a.append(refs[s], Labels.of("__name__", "metric_" + (s % 4), "instance", "host-" + s, "job", "j\u00e9"), t, v);
                }
            }
            a.commit();
            db.flushHead();
        }
        // Blocks only: remove the head's directories so promtool sees exactly our blocks.
        Path out = dir.resolve("blocks");
        Files.createDirectories(out.resolve("wal")); // promtool's read-only open wants a (possibly empty) WAL
        String ulid = null;
        try (var s = Files.list(data)) {
            for (Path p : s.toList()) {
                if (Files.exists(p.resolve("meta.json"))) {
                    Files.move(p, out.resolve(p.getFileName()));
                    ulid = p.getFileName().toString();
                }
            }
        }
        String theirs = exec(dir, "tsdb", "dump", out.toString());
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        assertEquals(0, new TsdbTool().run(List.of("dump", out.toString()), new PrintStream(buf, true, StandardCharsets.UTF_8), System.err));
        String ours = buf.toString(StandardCharsets.UTF_8);
        assertEquals(30 * 720, ours.lines().count());
        assertEquals(theirs, ours);
        String analysis = exec(dir, "tsdb", "analyze", "--extended", out.toString(), ulid);
        assertTrue(analysis.contains("Block ID: " + ulid), analysis);
        try (Block b = Block.open(out.resolve(ulid))) {
            assertTrue(analysis.contains("Series: " + b.meta().stats().numSeries()), analysis);
        }
    }
}
