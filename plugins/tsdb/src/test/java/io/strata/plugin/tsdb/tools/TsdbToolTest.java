package io.strata.plugin.tsdb.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.plugin.tsdb.TestData;
import io.strata.plugin.tsdb.block.BlockMeta;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TsdbToolTest {
    static String run(int wantExit, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new TsdbTool().run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(wantExit, rc, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"golden1", "golden2"})
    void dumpIsByteIdenticalToPromtool(String golden) throws Exception {
        Path dir = TestData.golden(golden);
        String want = Files.readString(dir.resolve("promtool-dump.txt"));
        assertEquals(want, run(0, "dump", dir.toString()));
    }

    @Test
    void dumpFiltersByMatcherAndTime() throws Exception {
        String out = run(0, "dump", TestData.golden("golden1").toString(), "--match", "http_requests_total{code=~\"2..\"}",
                "--min-time", "7215000", "--max-time", "7230000");
        assertEquals("{__name__=\"http_requests_total\", code=\"200\", job=\"api\"} 2 7215000\n"
                + "{__name__=\"http_requests_total\", code=\"200\", job=\"api\"} 3 7230000\n", out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"golden1", "golden2"})
    void importReproducesGoldenBlock(String golden, @TempDir Path dir) throws Exception {
        Path src = TestData.goldenBlock(golden);
        String out = run(0, "import-openmetrics", TestData.golden(golden).resolve("input.om").toString(), dir.toString());
        assertTrue(out.startsWith("BLOCK ULID"), out);
        Path block;
        try (var s = Files.list(dir)) {
            List<Path> blocks = s.toList();
            assertEquals(1, blocks.size());
            block = blocks.get(0);
        }
        for (String f : new String[]{"index", "chunks/000001", "tombstones"}) {
            assertArrayEquals(Files.readAllBytes(src.resolve(f)), Files.readAllBytes(block.resolve(f)), f);
        }
        BlockMeta want = BlockMeta.read(src);
        BlockMeta got = BlockMeta.read(block);
        assertEquals(want.minTime(), got.minTime());
        assertEquals(want.maxTime(), got.maxTime());
        assertEquals(want.stats(), got.stats());
        assertEquals(1, got.compaction().level());
        assertEquals(List.of(got.ulid()), got.compaction().sources());
    }

    @Test
    void analyzeReportsCardinality() throws Exception {
        String out = run(0, "analyze", TestData.golden("golden1").toString());
        assertTrue(out.contains("Block ID: 01M84YK0MHVZFWY689HDXPM49P"), out);
        assertTrue(out.contains("Total Series: 3"), out);
        assertTrue(out.contains("Postings (unique label pairs): 5"), out);
        assertTrue(out.contains("Postings entries (total label pairs): 8"), out);
    }

    @Test
    void usageErrorsExitWith2() throws Exception {
        run(2);
        run(2, "frobnicate");
        run(2, "dump");
        run(2, "dump", "x", "--bogus", "1");
    }
}
