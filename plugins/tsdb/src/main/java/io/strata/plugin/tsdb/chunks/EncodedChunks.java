package io.strata.plugin.tsdb.chunks;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** A reusable list of one series' encoded chunks: time range, encoding and data bytes. */
public final class EncodedChunks {
    private long[] minTimes = new long[8];
    private long[] maxTimes = new long[8];
    private int[] encodings = new int[8];
    private ByteBuffer[] data = new ByteBuffer[8];
    private int size;

    public void clear() {
        Arrays.fill(data, 0, size, null);
        size = 0;
    }

    public void add(long minTime, long maxTime, int encoding, ByteBuffer bytes) {
        if (size == data.length) {
            int n = size * 2;
            minTimes = Arrays.copyOf(minTimes, n);
            maxTimes = Arrays.copyOf(maxTimes, n);
            encodings = Arrays.copyOf(encodings, n);
            data = Arrays.copyOf(data, n);
        }
        minTimes[size] = minTime;
        maxTimes[size] = maxTime;
        encodings[size] = encoding;
        data[size] = bytes;
        size++;
    }

    public int size() {
        return size;
    }

    public long minTime(int i) {
        return minTimes[i];
    }

    public long maxTime(int i) {
        return maxTimes[i];
    }

    public int encoding(int i) {
        return encodings[i];
    }

    /** The chunk data (position to limit). */
    public ByteBuffer data(int i) {
        return data[i];
    }
}
