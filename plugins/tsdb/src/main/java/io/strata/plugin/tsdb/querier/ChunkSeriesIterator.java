package io.strata.plugin.tsdb.querier;

import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.SampleIterator;
import io.strata.plugin.tsdb.chunkenc.XorIterator;

/**
 * Samples of a series' chunks (non-overlapping, time-ordered), trimmed to [mint, maxt]. Reusable
 * through {@link #reset}; nothing is allocated per sample.
 */
public final class ChunkSeriesIterator implements SampleIterator {
    private final XorIterator xor = new XorIterator();
    private ChunkIterator chunks;
    private long mint;
    private long maxt;
    private boolean inChunk;
    private boolean done;
    private Exception err;

    public ChunkSeriesIterator reset(ChunkIterator chunks, long mint, long maxt) {
        this.chunks = chunks;
        this.mint = mint;
        this.maxt = maxt;
        this.inChunk = false;
        this.done = false;
        this.err = null;
        return this;
    }

    private boolean nextChunk(long minT) {
        while (chunks.next()) {
            if (chunks.maxTime() < minT) {
                continue;
            }
            if (chunks.minTime() > maxt) {
                break;
            }
            if (chunks.encoding() != ChunkIterator.ENCODING_XOR) {
                err = new IllegalStateException("unsupported chunk encoding " + chunks.encoding());
                break;
            }
            xor.reset(chunks.bytes());
            inChunk = true;
            return true;
        }
        if (err == null && chunks.err() != null) {
            err = chunks.err();
        }
        done = true;
        inChunk = false;
        return false;
    }

    @Override
    public boolean next() {
        return advance(mint);
    }

    private boolean advance(long minT) {
        while (!done) {
            if (!inChunk && !nextChunk(minT)) {
                return false;
            }
            while (xor.next()) {
                long t = xor.atT();
                if (t < minT) {
                    continue;
                }
                if (t > maxt) {
                    done = true;
                    return false;
                }
                return true;
            }
            if (xor.err() != null) {
                err = xor.err();
                done = true;
                return false;
            }
            inChunk = false;
        }
        return false;
    }

    @Override
    public boolean seek(long t) {
        if (done) {
            return false;
        }
        if (inChunk && xor.atT() >= t && xor.atT() >= mint && xor.numSamples() > 0 && started()) {
            return true;
        }
        long target = Math.max(t, mint);
        if (inChunk && chunks.maxTime() < target) {
            inChunk = false;
        }
        return advance(target);
    }

    private boolean started() {
        return xor.atT() != Long.MIN_VALUE;
    }

    @Override
    public long atT() {
        return xor.atT();
    }

    @Override
    public double atV() {
        return xor.atV();
    }

    @Override
    public Exception err() {
        return err;
    }
}
