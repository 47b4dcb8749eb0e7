package io.strata.plugin.storeapi.internal;

import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.SampleIterator;
import io.strata.plugin.tsdb.chunkenc.XorIterator;

/**
 * The float samples of a series' chunks, trimmed to [minTime, maxTime]. Chunks come sorted by min
 * time; where they overlap, a sample not after the previous one is skipped. Reusable through
 * {@link #reset}; nothing is allocated per sample.
 */
public final class ChunkSampleIterator implements SampleIterator {
    private final XorIterator xor = new XorIterator();
    private ChunkIterator chunks;
    private long minTime;
    private long maxTime;
    private boolean inChunk;
    private boolean done;
    private boolean started;
    private long t;
    private double v;
    private Exception err;

    /** The chunk iterator of the last {@link #reset}, for the next series to reuse; null before the first. */
    public ChunkIterator chunks() {
        return chunks;
    }

    public ChunkSampleIterator reset(ChunkIterator chunks, long minTime, long maxTime) {
        this.chunks = chunks;
        this.minTime = minTime;
        this.maxTime = maxTime;
        this.inChunk = false;
        this.done = false;
        this.started = false;
        this.err = null;
        return this;
    }

    @Override
    public boolean next() {
        return advance(minTime);
    }

    @Override
    public boolean seek(long target) {
        if (started && !done && t >= target) {
            return true;
        }
        return advance(Math.max(target, minTime));
    }

    /** Moves to the first sample at or after {@code from} and after the current one. */
    private boolean advance(long from) {
        if (done) {
            return false;
        }
        long after = started ? t : Long.MIN_VALUE;
        while (true) {
            if (!inChunk && !nextChunk(from, after)) {
                return false;
            }
            while (xor.next()) {
                long ts = xor.atT();
                if (ts > maxTime) {
                    break;
                }
                if (ts < from || started && ts <= after) {
                    continue;
                }
                t = ts;
                v = xor.atV();
                started = true;
                return true;
            }
            if (xor.err() != null) {
                return fail(xor.err());
            }
            inChunk = false;
        }
    }

    private boolean nextChunk(long from, long after) {
        while (chunks.next()) {
            if (chunks.maxTime() < from || started && chunks.maxTime() <= after) {
                continue;
            }
            if (chunks.minTime() > maxTime) {
                break;
            }
            if (chunks.encoding() != ChunkIterator.ENCODING_XOR) {
                return fail(new IllegalStateException("chunk encoding " + chunks.encoding() + " is not supported for float samples"));
            }
            if (chunks instanceof DecodedSeries.Chunks received) {
                received.resetXor(xor);
            } else {
                xor.reset(chunks.bytes());
            }
            inChunk = true;
            return true;
        }
        if (chunks.err() != null) {
            return fail(chunks.err());
        }
        done = true;
        return false;
    }

    private boolean fail(Exception e) {
        err = e;
        done = true;
        inChunk = false;
        return false;
    }

    @Override
    public long atT() {
        return t;
    }

    @Override
    public double atV() {
        return v;
    }

    @Override
    public Exception err() {
        return err;
    }
}
