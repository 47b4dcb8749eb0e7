package io.strata.plugin.tsdb.querier;

import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.SeriesSet;
import io.strata.plugin.tsdb.block.Block;
import io.strata.plugin.tsdb.block.Tombstones;
import io.strata.plugin.tsdb.chunkenc.XorChunkBuilder;
import io.strata.plugin.tsdb.chunkenc.XorIterator;
import io.strata.plugin.tsdb.index.ChunkMetas;
import io.strata.plugin.tsdb.index.IndexReader;
import io.strata.plugin.tsdb.index.Postings;
import io.strata.plugin.tsdb.index.PostingsForMatchers;
import io.strata.plugin.tsdb.internal.Utf8Order;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/** Series of one block, with deleted samples (tombstones) removed by re-encoding affected chunks. */
public final class BlockSource implements ChunkSeriesSource {
    private final Block block;

    public BlockSource(Block block) {
        this.block = block;
    }

    public Block block() {
        return block;
    }

    @Override
    public long minTime() {
        return block.minTime();
    }

    @Override
    public long maxTime() {
        return block.maxTime() - 1;
    }

    @Override
    public SeriesSet<ChunkSeries> select(long mint, long maxt, Matcher... matchers) {
        IndexReader index = block.index();
        Postings p = PostingsForMatchers.select(index, matchers);
        Tombstones tombstones = block.tombstones();
        return new SeriesSet<>() {
            private final ChunkMetas metas = new ChunkMetas();
            private ChunkSeries current;
            private Exception err;

            @Override
            public boolean next() {
                try {
                    while (p.next()) {
                        long id = p.at();
                        Labels l = index.series(id, metas);
                        long[] deleted = tombstones.get(id);
                        int n = 0;
                        long[] mins = new long[metas.size()];
                        long[] maxs = new long[metas.size()];
                        long[] refs = new long[metas.size()];
                        for (int i = 0; i < metas.size(); i++) {
                            if (metas.maxTime(i) < mint || metas.minTime(i) > maxt) {
                                continue;
                            }
                            mins[n] = metas.minTime(i);
                            maxs[n] = metas.maxTime(i);
                            refs[n] = metas.ref(i);
                            n++;
                        }
                        if (n == 0) {
                            continue;
                        }
                        current = deleted.length == 0 ? blockSeries(l, mins, maxs, refs, n) : withoutDeleted(l, mins, maxs, refs, n, deleted);
                        if (current == null) {
                            continue;
                        }
                        return true;
                    }
                    if (p.err() != null) {
                        err = p.err();
                    }
                } catch (RuntimeException e) {
                    err = e;
                }
                return false;
            }

            @Override
            public ChunkSeries at() {
                return current;
            }

            @Override
            public Exception err() {
                return err;
            }
        };
    }

    private ChunkSeries blockSeries(Labels l, long[] mins, long[] maxs, long[] refs, int n) {
        int[] enc = new int[n];
        Arrays.fill(enc, ChunkIterator.ENCODING_XOR);
        return new ListChunkSeries(l, mins, maxs, refs, enc, n, (ref, i) -> block.chunks().chunk(ref));
    }

    private ChunkSeries withoutDeleted(Labels l, long[] mins, long[] maxs, long[] refs, int n, long[] deleted) {
        List<ByteBuffer> data = new ArrayList<>();
        List<long[]> ranges = new ArrayList<>();
        XorIterator it = new XorIterator();
        for (int i = 0; i < n; i++) {
            boolean touched = false;
            for (int k = 0; k < deleted.length; k += 2) {
                if (deleted[k] <= maxs[i] && deleted[k + 1] >= mins[i]) {
                    touched = true;
                    break;
                }
            }
            ByteBuffer bytes = block.chunks().chunk(refs[i]);
            if (!touched) {
                data.add(bytes);
                ranges.add(new long[]{mins[i], maxs[i]});
                continue;
            }
            XorChunkBuilder b = new XorChunkBuilder();
            it.reset(bytes);
            while (it.next()) {
                if (!Tombstones.isDeleted(deleted, it.atT())) {
                    b.append(it.atT(), it.atV());
                }
            }
            if (b.numSamples() > 0) {
                data.add(ByteBuffer.wrap(b.toByteArray()));
                ranges.add(new long[]{b.minTime(), b.maxTime()});
            }
        }
        if (data.isEmpty()) {
            return null;
        }
        int m = data.size();
        long[] mi = new long[m];
        long[] ma = new long[m];
        for (int i = 0; i < m; i++) {
            mi[i] = ranges.get(i)[0];
            ma[i] = ranges.get(i)[1];
        }
        return ListChunkSeries.ofBuffers(l, mi, ma, data.toArray(new ByteBuffer[0]), m);
    }

    @Override
    public List<String> labelValues(String name, Matcher... matchers) {
        if (matchers.length == 0) {
            return new ArrayList<>(block.index().labelValues(name));
        }
        TreeSet<String> out = new TreeSet<>(Utf8Order.STRINGS);
        Postings p = PostingsForMatchers.select(block.index(), matchers);
        while (p.next()) {
            String v = block.index().series(p.at(), null).get(name);
            if (!v.isEmpty()) {
                out.add(v);
            }
        }
        return new ArrayList<>(out);
    }

    @Override
    public List<String> labelNames(Matcher... matchers) {
        if (matchers.length == 0) {
            return new ArrayList<>(block.index().labelNames());
        }
        TreeSet<String> out = new TreeSet<>(Utf8Order.STRINGS);
        Postings p = PostingsForMatchers.select(block.index(), matchers);
        while (p.next()) {
            block.index().series(p.at(), null).forEach((n, v) -> out.add(n));
        }
        return new ArrayList<>(out);
    }
}
