package io.strata.plugin.tsdb.querier;

import io.strata.api.labels.Labels;
import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkSeries;
import io.strata.plugin.tsdb.chunkenc.XorChunkBuilder;
import io.strata.plugin.tsdb.chunkenc.XorIterator;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One series present in several sources. Chunks that do not overlap pass through unchanged;
 * overlapping groups are decoded, merged with duplicate timestamps dropped (the first source wins)
 * and re-encoded into chunks of at most {@link #MAX_SAMPLES_PER_CHUNK} samples.
 */
public final class MergedChunkSeries implements ChunkSeries {
    public static final int MAX_SAMPLES_PER_CHUNK = 120;
    private final Labels labels;
    private final List<ChunkSeries> parts;

    public MergedChunkSeries(Labels labels, List<ChunkSeries> parts) {
        this.labels = labels;
        this.parts = List.copyOf(parts);
    }

    @Override
    public Labels labels() {
        return labels;
    }

    private record Chunk(long minTime, long maxTime, int encoding, ByteBuffer bytes, int source) {
    }

    @Override
    public ChunkIterator chunks(ChunkIterator reuse) {
        List<Chunk> all = new ArrayList<>();
        for (int s = 0; s < parts.size(); s++) {
            ChunkIterator it = parts.get(s).chunks(null);
            while (it.next()) {
                all.add(new Chunk(it.minTime(), it.maxTime(), it.encoding(), it.bytes(), s));
            }
        }
        all.sort(Comparator.comparingLong(Chunk::minTime).thenComparingInt(Chunk::source));
        List<Chunk> out = new ArrayList<>(all.size());
        int i = 0;
        while (i < all.size()) {
            int j = i + 1;
            long end = all.get(i).maxTime;
            while (j < all.size() && all.get(j).minTime <= end) {
                end = Math.max(end, all.get(j).maxTime);
                j++;
            }
            if (j == i + 1) {
                out.add(all.get(i));
            } else {
                mergeGroup(all.subList(i, j), out);
            }
            i = j;
        }
        return new ChunkIterator() {
            private int k = -1;

            @Override
            public boolean next() {
                if (k < out.size()) {
                    k++;
                }
                return k < out.size();
            }

            @Override
            public long minTime() {
                return out.get(k).minTime;
            }

            @Override
            public long maxTime() {
                return out.get(k).maxTime;
            }

            @Override
            public int encoding() {
                return out.get(k).encoding;
            }

            @Override
            public ByteBuffer bytes() {
                return out.get(k).bytes.duplicate();
            }
        };
    }

    private static void mergeGroup(List<Chunk> group, List<Chunk> out) {
        // Sources sorted by (minTime, source): a chain merge over per-chunk iterators.
        List<Chunk> ordered = new ArrayList<>(group);
        ordered.sort(Comparator.comparingInt(Chunk::source).thenComparingLong(Chunk::minTime));
        XorIterator[] its = new XorIterator[ordered.size()];
        boolean[] live = new boolean[its.length];
        for (int k = 0; k < its.length; k++) {
            its[k] = new XorIterator(ordered.get(k).bytes.duplicate());
            live[k] = its[k].next();
        }
        XorChunkBuilder b = new XorChunkBuilder();
        long last = Long.MIN_VALUE;
        boolean any = false;
        while (true) {
            int best = -1;
            for (int k = 0; k < its.length; k++) {
                if (live[k] && (best < 0 || its[k].atT() < its[best].atT())) {
                    best = k;
                }
            }
            if (best < 0) {
                break;
            }
            long t = its[best].atT();
            if (!any || t != last) {
                if (b.numSamples() == MAX_SAMPLES_PER_CHUNK) {
                    out.add(new Chunk(b.minTime(), b.maxTime(), ChunkIterator.ENCODING_XOR, ByteBuffer.wrap(b.toByteArray()), 0));
                    b = new XorChunkBuilder();
                }
                b.append(t, its[best].atV());
                last = t;
                any = true;
            }
            live[best] = its[best].next();
        }
        if (b.numSamples() > 0) {
            out.add(new Chunk(b.minTime(), b.maxTime(), ChunkIterator.ENCODING_XOR, ByteBuffer.wrap(b.toByteArray()), 0));
        }
    }
}
