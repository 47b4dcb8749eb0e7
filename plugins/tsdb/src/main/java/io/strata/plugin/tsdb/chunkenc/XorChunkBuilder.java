package io.strata.plugin.tsdb.chunkenc;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Encodes float samples into an XOR chunk (encoding 1) bit for bit as Prometheus 2.x does,
 * including the surplus zero byte that 2.x leaves after a byte-aligned whole-byte write.
 * Appending allocates nothing except when the buffer grows. Not thread-safe; readers may look at
 * {@link #bytes()} between appends under the owner's synchronisation.
 */
public final class XorChunkBuilder {
    /** The most samples one chunk can count (its header is a 16-bit counter). */
    public static final int MAX_SAMPLES = 0xFFFF;

    private byte[] buf;
    private long bitPos;
    private boolean lastWriteWholeBytes;
    private int numSamples;
    private long t;
    private long tDelta;
    private long vBits;
    private int leading = 0xFF;
    private int trailing;
    private long minTime = Long.MAX_VALUE;

    public XorChunkBuilder() {
        this(128);
    }

    public XorChunkBuilder(int initialCapacity) {
        if (initialCapacity < 16) {
            throw new IllegalArgumentException("initial capacity must be at least 16 bytes, got " + initialCapacity);
        }
        buf = new byte[initialCapacity];
        bitPos = 16;
    }

    /** Forgets every sample so the builder can encode a new chunk. */
    public void reset() {
        Arrays.fill(buf, 0, Math.min(buf.length, length() + 1), (byte) 0);
        clearState();
    }

    /**
     * Forgets every sample and gives the buffer {@code capacity} bytes (at least 16): a new, zeroed
     * array when the size differs. Lets a caller size the next chunk after the last one.
     */
    public void reset(int capacity) {
        int c = Math.max(16, capacity);
        if (c == buf.length) {
            reset();
            return;
        }
        buf = new byte[c];
        clearState();
    }

    /** Capacity of the buffer in bytes. */
    public int capacity() {
        return buf.length;
    }

    private void clearState() {
        bitPos = 16;
        lastWriteWholeBytes = false;
        numSamples = 0;
        t = 0;
        tDelta = 0;
        vBits = 0;
        leading = 0xFF;
        trailing = 0;
        minTime = Long.MAX_VALUE;
    }

    public int numSamples() {
        return numSamples;
    }

    /** First timestamp, or Long.MAX_VALUE when empty. */
    public long minTime() {
        return minTime;
    }

    /** Last timestamp appended (undefined when empty). */
    public long maxTime() {
        return t;
    }

    /** Last value appended (undefined when empty). */
    public double lastValue() {
        return Double.longBitsToDouble(vBits);
    }

    /** Length of the chunk data in bytes, as Prometheus 2.x would store it. */
    public int length() {
        int bytes = (int) ((bitPos + 7) >>> 3);
        if (lastWriteWholeBytes && (bitPos & 7) == 0) {
            bytes++;
        }
        return bytes;
    }

    /** The backing array; valid up to {@link #length()}. */
    public byte[] array() {
        return buf;
    }

    /** A copy of the chunk data. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, length());
    }

    /** A read-only view of the chunk data (shares the array until the next growth). */
    public ByteBuffer bytes() {
        return ByteBuffer.wrap(buf, 0, length()).slice().asReadOnlyBuffer();
    }

    /** Appends a sample; timestamps must not decrease (the caller enforces order). */
    public void append(long ts, double v) {
        if (numSamples == MAX_SAMPLES) {
            throw new IllegalStateException("XOR chunk is full: " + MAX_SAMPLES + " samples");
        }
        ensure(32);
        long bits = Double.doubleToRawLongBits(v);
        if (numSamples == 0) {
            writeVarint(ts);
            writeBits(bits, 64);
            minTime = ts;
        } else if (numSamples == 1) {
            long delta = ts - t;
            writeUvarint(delta);
            writeValue(bits);
            tDelta = delta;
        } else {
            long delta = ts - t;
            long dod = delta - tDelta;
            if (dod == 0) {
                writeBits(0, 1);
            } else if (dod >= -8191 && dod <= 8192) {
                writeBits(0b10, 2);
                writeBits(dod, 14);
            } else if (dod >= -65535 && dod <= 65536) {
                writeBits(0b110, 3);
                writeBits(dod, 17);
            } else if (dod >= -524287 && dod <= 524288) {
                writeBits(0b1110, 4);
                writeBits(dod, 20);
            } else {
                writeBits(0b1111, 4);
                writeBits(dod, 64);
            }
            writeValue(bits);
            tDelta = delta;
        }
        t = ts;
        vBits = bits;
        numSamples++;
        buf[0] = (byte) (numSamples >>> 8);
        buf[1] = (byte) numSamples;
    }

    private void writeValue(long bits) {
        long x = bits ^ vBits;
        if (x == 0) {
            writeBits(0, 1);
            return;
        }
        int l = Long.numberOfLeadingZeros(x);
        int tz = Long.numberOfTrailingZeros(x);
        if (l > 31) {
            l = 31;
        }
        if (leading != 0xFF && l >= leading && tz >= trailing) {
            writeBits(0b10, 2);
            writeBits(x >>> trailing, 64 - leading - trailing);
            return;
        }
        leading = l;
        trailing = tz;
        int sig = 64 - l - tz;
        writeBits((0b11L << 11) | ((long) l << 6) | (sig & 0x3F), 13);
        writeBits(x >>> tz, sig);
    }

    private void writeVarint(long v) {
        writeUvarint((v << 1) ^ (v >> 63));
    }

    private void writeUvarint(long v) {
        while ((v & ~0x7FL) != 0) {
            writeBits((v & 0x7F) | 0x80, 8);
            v >>>= 7;
        }
        writeBits(v, 8);
    }

    /** Writes the low {@code n} bits of {@code value}, most significant first. */
    private void writeBits(long value, int n) {
        if (n == 0) {
            return;
        }
        lastWriteWholeBytes = (n & 7) == 0;
        if (n < 64) {
            value &= (1L << n) - 1;
        }
        int remaining = n;
        while (remaining > 0) {
            int byteIndex = (int) (bitPos >>> 3);
            int free = 8 - (int) (bitPos & 7);
            int take = Math.min(free, remaining);
            int shift = remaining - take;
            int chunk = (int) ((value >>> shift) & ((1 << take) - 1));
            buf[byteIndex] |= (byte) (chunk << (free - take));
            remaining -= take;
            bitPos += take;
        }
    }

    private void ensure(int moreBytes) {
        int need = (int) (bitPos >>> 3) + moreBytes;
        if (need > buf.length) {
            // Grow by half: an open chunk lives long in the head, so slack costs more than copies.
            buf = Arrays.copyOf(buf, Math.max(need, buf.length + (buf.length >>> 1)));
        }
    }
}
