package io.strata.plugin.storeapi.internal;

import io.strata.api.labels.Labels;
import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkSeries;
import io.strata.plugin.tsdb.chunks.EncodedChunks;
import java.nio.ByteBuffer;

/**
 * A series received from a StoreAPI endpoint: its labels and raw chunks, sorted by min time, whose
 * bytes are read in place from the received frame.
 */
public final class DecodedSeries implements ChunkSeries {
    Labels labels = Labels.EMPTY;
    /** Encodings in Prometheus numbering; a wire number this side does not know is kept as -1 - number. */
    private final EncodedChunks chunks = new EncodedChunks(2);

    /** A series built in place (tests, and callers that have chunks at hand). */
    public DecodedSeries(Labels labels) {
        this.labels = labels;
    }

    DecodedSeries() {
    }

    /** Adds a chunk; {@code encoding} in Prometheus numbering (-1 when unknown), {@code wireType} as received. */
    public void add(long minTime, long maxTime, int encoding, int wireType, ByteBuffer bytes) {
        chunks.add(minTime, maxTime, encoding < 0 ? -1 - wireType : encoding, bytes);
    }

    /** Appends the chunks of the same series sent in a later message. */
    void append(DecodedSeries later) {
        for (int i = 0; i < later.chunks.size(); i++) {
            chunks.add(later.chunks.minTime(i), later.chunks.maxTime(i), later.chunks.encoding(i), later.chunks.data(i));
        }
    }

    @Override
    public Labels labels() {
        return labels;
    }

    /** The number of chunks. */
    public int chunkCount() {
        return chunks.size();
    }

    @Override
    public ChunkIterator chunks(ChunkIterator reuse) {
        Chunks it = reuse instanceof Chunks c ? c : new Chunks();
        return it.reset(this);
    }

    /** Iterates the chunks of a series; reusable across series. */
    public static final class Chunks implements ChunkIterator {
        private DecodedSeries s;
        private int i;
        private Exception err;

        Chunks reset(DecodedSeries series) {
            this.s = series;
            this.i = -1;
            this.err = null;
            return this;
        }

        @Override
        public boolean next() {
            if (err != null || ++i >= s.chunks.size()) {
                return false;
            }
            if (s.chunks.encoding(i) < 0) {
                err = new IllegalStateException("unknown StoreAPI chunk encoding " + (-1 - s.chunks.encoding(i)));
                return false;
            }
            return true;
        }

        @Override
        public long minTime() {
            return s.chunks.minTime(i);
        }

        @Override
        public long maxTime() {
            return s.chunks.maxTime(i);
        }

        @Override
        public int encoding() {
            return s.chunks.encoding(i);
        }

        @Override
        public ByteBuffer bytes() {
            return s.chunks.data(i).duplicate();
        }

        @Override
        public Exception err() {
            return err;
        }
    }
}
