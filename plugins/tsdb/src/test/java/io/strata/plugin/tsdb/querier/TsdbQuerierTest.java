package io.strata.plugin.tsdb.querier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.LabelHints;
import io.strata.api.storage.SampleIterator;
import io.strata.api.storage.SelectHints;
import io.strata.api.storage.Series;
import io.strata.api.storage.SeriesSet;
import io.strata.plugin.tsdb.TestData;
import io.strata.plugin.tsdb.block.Block;
import io.strata.plugin.tsdb.block.BlockMeta;
import io.strata.plugin.tsdb.block.BlockWriter;
import io.strata.plugin.tsdb.block.Tombstones;
import io.strata.plugin.tsdb.block.Ulid;
import io.strata.plugin.tsdb.chunkenc.XorChunkBuilder;
import io.strata.plugin.tsdb.chunks.ChunkSegmentFormat;
import io.strata.plugin.tsdb.chunks.EncodedChunks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsdbQuerierTest {

    static List<String> dump(SeriesSet<Series> ss) {
        List<String> out = new ArrayList<>();
        SampleIterator reuse = null;
        while (ss.next()) {
            Series s = ss.at();
            SampleIterator it = s.iterator(reuse);
            reuse = it;
            while (it.next()) {
                out.add(s.labels() + " " + it.atV() + " " + it.atT());
            }
            assertNull(it.err());
        }
        assertNull(ss.err());
        return out;
    }

    /** Writes a one-series block with the given samples. */
    static Path writeBlock(Path dir, Labels l, long[] ts, double[] vs) throws Exception {
        String ulid = Ulid.generate();
        Set<String> symbols = new java.util.HashSet<>();
        l.forEach((n, v) -> {
            symbols.add(n);
            symbols.add(v);
        });
        try (BlockWriter w = new BlockWriter(dir, ulid, symbols, ChunkSegmentFormat.DEFAULT_MAX_SEGMENT_SIZE)) {
            EncodedChunks enc = new EncodedChunks();
            XorChunkBuilder b = new XorChunkBuilder();
            for (int i = 0; i < ts.length; i++) {
                if (b.numSamples() == 2) {
                    enc.add(b.minTime(), b.maxTime(), 1, b.bytes());
                    b = new XorChunkBuilder();
                }
                b.append(ts[i], vs[i]);
            }
            enc.add(b.minTime(), b.maxTime(), 1, b.bytes());
            w.addSeries(l, enc);
            return w.commit(ts[0], ts[ts.length - 1] + 1, BlockMeta.Compaction.level1(ulid), null);
        }
    }

    @Test
    void selectsGolden2WithRangeAndMatchers() throws Exception {
        try (Block b = Block.open(TestData.goldenBlock("golden2"))) {
            TsdbQuerier q = new TsdbQuerier(List.of(new BlockSource(b)), Long.MIN_VALUE, Long.MAX_VALUE, null);
            assertEquals(259, dump(q.samples().select(true, null)).size());
            List<String> steady = dump(q.samples().select(true, SelectHints.range(7215000, 7245000), Matcher.equal("job", "x")));
            assertEquals(List.of("{__name__=\"steady_total\", job=\"x\"} 10.0 7215000", "{__name__=\"steady_total\", job=\"x\"} 20.0 7230000",
                    "{__name__=\"steady_total\", job=\"x\"} 30.0 7245000"), steady);
            SeriesSet<ChunkSeries> cs = q.chunks().select(true, SelectHints.range(10000000, 20000000), Matcher.equal("job", "x"));
            int chunks = 0;
            while (cs.next()) {
                ChunkIterator ci = cs.at().chunks(null);
                while (ci.next()) {
                    chunks++;
                }
            }
            assertEquals(2, chunks, "only the chunks overlapping the range");
            assertEquals(List.of("__name__", "case", "job"), q.labelNames(LabelHints.NONE));
            assertEquals(List.of("buckets"), q.labelValues("case", LabelHints.NONE));
            assertEquals(List.of("x"), q.labelValues("job", LabelHints.NONE, Matcher.regex("__name__", "steady.*")));
            assertEquals(List.of("dod_edge"), q.labelValues("__name__", new LabelHints(1)));
        }
    }

    @Test
    void mergesOverlappingBlocksDeduplicatingSamples(@TempDir Path dir) throws Exception {
        Labels l = Labels.of("__name__", "m", "job", "a");
        Path a = writeBlock(dir, l, new long[]{1, 2, 3, 5, 8}, new double[]{1, 2, 3, 5, 8});
        Path b = writeBlock(dir, l, new long[]{3, 4, 5, 6, 20}, new double[]{3, 4, 5, 6, 20});
        Path c = writeBlock(dir, Labels.of("__name__", "m", "job", "b"), new long[]{100}, new double[]{1});
        try (Block ba = Block.open(a); Block bb = Block.open(b); Block bc = Block.open(c)) {
            TsdbQuerier q = new TsdbQuerier(List.of(new BlockSource(ba), new BlockSource(bb), new BlockSource(bc)), 0, 1000, null);
            List<String> out = dump(q.samples().select(true, null, Matcher.equal("__name__", "m")));
            List<String> want = new ArrayList<>();
            for (long t : new long[]{1, 2, 3, 4, 5, 6, 8, 20}) {
                want.add(l + " " + (double) t + " " + t);
            }
            want.add("{__name__=\"m\", job=\"b\"} 1.0 100");
            assertEquals(want, out);
            // Seek across merged chunks.
            SeriesSet<Series> ss = q.samples().select(true, null, Matcher.equal("job", "a"));
            ss.next();
            SampleIterator it = ss.at().iterator(null);
            it.seek(7);
            assertEquals(8, it.atT());
        }
    }

    @Test
    void tombstonesHideDeletedSamples(@TempDir Path dir) throws Exception {
        Labels l = Labels.of("__name__", "m");
        Path a = writeBlock(dir, l, new long[]{1, 2, 3, 4, 5}, new double[]{1, 2, 3, 4, 5});
        long id;
        try (Block b = Block.open(a)) {
            id = io.strata.plugin.tsdb.index.PostingsLists.toArray(b.index().allPostings())[0];
        }
        Tombstones.of(Map.of(id, new long[]{2, 3})).write(a);
        try (Block b = Block.open(a)) {
            TsdbQuerier q = new TsdbQuerier(List.of(new BlockSource(b)), 0, 100, null);
            List<String> out = dump(q.samples().select(true, null));
            assertEquals(List.of(l + " 1.0 1", l + " 4.0 4", l + " 5.0 5"), out);
        }
    }
}
