package io.strata.plugin.storeapi.internal;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.strata.api.labels.Labels;
import io.strata.api.storage.ChunkIterator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code Series} stream of the StoreAPI written and read without protobuf-java's object graph:
 * the answer to one {@code Series} call is tens of thousands of small messages, and building then
 * serializing (or parsing then converting) a message object per label costs more than everything
 * else the hop does. The bytes are exactly those protobuf-java writes for the same
 * {@code SeriesResponse} (fields in number order, proto3 defaults omitted), so any StoreAPI peer —
 * Thanos included — reads and writes them unchanged.
 *
 * <p>Writing: {@link Encoder} turns series into {@code thanos.Series} message bodies and those into
 * {@code SeriesResponse} frames, caching the UTF-8 form of label strings it has already seen.
 * Reading: {@link #decoder()} gives a gRPC marshaller that decodes a frame straight into
 * {@link DecodedSeries} (labels as shared strings, chunk bytes as views into the frame).
 */
public final class SeriesWire {
    // field tags: (number << 3) | wire type, where 0 = varint and 2 = length-delimited
    private static final int RESPONSE_SERIES = 1 << 3 | 2;
    private static final int RESPONSE_WARNING = 2 << 3 | 2;
    private static final int RESPONSE_BATCH = 4 << 3 | 2;
    private static final int BATCH_SERIES = 1 << 3 | 2;
    private static final int SERIES_LABEL = 1 << 3 | 2;
    private static final int SERIES_CHUNK = 2 << 3 | 2;
    private static final int LABEL_NAME = 1 << 3 | 2;
    private static final int LABEL_VALUE = 2 << 3 | 2;
    private static final int AGGR_MIN_TIME = 1 << 3;
    private static final int AGGR_MAX_TIME = 2 << 3;
    private static final int AGGR_RAW = 3 << 3 | 2;
    private static final int CHUNK_TYPE = 1 << 3;
    private static final int CHUNK_DATA = 2 << 3 | 2;

    /** Slots of the string caches on both sides (a power of two). */
    private static final int CACHE_SLOTS = 4096;

    private SeriesWire() {
    }

    /**
     * An encoded {@code SeriesResponse}: {@code length} bytes of {@code bytes} from {@code offset}. One
     * from {@link FrameBuilder#build} is a view of the builder's buffer, valid until the builder is
     * used again; gRPC copies a message into its transport buffers inside {@code onNext}, so a server
     * can send it and go on building.
     */
    public record EncodedFrame(byte[] bytes, int offset, int length) {
        /** A whole array as a frame. */
        public static EncodedFrame of(byte[] frame) {
            return new EncodedFrame(frame, 0, frame.length);
        }

        /** A copy of the frame's bytes. */
        public byte[] toByteArray() {
            return Arrays.copyOfRange(bytes, offset, offset + length);
        }
    }

    /** A marshaller for responses that are already encoded frames. */
    public static final MethodDescriptor.Marshaller<EncodedFrame> ENCODED = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(EncodedFrame value) {
            return new Encoded(value);
        }

        @Override
        public EncodedFrame parse(InputStream stream) {
            try {
                return EncodedFrame.of(Decoder.readAll(stream));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    /**
     * An encoded frame that gRPC drains into its transport buffers in one write (a plain stream is
     * copied through an intermediate 8 KiB buffer).
     */
    private static final class Encoded extends ByteArrayInputStream implements Drainable, KnownLength {
        Encoded(EncodedFrame frame) {
            super(frame.bytes(), frame.offset(), frame.length());
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int n = count - pos;
            target.write(buf, pos, n);
            pos = count;
            return n;
        }
    }

    // ------------------------------------------------------------------ writing

    /** Encodes the series of one call. Not thread-safe; one per stream. */
    public static final class Encoder {
        /**
         * Recently seen label strings and their UTF-8 bytes, direct-mapped by identity (TSDB label strings
         * are shared instances): repeated names and values are encoded once, unique ones cost one slot.
         */
        private final String[] cachedStrings = new String[CACHE_SLOTS];
        private final byte[][] cachedBytes = new byte[CACHE_SLOTS][];
        private byte[] buf = new byte[4096];
        private int pos;

        /** Starts a series: writes its labels. Follow with {@link #chunk} calls and {@link #endSeries}. */
        public void startSeries(Labels labels) {
            pos = 0;
            for (int i = 0; i < labels.size(); i++) {
                byte[] name = bytes(labels.name(i));
                byte[] value = bytes(labels.value(i));
                int size = fieldSize(name.length) + fieldSize(value.length);
                ensure(1 + 5 + size);
                buf[pos++] = SERIES_LABEL;
                varint(size);
                bytesField(LABEL_NAME, name);
                bytesField(LABEL_VALUE, value);
            }
        }

        /** Adds a raw chunk ({@code type} in Thanos numbering, XOR = 0). */
        public void chunk(long minTime, long maxTime, int type, ByteBuffer data) {
            int len = data.remaining();
            int chunkSize = (type == 0 ? 0 : 1 + varintSize(type)) + fieldSize(len);
            int aggrSize = (minTime == 0 ? 0 : 1 + varintSize(minTime)) + (maxTime == 0 ? 0 : 1 + varintSize(maxTime))
                    + 1 + varintSize(chunkSize) + chunkSize;
            ensure(1 + 5 + aggrSize);
            buf[pos++] = SERIES_CHUNK;
            varint(aggrSize);
            if (minTime != 0) {
                buf[pos++] = AGGR_MIN_TIME;
                varint(minTime);
            }
            if (maxTime != 0) {
                buf[pos++] = AGGR_MAX_TIME;
                varint(maxTime);
            }
            buf[pos++] = AGGR_RAW;
            varint(chunkSize);
            if (type != 0) {
                buf[pos++] = CHUNK_TYPE;
                varint(type);
            }
            if (len > 0) {
                buf[pos++] = CHUNK_DATA;
                varint(len);
                data.get(data.position(), buf, pos, len);
                pos += len;
            }
        }

        /** The body of the series written since {@link #startSeries}. */
        public byte[] endSeries() {
            return Arrays.copyOf(buf, pos);
        }

        /** Appends the body of the series written since {@link #startSeries} to {@code frame}, without copying it out first. */
        public void endSeries(FrameBuilder frame) {
            frame.add(buf, 0, pos);
        }

        /** A {@code SeriesResponse} carrying a warning. */
        public static byte[] warning(String text) {
            return wrap(RESPONSE_WARNING, text.getBytes(StandardCharsets.UTF_8));
        }

        private static byte[] wrap(int tag, byte[] body) {
            byte[] out = new byte[1 + varintSize(body.length) + body.length];
            out[0] = (byte) tag;
            int p = putVarint(out, 1, body.length);
            System.arraycopy(body, 0, out, p, body.length);
            return out;
        }

        private byte[] bytes(String s) {
            int slot = System.identityHashCode(s) & (CACHE_SLOTS - 1);
            if (cachedStrings[slot] == s) {
                return cachedBytes[slot];
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            cachedStrings[slot] = s;
            cachedBytes[slot] = b;
            return b;
        }

        private void bytesField(int tag, byte[] b) {
            if (b.length == 0) {
                return;
            }
            ensure(1 + 5 + b.length);
            buf[pos++] = (byte) tag;
            varint(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }

        private void ensure(int more) {
            if (pos + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
            }
        }

        private void varint(long v) {
            pos = putVarint(buf, pos, v);
        }
    }

    /**
     * Collects series bodies into one {@code SeriesResponse} frame, reusing its buffer from frame to
     * frame: a series costs one copy into it and nothing allocated. The frame's header goes into room
     * kept before the first series, so a built frame is a view of the buffer, not a copy. Not
     * thread-safe.
     */
    public static final class FrameBuilder {
        /** Room for the frame's tag and length (a varint of at most 5 bytes for an int). */
        private static final int HEADER = 6;
        private byte[] buf = new byte[64 << 10];
        private int pos = HEADER;
        private int count;

        /** Appends a series body (as a batch entry: tag, length, bytes). */
        public void add(byte[] body, int off, int len) {
            int need = 1 + varintSize(len) + len;
            if (pos + need > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + need));
            }
            buf[pos++] = BATCH_SERIES;
            pos = putVarint(buf, pos, len);
            System.arraycopy(body, off, buf, pos, len);
            pos += len;
            count++;
        }

        /** The number of series added since the last {@link #build}. */
        public int count() {
            return count;
        }

        /**
         * The frame of the series added since the last call: a {@code batch}, or when {@code batch} is
         * false (one series only) that series as {@code series}; the builder is empty again afterwards.
         * The frame is a view of the builder's buffer, valid until the next {@link #add}.
         */
        public EncodedFrame build(boolean batch) {
            EncodedFrame out;
            if (batch) {
                int len = pos - HEADER;
                int start = HEADER - 1 - varintSize(len);
                buf[start] = RESPONSE_BATCH;
                putVarint(buf, start + 1, len);
                out = new EncodedFrame(buf, start, pos - start);
            } else {
                if (count != 1) {
                    throw new IllegalStateException("an unbatched frame holds one series, not " + count);
                }
                // the one entry is (BATCH_SERIES, length, body), laid out as (RESPONSE_SERIES, length, body)
                buf[HEADER] = RESPONSE_SERIES;
                out = new EncodedFrame(buf, HEADER, pos - HEADER);
            }
            pos = HEADER;
            count = 0;
            return out;
        }
    }

    /** Size of a length-delimited field of {@code len} bytes (0 when empty: proto3 omits it). */
    private static int fieldSize(int len) {
        return len == 0 ? 0 : 1 + varintSize(len) + len;
    }

    static int varintSize(long v) {
        // 7 bits a byte: 1 byte up to 7 significant bits, 10 for a negative number
        return (70 - Long.numberOfLeadingZeros(v | 1)) / 7;
    }

    private static int putVarint(byte[] out, int p, long v) {
        while ((v & ~0x7FL) != 0) {
            out[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[p++] = (byte) v;
        return p;
    }

    // ------------------------------------------------------------------ reading

    /** One received {@code SeriesResponse}: its series (possibly none) and its warning, if it was one. */
    public record Frame(List<DecodedSeries> series, String warning) {
    }

    /** A decoder of frames, also usable as a marshaller; one per call (it keeps the call's label strings). */
    public static Decoder decoder() {
        return new Decoder();
    }

    /**
     * Decodes frames into series. Not thread-safe: a call's frames are decoded one after another, by
     * one thread at a time (the client decodes them as its marshaller, on the transport's thread as they
     * arrive, while the query works on earlier series).
     */
    public static final class Decoder implements MethodDescriptor.Marshaller<Frame> {
        private final StringTable strings = new StringTable();

        /** Writes a frame back (the way a proxy would pass it on): its warning, or its series as a batch. */
        @Override
        public InputStream stream(Frame value) {
            if (value.warning() != null) {
                if (!value.series().isEmpty()) {
                    throw new IllegalArgumentException("a SeriesResponse carries a warning or series, not both");
                }
                return new Encoded(EncodedFrame.of(Encoder.warning(value.warning())));
            }
            Encoder e = new Encoder();
            FrameBuilder frame = new FrameBuilder();
            ChunkIterator it = null;
            for (DecodedSeries s : value.series()) {
                e.startSeries(s.labels());
                it = s.chunks(it);
                chunks(e, it, Long.MIN_VALUE, Long.MAX_VALUE, false, s.labels());
                e.endSeries(frame);
            }
            return new Encoded(frame.build(true));
        }

        @Override
        public Frame parse(InputStream stream) {
            try {
                return decode(readAll(stream));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Decodes one received frame; its chunks are views into {@code b}. */
        public Frame decode(byte[] b) {
            Reader r = new Reader(b, 0, b.length);
            List<DecodedSeries> series = new ArrayList<>();
            String warning = null;
            while (r.more()) {
                int tag = r.tag();
                switch (tag) {
                    case RESPONSE_SERIES -> series.add(series(r.sub()));
                    case RESPONSE_WARNING -> warning = r.string();
                    case RESPONSE_BATCH -> {
                        Reader batch = r.sub();
                        while (batch.more()) {
                            if (batch.tag() == BATCH_SERIES) {
                                series.add(series(batch.sub()));
                            } else {
                                batch.skip(batch.lastTag);
                            }
                        }
                    }
                    default -> r.skip(tag);
                }
            }
            return new Frame(series, warning);
        }

        /**
         * Label names and values of the series being decoded, copied out at its end; until overwritten
         * they are those of the previous series, whose bytes {@link #previousBytes} at
         * {@link #previousAt} / {@link #previousLength} hold (length -1: nothing to compare with).
         */
        private String[] pairs = new String[20];
        private byte[] previousBytes;
        private int[] previousAt = new int[20];
        private int[] previousLength = filled(new int[20], 0);
        /** Names and values the previous series had. */
        private int previousCount;

        private static int[] filled(int[] a, int from) {
            Arrays.fill(a, from, a.length, -1);
            return a;
        }

        private DecodedSeries series(Reader r) {
            int n = 0;
            DecodedSeries s = new DecodedSeries();
            while (r.more()) {
                int tag = r.tag();
                if (tag == SERIES_LABEL) {
                    Reader l = r.sub();
                    if (n == pairs.length) {
                        pairs = Arrays.copyOf(pairs, n * 2);
                        previousAt = Arrays.copyOf(previousAt, n * 2);
                        previousLength = filled(Arrays.copyOf(previousLength, n * 2), n);
                    }
                    boolean named = false;
                    boolean valued = false;
                    while (l.more()) {
                        int t = l.tag();
                        if (t == LABEL_NAME) {
                            label(l, n);
                            named = true;
                        } else if (t == LABEL_VALUE) {
                            label(l, n + 1);
                            valued = true;
                        } else {
                            l.skip(t);
                        }
                    }
                    if (!named) {
                        pairs[n] = "";
                        previousLength[n] = -1;
                    }
                    if (!valued) {
                        pairs[n + 1] = "";
                        previousLength[n + 1] = -1;
                    }
                    n += 2;
                } else if (tag == SERIES_CHUNK) {
                    chunk(r.sub(), s);
                } else {
                    r.skip(tag);
                }
            }
            // places the previous series had and this one does not now hold nothing to compare with
            Arrays.fill(previousLength, n, Math.max(n, previousCount), -1);
            previousCount = n;
            previousBytes = r.b;
            s.labels = ProtoConversions.labels(Arrays.copyOf(pairs, n));
            return s;
        }

        /**
         * Decodes the string at the reader into {@code pairs[i]}: series in label order mostly repeat the
         * previous series' name or value at the same place, which then costs one byte comparison.
         */
        private void label(Reader l, int i) {
            int at = l.span();
            int len = l.spanLength;
            byte[] b = l.b;
            int prev = previousAt[i];
            if (previousLength[i] != len || !Arrays.equals(b, at, at + len, previousBytes, prev, prev + len)) {
                pairs[i] = strings.get(b, at, len);
            }
            // the next series compares with these bytes (the same, but maybe in a newer frame)
            previousAt[i] = at;
            previousLength[i] = len;
        }

        private static void chunk(Reader r, DecodedSeries s) {
            long min = 0;
            long max = 0;
            int type = 0;
            int dataAt = 0;
            int dataLength = 0;
            boolean raw = false;
            while (r.more()) {
                int tag = r.tag();
                if (tag == AGGR_MIN_TIME) {
                    min = r.varint();
                } else if (tag == AGGR_MAX_TIME) {
                    max = r.varint();
                } else if (tag == AGGR_RAW) {
                    raw = true;
                    Reader c = r.sub();
                    while (c.more()) {
                        int t = c.tag();
                        if (t == CHUNK_TYPE) {
                            type = (int) c.varint();
                        } else if (t == CHUNK_DATA) {
                            dataAt = c.span();
                            dataLength = c.spanLength;
                        } else {
                            c.skip(t);
                        }
                    }
                } else {
                    r.skip(tag);
                }
            }
            if (raw) {
                s.add(min, max, ProtoConversions.prometheusEncoding(type), type, r.b, dataAt, dataLength);
            }
        }

        static byte[] readAll(InputStream in) throws IOException {
            if (in instanceof KnownLength) {
                int n = in.available();
                byte[] b = new byte[n];
                int off = 0;
                while (off < n) {
                    int r = in.read(b, off, n - off);
                    if (r < 0) {
                        throw new IOException("frame ended after " + off + " of " + n + " bytes");
                    }
                    off += r;
                }
                if (in.read() >= 0) {
                    throw new IOException("frame longer than the " + n + " bytes announced");
                }
                return b;
            }
            return in.readAllBytes();
        }
    }

    /** A protobuf reader over a slice of an array. */
    private static final class Reader {
        private final byte[] b;
        private int p;
        private final int end;
        int lastTag;

        Reader(byte[] b, int from, int end) {
            this.b = b;
            this.p = from;
            this.end = end;
        }

        boolean more() {
            return p < end;
        }

        int tag() {
            long t = varint();
            if (t <= 0 || t > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("malformed SeriesResponse: bad field tag " + t + " at byte " + p);
            }
            lastTag = (int) t;
            return lastTag;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (p >= end) {
                    throw new IllegalArgumentException("malformed SeriesResponse: truncated varint");
                }
                byte x = b[p++];
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("malformed SeriesResponse: varint longer than 10 bytes");
        }

        private int length() {
            long n = varint();
            if (n < 0 || n > end - p) {
                throw new IllegalArgumentException("malformed SeriesResponse: field of " + n + " bytes with " + (end - p) + " left");
            }
            return (int) n;
        }

        Reader sub() {
            int n = length();
            Reader r = new Reader(b, p, p + n);
            p += n;
            return r;
        }

        /** The length of the field {@link #span} passed over last. */
        int spanLength;

        /** Passes over a length-delimited field's bytes; returns where they start in {@code b}. */
        int span() {
            spanLength = length();
            int at = p;
            p += spanLength;
            return at;
        }

        String string() {
            int n = length();
            String s = new String(b, p, n, StandardCharsets.UTF_8);
            p += n;
            return s;
        }

        String string(StringTable table) {
            int n = length();
            String s = table.get(b, p, n);
            p += n;
            return s;
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 2 -> advance(length());
                case 5 -> advance(4);
                default -> throw new IllegalArgumentException("malformed SeriesResponse: wire type " + (tag & 7));
            }
        }

        private void advance(int n) {
            if (n > end - p) {
                throw new IllegalArgumentException("malformed SeriesResponse: truncated field");
            }
            p += n;
        }
    }

    /**
     * Strings by their UTF-8 bytes, so that the label names and values a call repeats are decoded once
     * and shared (equal labels then compare by identity). Direct-mapped by content hash: a unique value
     * takes a slot from an older one and nothing grows.
     */
    static final class StringTable {
        private final String[] values = new String[CACHE_SLOTS];
        /** The UTF-8 bytes of a non-ASCII value (null for ASCII ones, which compare char by char). */
        private final byte[][] keys = new byte[CACHE_SLOTS][];

        String get(byte[] b, int off, int len) {
            int h = len;
            int bits = 0;
            for (int i = off; i < off + len; i++) {
                h = 31 * h + b[i];
                bits |= b[i];
            }
            boolean ascii = bits >= 0;
            int slot = (h ^ h >>> 15) & (CACHE_SLOTS - 1);
            String cached = values[slot];
            if (cached != null) {
                byte[] k = keys[slot];
                if (ascii ? k == null && sameAscii(cached, b, off, len)
                        : k != null && Arrays.equals(k, 0, k.length, b, off, off + len)) {
                    return cached;
                }
            }
            String s = new String(b, off, len, StandardCharsets.UTF_8);
            values[slot] = s;
            keys[slot] = ascii ? null : Arrays.copyOfRange(b, off, off + len);
            return s;
        }

        /** True when {@code s} is the text of {@code len} ASCII bytes; no key bytes need keeping for it. */
        private static boolean sameAscii(String s, byte[] b, int off, int len) {
            if (s.length() != len) {
                return false;
            }
            for (int i = 0; i < len; i++) {
                if (s.charAt(i) != b[off + i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Encodes the chunks of a chunk iterator inside [minTime, maxTime]; false when none was. */
    static boolean chunks(Encoder e, ChunkIterator it, long minTime, long maxTime, boolean skipChunks, Labels labelsForErrors) {
        boolean any = false;
        while (it.next()) {
            if (it.maxTime() < minTime || it.minTime() > maxTime) {
                continue;
            }
            any = true;
            if (skipChunks) {
                break;
            }
            int type = ProtoConversions.thanosEncoding(it.encoding());
            if (type < 0) {
                throw new IllegalStateException("series " + labelsForErrors + ": chunk encoding " + it.encoding() + " has no StoreAPI number");
            }
            e.chunk(it.minTime(), it.maxTime(), type, it.bytes());
        }
        if (it.err() != null) {
            throw new IllegalStateException("series " + labelsForErrors + ": " + it.err().getMessage(), it.err());
        }
        return any;
    }
}
