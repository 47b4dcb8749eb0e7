package io.strata.plugin.tsdb.querier;

import io.strata.api.labels.Labels;
import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkSeries;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A series whose chunks are known by time range and a reference resolved to bytes on demand (a block
 * chunk reference, a head chunk, or bytes held in memory).
 */
public final class ListChunkSeries implements ChunkSeries {
    private final Labels labels;
    private final long[] minTimes;
    private final long[] maxTimes;
    private final long[] refs;
    private final int[] encodings;
    private final int size;
    private final ChunkResolver resolver;

    /** Turns a chunk reference into its data bytes. */
    @FunctionalInterface
    public interface ChunkResolver {
        ByteBuffer bytes(long ref, int index);
    }

    public ListChunkSeries(Labels labels, long[] minTimes, long[] maxTimes, long[] refs, int[] encodings, int size,
                           ChunkResolver resolver) {
        this.labels = labels;
        this.minTimes = minTimes;
        this.maxTimes = maxTimes;
        this.refs = refs;
        this.encodings = encodings;
        this.size = size;
        this.resolver = resolver;
    }

    /** A series over chunks held as byte buffers. */
    public static ListChunkSeries ofBuffers(Labels labels, long[] minTimes, long[] maxTimes, ByteBuffer[] data, int size) {
        int[] enc = new int[size];
        Arrays.fill(enc, ChunkIterator.ENCODING_XOR);
        long[] refs = new long[size];
        for (int i = 0; i < size; i++) {
            refs[i] = i;
        }
        ByteBuffer[] copy = Arrays.copyOf(data, size);
        return new ListChunkSeries(labels, minTimes, maxTimes, refs, enc, size, (ref, i) -> copy[i].duplicate());
    }

    @Override
    public Labels labels() {
        return labels;
    }

    public int chunkCount() {
        return size;
    }

    @Override
    public ChunkIterator chunks(ChunkIterator reuse) {
        return new ChunkIterator() {
            private int i = -1;

            @Override
            public boolean next() {
                if (i < size) {
                    i++;
                }
                return i < size;
            }

            @Override
            public long minTime() {
                return minTimes[i];
            }

            @Override
            public long maxTime() {
                return maxTimes[i];
            }

            @Override
            public int encoding() {
                return encodings[i];
            }

            @Override
            public ByteBuffer bytes() {
                return resolver.bytes(refs[i], i);
            }
        };
    }
}
