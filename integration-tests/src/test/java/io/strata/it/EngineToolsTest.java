package io.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage and query engines' tools, run from the distribution (OSGi host) on the shared test data. */
class EngineToolsTest {
    @TempDir
    Path work;

    private static Path testdata() {
        Path p = Path.of(System.getProperty("strata.testdata", "missing"));
        assertTrue(Files.isDirectory(p), "shared test data not found at " + p + " (../shared/testdata beside the repository)");
        return p;
    }

    @Test
    void tsdbDumpOfAGoldenBlockIsByteIdenticalToPromtool() throws Exception {
        Path golden = testdata().resolve("tsdb-golden/golden1");
        Path block;
        try (Stream<Path> s = Files.list(golden)) {
            block = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        StrataProcess.Result r = StrataProcess.exec(work, "tools", "tsdb", "dump", block.getParent().toString());
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(Files.readString(golden.resolve("promtool-dump.txt")), r.stdout());
    }

    @Test
    void importOpenMetricsWritesBlocksPromtoolDumpsTheSame() throws Exception {
        Path golden = testdata().resolve("tsdb-golden/golden2");
        Path out = work.resolve("blocks");
        StrataProcess.Result imp = StrataProcess.exec(work, "tools", "tsdb", "import-openmetrics",
                golden.resolve("input.om").toString(), out.toString());
        assertEquals(0, imp.exitCode(), imp.output());
        StrataProcess.Result dump = StrataProcess.exec(work, "tools", "tsdb", "dump", out.toString());
        assertEquals(0, dump.exitCode(), dump.output());
        assertEquals(Files.readString(golden.resolve("promtool-dump.txt")), dump.stdout());
    }

    @Test
    void promqlTestToolRunsATestFile() throws Exception {
        Path file = work.resolve("mine.test");
        Files.writeString(file, """
                load 1m
                  http_requests{job="api"} 0+10x10
                  http_requests{job="db"} 0+5x10

                eval instant at 10m sum(rate(http_requests[5m]))
                  {} 0.25

                eval instant at 10m http_requests{job="api"}
                  http_requests{job="api"} 100
                """);
        StrataProcess.Result r = StrataProcess.exec(work, "tools", "promql-test", file.toString());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.stdout().trim().endsWith("2 passed, 0 failed, 0 skipped"), r.output());

        Files.writeString(file, "load 1m\n  x 1\n\neval instant at 0m x\n  x 2\n");
        StrataProcess.Result failing = StrataProcess.exec(work, "tools", "promql-test", file.toString());
        assertEquals(1, failing.exitCode(), failing.output());
        assertTrue(failing.stdout().trim().endsWith("0 passed, 1 failed, 0 skipped"), failing.output());
    }
}
