package io.strata.plugin.tsdb.chunks;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** A reusable list of one series' encoded chunks: time range, encoding and data bytes. */
public final class EncodedChunks {
    private long[] minTimes;
    private long[] maxTimes;
    private int[] encodings;
    private ByteBuffer[] data;
    private int size;

    public EncodedChunks() {
        this(8);
    }

    /** A list with room for {@code capacity} chunks before it grows. */
    public EncodedChunks(int capacity) {
        int n = Math.max(1, capacity);
        minTimes = new long[n];
        maxTimes = new long[n];
        encodings = new int[n];
        data = new ByteBuffer[n];
    }

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
