package io.strata.plugin.tsdb.head;

import io.strata.api.labels.Labels;
import io.strata.api.storage.AppendException;
import io.strata.plugin.tsdb.chunkenc.XorChunkBuilder;
import java.io.IOException;
import java.util.Arrays;

/**
 * One series in the head: memory-mapped full chunks, the open chunk being appended to, and an
 * optional buffer of out-of-order samples. Guarded by its own monitor.
 */
final class MemSeries {
    /** Appended as expected. */
    static final int APPENDED = 0;
    /** Same timestamp and identical value: dropped silently, as Prometheus does. */
    static final int DUPLICATE_IGNORED = 1;
    /** Stored in the out-of-order buffer. */
    static final int OUT_OF_ORDER_STORED = 2;

    private static final long[] NO_CHUNKS = new long[0];
    /** First capacity of the open chunk's buffer; it grows by half, and each cut resizes it after the chunk cut. */
    static final int OPEN_CHUNK_CAPACITY = 32;

    final long ref;
    final Labels labels;

    /** Memory-mapped chunks: min time, max time, ref; allocated at the first cut. */
    long[] mmMin = NO_CHUNKS;
    long[] mmMax = NO_CHUNKS;
    long[] mmRef = NO_CHUNKS;
    int mmCount;

    XorChunkBuilder open;
    long nextAt = Long.MIN_VALUE;
    long lastT = Long.MIN_VALUE;
    long lastVBits;

    long[] oooT;
    double[] oooV;
    int oooN;

    MemSeries(long ref, Labels labels) {
        this.ref = ref;
        this.labels = labels;
    }

    boolean isEmpty() {
        return mmCount == 0 && (open == null || open.numSamples() == 0) && oooN == 0;
    }

    long minTime() {
        long m = Long.MAX_VALUE;
        if (mmCount > 0) {
            m = mmMin[0];
        } else if (open != null && open.numSamples() > 0) {
            m = open.minTime();
        }
        if (oooN > 0) {
            m = Math.min(m, oooT[0]);
        }
        return m;
    }

    /** Checks a sample against committed state; throws the Prometheus error when it would be refused. */
    void checkAppendable(long t, double v, long oooWindow, long headMaxTime) {
        if (lastT == Long.MIN_VALUE || t > lastT) {
            return;
        }
        if (t == lastT) {
            if (Double.doubleToRawLongBits(v) != lastVBits) {
                throw new AppendException(AppendException.Reason.DUPLICATE_SAMPLE, "series " + labels + " at " + t);
            }
            return;
        }
        if (oooWindow > 0) {
            if (t >= headMaxTime - oooWindow) {
                return;
            }
            throw new AppendException(AppendException.Reason.TOO_OLD, "series " + labels + " at " + t);
        }
        throw new AppendException(AppendException.Reason.OUT_OF_ORDER, "series " + labels + " at " + t + ", last " + lastT);
    }

    /**
     * Appends a committed sample, cutting chunks as Prometheus does; returns APPENDED,
     * DUPLICATE_IGNORED or OUT_OF_ORDER_STORED, or -1 when refused.
     */
    int append(long t, double v, long chunkRange, int samplesPerChunk, long oooWindow, long headMaxTime, boolean belowMinValid,
               HeadChunkStore store) throws IOException {
        if (belowMinValid && oooWindow > 0 && t != lastT) {
            if (t < headMaxTime - oooWindow) {
                return -1;
            }
            insertOutOfOrder(t, v);
            return OUT_OF_ORDER_STORED;
        }
        if (lastT != Long.MIN_VALUE && t <= lastT) {
            if (t == lastT) {
                return Double.doubleToRawLongBits(v) == lastVBits ? DUPLICATE_IGNORED : -1;
            }
            if (oooWindow > 0 && t >= headMaxTime - oooWindow) {
                insertOutOfOrder(t, v);
                return OUT_OF_ORDER_STORED;
            }
            return -1;
        }
        if (open == null) {
            open = new XorChunkBuilder(OPEN_CHUNK_CAPACITY);
        }
        int n = open.numSamples();
        if (n == 0) {
            nextAt = rangeEnd(t, chunkRange);
        } else {
            if (n == samplesPerChunk / 4) {
                nextAt = chunkEnd(open.minTime(), open.maxTime(), nextAt);
            }
            if (t >= nextAt || n >= samplesPerChunk * 2) {
                cut(store);
                nextAt = rangeEnd(t, chunkRange);
            }
        }
        open.append(t, v);
        lastT = t;
        lastVBits = Double.doubleToRawLongBits(v);
        return APPENDED;
    }

    static long rangeEnd(long t, long chunkRange) {
        return (t / chunkRange) * chunkRange + chunkRange;
    }

    /** Prometheus's estimate of where the current chunk should end so chunks fill evenly. */
    static long chunkEnd(long start, long cur, long max) {
        long n = (max - start) / ((cur - start + 1) * 4);
        if (n <= 1) {
            return max;
        }
        return start + (max - start) / n;
    }

    /** Moves the open chunk to the memory-mapped store. */
    void cut(HeadChunkStore store) throws IOException {
        if (open == null || open.numSamples() == 0) {
            return;
        }
        long r = store.write(ref, open.minTime(), open.maxTime(), 1, open.array(), open.length());
        if (mmCount == mmRef.length) {
            int m = Math.max(2, mmCount * 2);
            mmMin = Arrays.copyOf(mmMin, m);
            mmMax = Arrays.copyOf(mmMax, m);
            mmRef = Arrays.copyOf(mmRef, m);
        }
        mmMin[mmCount] = open.minTime();
        mmMax[mmCount] = open.maxTime();
        mmRef[mmCount] = r;
        mmCount++;
        // The next chunk is sized after this one (plus an eighth, plus the 32 bytes an append keeps
        // free), so in steady state it neither grows nor holds much slack.
        int len = open.length();
        open.reset(len + (len >>> 3) + 32);
    }

    private void insertOutOfOrder(long t, double v) {
        if (oooT == null) {
            oooT = new long[8];
            oooV = new double[8];
        }
        int i = Arrays.binarySearch(oooT, 0, oooN, t);
        if (i >= 0) {
            oooV[i] = v; // the latest write for a timestamp wins in the buffer
            return;
        }
        i = -i - 1;
        if (oooN == oooT.length) {
            oooT = Arrays.copyOf(oooT, oooN * 2);
            oooV = Arrays.copyOf(oooV, oooN * 2);
        }
        System.arraycopy(oooT, i, oooT, i + 1, oooN - i);
        System.arraycopy(oooV, i, oooV, i + 1, oooN - i);
        oooT[i] = t;
        oooV[i] = v;
        oooN++;
    }

    /** Drops data entirely before {@code mint}; returns true when nothing is left. */
    boolean truncateBefore(long mint) {
        int k = 0;
        for (int i = 0; i < mmCount; i++) {
            if (mmMax[i] >= mint) {
                mmMin[k] = mmMin[i];
                mmMax[k] = mmMax[i];
                mmRef[k] = mmRef[i];
                k++;
            }
        }
        mmCount = k;
        if (open != null && open.numSamples() > 0 && open.maxTime() < mint) {
            open.reset();
        }
        if (oooN > 0) {
            int j = 0;
            for (int i = 0; i < oooN; i++) {
                if (oooT[i] >= mint) {
                    oooT[j] = oooT[i];
                    oooV[j] = oooV[i];
                    j++;
                }
            }
            oooN = j;
        }
        return isEmpty();
    }
}
