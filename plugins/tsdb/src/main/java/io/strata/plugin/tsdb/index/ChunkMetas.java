package io.strata.plugin.tsdb.index;

import java.util.Arrays;

/** A reusable list of chunk metadata (min time, max time, reference) in primitive arrays. */
public final class ChunkMetas {
    private long[] minTimes = new long[8];
    private long[] maxTimes = new long[8];
    private long[] refs = new long[8];
    private int size;

    public void clear() {
        size = 0;
    }

    public void add(long minTime, long maxTime, long ref) {
        if (size == refs.length) {
            int n = size * 2;
            minTimes = Arrays.copyOf(minTimes, n);
            maxTimes = Arrays.copyOf(maxTimes, n);
            refs = Arrays.copyOf(refs, n);
        }
        minTimes[size] = minTime;
        maxTimes[size] = maxTime;
        refs[size] = ref;
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

    public long ref(int i) {
        return refs[i];
    }

    public void setRef(int i, long ref) {
        refs[i] = ref;
    }
}
