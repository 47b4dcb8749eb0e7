package io.strata.plugin.storeapi.internal;

import io.strata.api.labels.Labels;
import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkSeries;
import io.strata.plugin.tsdb.chunkenc.XorIterator;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A series received from a StoreAPI endpoint: its labels and raw chunks, sorted by min time, whose
 * bytes are read in place from the received frame. Each chunk is four longs (min time, max time,
 * encoding, offset and length in the frame), so a decoded series costs two objects, not one per
 * chunk; a chunk whose bytes are elsewhere (added as a buffer, or appended from a later frame)
 * keeps its buffer beside them.
 */
public final class DecodedSeries implements ChunkSeries {
    private static final int LONGS = 4;

    Labels labels = Labels.EMPTY;
    /** The array the chunks' offsets point into; null until a chunk is added from one. */
    private byte[] frame;
    /** Per chunk: min time, max time, encoding (Prometheus numbering, -1 - wire type when unknown), offset << 32 | length. */
    private long[] meta = new long[2 * LONGS];
    /** Chunks whose bytes are not in {@link #frame}, by index; null while there are none. */
    private ByteBuffer[] elsewhere;
    private int size;

    /** A series built in place (tests, and callers that have chunks at hand). */
    public DecodedSeries(Labels labels) {
        this.labels = labels;
    }

    DecodedSeries() {
    }

    /** Adds a chunk; {@code encoding} in Prometheus numbering (-1 when unknown), {@code wireType} as received. */
    public void add(long minTime, long maxTime, int encoding, int wireType, ByteBuffer bytes) {
        int i = slot(minTime, maxTime, encoding < 0 ? -1 - wireType : encoding);
        if (elsewhere == null || elsewhere.length < meta.length / LONGS) {
            elsewhere = elsewhere == null ? new ByteBuffer[meta.length / LONGS] : Arrays.copyOf(elsewhere, meta.length / LONGS);
        }
        elsewhere[i] = bytes.slice();
    }

    /** Adds a chunk of {@code length} bytes at {@code offset} in {@code array} (the received frame). */
    void add(long minTime, long maxTime, int encoding, int wireType, byte[] array, int offset, int length) {
        if (frame != null && frame != array) {
            add(minTime, maxTime, encoding, wireType, ByteBuffer.wrap(array, offset, length));
            return;
        }
        frame = array;
        int i = slot(minTime, maxTime, encoding < 0 ? -1 - wireType : encoding);
        meta[i * LONGS + 3] = (long) offset << 32 | length;
    }

    private int slot(long minTime, long maxTime, int encoding) {
        if ((size + 1) * LONGS > meta.length) {
            meta = Arrays.copyOf(meta, meta.length * 2);
        }
        int i = size++;
        meta[i * LONGS] = minTime;
        meta[i * LONGS + 1] = maxTime;
        meta[i * LONGS + 2] = encoding;
        return i;
    }

    /** Appends the chunks of the same series sent in a later message. */
    void append(DecodedSeries later) {
        for (int i = 0; i < later.size; i++) {
            int encoding = (int) later.meta[i * LONGS + 2];
            if (later.inFrame(i)) {
                long at = later.meta[i * LONGS + 3];
                add(later.meta[i * LONGS], later.meta[i * LONGS + 1], encoding, -1 - encoding, later.frame, (int) (at >>> 32), (int) at);
            } else {
                add(later.meta[i * LONGS], later.meta[i * LONGS + 1], encoding, -1 - encoding, later.elsewhere[i]);
            }
        }
    }

    private boolean inFrame(int i) {
        return elsewhere == null || i >= elsewhere.length || elsewhere[i] == null;
    }

    @Override
    public Labels labels() {
        return labels;
    }

    /** The number of chunks. */
    public int chunkCount() {
        return size;
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
            if (err != null || ++i >= s.size) {
                return false;
            }
            if (encoding() < 0) {
                err = new IllegalStateException("unknown StoreAPI chunk encoding " + (-1 - encoding()));
                return false;
            }
            return true;
        }

        @Override
        public long minTime() {
            return s.meta[i * LONGS];
        }

        @Override
        public long maxTime() {
            return s.meta[i * LONGS + 1];
        }

        @Override
        public int encoding() {
            return (int) s.meta[i * LONGS + 2];
        }

        @Override
        public ByteBuffer bytes() {
            if (s.inFrame(i)) {
                long at = s.meta[i * LONGS + 3];
                return ByteBuffer.wrap(s.frame, (int) (at >>> 32), (int) at).slice();
            }
            return s.elsewhere[i].duplicate();
        }

        /** Points {@code xor} at the current chunk's bytes without a buffer in between. */
        void resetXor(XorIterator xor) {
            if (s.inFrame(i)) {
                long at = s.meta[i * LONGS + 3];
                xor.reset(s.frame, (int) (at >>> 32), (int) at);
            } else {
                xor.reset(s.elsewhere[i]);
            }
        }

        @Override
        public Exception err() {
            return err;
        }
    }
}
