package io.strata.plugin.tsdb.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.api.labels.Labels;
import io.strata.plugin.tsdb.TestData;
import io.strata.plugin.tsdb.chunkenc.XorChunkBuilder;
import io.strata.plugin.tsdb.chunkenc.XorIterator;
import io.strata.plugin.tsdb.chunks.ChunkSegmentFormat;
import io.strata.plugin.tsdb.chunks.EncodedChunks;
import io.strata.plugin.tsdb.index.ChunkMetas;
import io.strata.plugin.tsdb.index.PostingsLists;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockWriterTest {

    /** Re-encodes every chunk of a golden block from its decoded samples and writes a new block. */
    @ParameterizedTest
    @ValueSource(strings = {"golden1", "golden2"})
    void rewritingGoldenBlockIsByteIdentical(String golden, @TempDir Path dir) throws Exception {
        Path src = TestData.goldenBlock(golden);
        try (Block b = Block.open(src)) {
            TreeSet<String> symbols = new TreeSet<>();
            List<Labels> series = new ArrayList<>();
            List<long[]> ids = new ArrayList<>();
            long[] all = PostingsLists.toArray(b.index().allPostings());
            for (long id : all) {
                Labels l = b.index().series(id, null);
                series.add(l);
                l.forEach((n, v) -> {
                    symbols.add(n);
                    symbols.add(v);
                });
            }
            String ulid = Ulid.generate();
            Path out;
            try (BlockWriter w = new BlockWriter(dir, ulid, symbols, ChunkSegmentFormat.DEFAULT_MAX_SEGMENT_SIZE)) {
                ChunkMetas metas = new ChunkMetas();
                EncodedChunks enc = new EncodedChunks();
                XorIterator it = new XorIterator();
                for (long id : all) {
                    Labels l = b.index().series(id, metas);
                    enc.clear();
                    for (int i = 0; i < metas.size(); i++) {
                        it.reset(b.chunks().chunk(metas.ref(i)));
                        XorChunkBuilder cb = new XorChunkBuilder();
                        while (it.next()) {
                            cb.append(it.atT(), it.atV());
                        }
                        enc.add(cb.minTime(), cb.maxTime(), 1, cb.bytes());
                    }
                    w.addSeries(l, enc);
                }
                out = w.commit(b.minTime(), b.maxTime(), BlockMeta.Compaction.level1(ulid), null);
            }
            assertArrayEquals(Files.readAllBytes(src.resolve("index")), Files.readAllBytes(out.resolve("index")), "index");
            assertArrayEquals(Files.readAllBytes(src.resolve("chunks/000001")), Files.readAllBytes(out.resolve("chunks/000001")), "chunks");
            assertArrayEquals(Files.readAllBytes(src.resolve("tombstones")), Files.readAllBytes(out.resolve("tombstones")), "tombstones");
            BlockMeta m = BlockMeta.read(out);
            assertEquals(b.meta().stats(), m.stats());
            assertFalse(Files.exists(dir.resolve(ulid + BlockWriter.TMP_SUFFIX)));
        }
    }

    @Test
    void metaJsonMatchesGoFormatting() throws Exception {
        Path src = TestData.goldenBlock("golden2");
        String golden = Files.readString(src.resolve("meta.json"));
        BlockMeta m = BlockMeta.read(src);
        assertEquals(golden, m.toJson());
        assertEquals(259, m.stats().numSamples());
    }

    @Test
    void thanosSectionRoundTrips(@TempDir Path dir) throws Exception {
        String ulid = Ulid.generate();
        BlockMeta m = new BlockMeta(ulid, 0, 10, new BlockMeta.Stats(5, 1, 1, 0), BlockMeta.Compaction.level1(ulid),
                new BlockMeta.Thanos(Map.of("replica", "a", "cluster", "eu<1>"), 0, "receive", List.of("000001"),
                        List.of(new BlockMeta.ThanosFile("chunks/000001", 100), new BlockMeta.ThanosFile("meta.json", 0))));
        Files.createDirectories(dir);
        m.write(dir);
        String json = Files.readString(dir.resolve("meta.json"));
        assertTrue(json.contains("\"cluster\": \"eu\\u003c1\\u003e\""), json);
        assertTrue(json.contains("\"resolution\": 0"), json);
        assertEquals(m, BlockMeta.read(dir));
    }

    @Test
    void tombstonesRoundTrip(@TempDir Path dir) throws Exception {
        Tombstones t = Tombstones.of(Map.of(5L, new long[]{10, 20, 15, 30, 40, 50}, 9L, new long[]{1, 1}));
        t.write(dir);
        Tombstones r = Tombstones.read(dir);
        assertArrayEquals(new long[]{10, 30, 40, 50}, r.get(5));
        assertArrayEquals(new long[]{1, 1}, r.get(9));
        assertEquals(3, r.count());
    }
}
