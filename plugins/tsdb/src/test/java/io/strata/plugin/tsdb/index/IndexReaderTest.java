package io.strata.plugin.tsdb.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.plugin.tsdb.CorruptionException;
import io.strata.plugin.tsdb.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexReaderTest {
    private static IndexReader golden1() throws Exception {
        return IndexReader.open(TestData.goldenBlock("golden1").resolve("index"));
    }

    @Test
    void readsGolden1SymbolsSeriesAndPostings() throws Exception {
        IndexReader r = golden1();
        assertEquals(9, r.symbolCount());
        assertEquals("", r.symbol(0));
        assertEquals(List.of("__name__", "code", "job"), r.labelNames());
        assertEquals(List.of("http_requests_total", "up"), r.labelValues("__name__"));
        assertArrayEquals(new long[]{5, 7, 9}, PostingsLists.toArray(r.allPostings()));
        ChunkMetas c = new ChunkMetas();
        Labels l = r.series(5, c);
        assertEquals(Labels.of("__name__", "http_requests_total", "code", "200", "job", "api"), l);
        assertEquals(1, c.size());
        assertEquals(7200000, c.minTime(0));
        assertEquals(7230000, c.maxTime(0));
        assertEquals(8, c.ref(0));
        r.series(7, c);
        assertEquals(35, c.ref(0));
    }

    private static long[] select(IndexReader r, Matcher... ms) {
        return PostingsLists.toArray(PostingsForMatchers.select(r, ms));
    }

    @Test
    void matchersFollowPrometheusSemantics() throws Exception {
        IndexReader r = golden1();
        assertArrayEquals(new long[]{5, 7}, select(r, Matcher.equal("__name__", "http_requests_total")));
        assertArrayEquals(new long[]{7, 9}, select(r, Matcher.notEqual("code", "200")));
        assertArrayEquals(new long[]{5, 7}, select(r, Matcher.regex("code", "2..|5..")));
        assertArrayEquals(new long[]{5, 7}, select(r, Matcher.regex("__name__", "http.*")));
        assertArrayEquals(new long[]{9}, select(r, Matcher.notRegex("__name__", "http.*")));
        assertArrayEquals(new long[]{9}, select(r, Matcher.equal("code", "")));
        assertArrayEquals(new long[]{5, 7}, select(r, Matcher.notEqual("code", "")));
        assertArrayEquals(new long[]{5, 7, 9}, select(r, Matcher.regex("code", ".*")));
        assertArrayEquals(new long[]{5, 9}, select(r, Matcher.regex("code", "|200")));
        assertArrayEquals(new long[]{5, 7, 9}, select(r, Matcher.regex("nope", ".*")));
        assertArrayEquals(new long[]{}, select(r, Matcher.regex("nope", ".+")));
        assertArrayEquals(new long[]{7}, select(r, Matcher.equal("job", "api"), Matcher.regex("code", "5.*"), Matcher.notEqual("__name__", "up")));
        assertArrayEquals(new long[]{5, 7, 9}, select(r, Matcher.notEqual("job", "x")));
        assertArrayEquals(new long[]{}, select(r, Matcher.equal("job", "x")));
    }

    @Test
    void rejectsBadMagicAndChecksumNamingFileAndOffset(@TempDir Path dir) throws Exception {
        byte[] b = Files.readAllBytes(TestData.goldenBlock("golden1").resolve("index"));
        Path bad = dir.resolve("index");
        byte[] c = b.clone();
        c[0] = 0;
        Files.write(bad, c);
        CorruptionException e = assertThrows(CorruptionException.class, () -> IndexReader.open(bad));
        assertTrue(e.getMessage().contains("magic") && e.getMessage().contains(bad.toString()), e.getMessage());
        c = b.clone();
        c[20] ^= 1; // inside the symbol table
        Files.write(bad, c);
        e = assertThrows(CorruptionException.class, () -> IndexReader.open(bad));
        assertTrue(e.getMessage().contains("symbol table: checksum mismatch"), e.getMessage());
        assertEquals(9, e.offset());
        c = b.clone();
        c[c.length - 10] ^= 1; // TOC
        Files.write(bad, c);
        e = assertThrows(CorruptionException.class, () -> IndexReader.open(bad));
        assertTrue(e.getMessage().contains("TOC"), e.getMessage());
    }
}
