package io.strata.plugin.tsdb.chunkenc;

import io.strata.api.storage.SampleIterator;
import java.io.EOFException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Decodes an XOR chunk (encoding 1). Reusable through {@link #reset}; decoding allocates nothing.
 * Accepts chunk data with or without the Prometheus 2.x surplus trailing byte.
 *
 * <p>{@link #reset} copies the chunk into a reused array padded with zero bytes, so every read is one
 * unchecked-for-tail big-endian 64-bit load at the bit position (at least 57 valid bits); running
 * past the real end is detected once per sample, against the chunk's bit length. The array only
 * grows, so steady-state decoding allocates nothing.
 */
public final class XorIterator implements SampleIterator {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** Zero bytes after the data: one sample reads at most 18 bytes plus an 8-byte load past its start. */
    private static final int PAD = 32;
    /** Largest chunk accepted (keeps bit positions far from int overflow in the byte index). */
    private static final int MAX_LEN = 1 << 28;

    private byte[] data = new byte[256 + PAD];
    private long totalBits;
    private long bitPos;
    private int numTotal;
    private int numRead;
    private long t = Long.MIN_VALUE;
    private long tDelta;
    private long vBits;
    private int leading;
    private int trailing;
    private Exception err;

    public XorIterator() {
    }

    public XorIterator(ByteBuffer chunkData) {
        reset(chunkData);
    }

    /** Points the iterator at new chunk data (position to limit of {@code chunkData}); the bytes are copied. */
    public XorIterator reset(ByteBuffer chunkData) {
        int len = chunkData.remaining();
        err = null;
        numRead = 0;
        t = Long.MIN_VALUE;
        tDelta = 0;
        vBits = 0;
        leading = 0;
        trailing = 0;
        bitPos = 16;
        if (len > MAX_LEN) {
            numTotal = 0;
            totalBits = 0;
            err = new IllegalArgumentException("XOR chunk of " + len + " bytes is larger than " + MAX_LEN + " bytes");
            return this;
        }
        if (data.length < len + PAD) {
            data = new byte[Math.max(len + PAD, data.length * 2)];
        }
        chunkData.get(chunkData.position(), data, 0, len);
        Arrays.fill(data, len, len + PAD, (byte) 0);
        totalBits = (long) len << 3;
        if (len < 2) {
            numTotal = 0;
            if (len != 0) {
                err = new EOFException("XOR chunk of " + len + " byte is shorter than its 2-byte header");
            }
        } else {
            numTotal = ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
        }
        return this;
    }

    /** Points the iterator at a byte array range. */
    public XorIterator reset(byte[] bytes, int offset, int length) {
        return reset(ByteBuffer.wrap(bytes, offset, length));
    }

    /** Number of samples the chunk header declares. */
    public int numSamples() {
        return numTotal;
    }

    /** 64 bits starting at the bit position; the top 57 at least are valid. */
    private long peek() {
        long p = bitPos;
        return (long) LONG.get(data, (int) (p >>> 3)) << (p & 7);
    }

    /** Reads {@code n} bits, 1 to 64. */
    private long read(int n) {
        if (n <= 57) {
            long v = peek() >>> (64 - n);
            bitPos += n;
            return v;
        }
        long hi = peek() >>> 32;
        bitPos += 32;
        long lo = peek() >>> (96 - n);
        bitPos += n - 32;
        return (hi << (n - 32)) | lo;
    }

    @Override
    public boolean next() {
        if (numRead >= numTotal || err != null) {
            return false;
        }
        if (numRead >= 2) {
            long w = peek();
            if (w < 0) {
                int ones = Long.numberOfLeadingZeros(~w);
                long dod;
                switch (ones) {
                    case 1 -> dod = signed(w << 2, 14, 16);
                    case 2 -> dod = signed(w << 3, 17, 20);
                    case 3 -> dod = signed(w << 4, 20, 24);
                    default -> {
                        bitPos += 4;
                        dod = read(64);
                    }
                }
                tDelta += dod;
            } else {
                bitPos++;
            }
            t += tDelta;
            readValue();
        } else if (numRead == 0) {
            long raw = readUvarint();
            t = (raw >>> 1) ^ -(raw & 1);
            vBits = read(64);
        } else {
            tDelta = readUvarint();
            t += tDelta;
            readValue();
        }
        if (bitPos > totalBits) {
            if (err == null) {
                err = new EOFException("XOR chunk ends after " + (totalBits >>> 3) + " bytes while reading sample " + numRead
                        + " of " + numTotal);
            }
            bitPos = totalBits;
        }
        if (err != null) {
            return false;
        }
        numRead++;
        return true;
    }

    /** A {@code size}-bit delta-of-delta at the top of {@code w}, consuming {@code consumed} bits (control included). */
    private long signed(long w, int size, int consumed) {
        bitPos += consumed;
        long bits = w >>> (64 - size);
        if (bits > (1L << (size - 1))) {
            bits -= 1L << size;
        }
        return bits;
    }

    private void readValue() {
        long w = peek();
        if (w >= 0) {
            bitPos++;
            return;
        }
        if ((w << 1) < 0) {
            int bits = (int) ((w << 2) >>> 53);
            leading = bits >>> 6;
            int sig = bits & 0x3F;
            if (sig == 0) {
                sig = 64;
            }
            trailing = 64 - leading - sig;
            bitPos += 13;
        } else {
            bitPos += 2;
        }
        vBits ^= read(64 - leading - trailing) << trailing;
    }

    private long readUvarint() {
        long x = 0;
        int s = 0;
        long p = bitPos;
        for (int i = 0; i < 10; i++) {
            long b = ((long) LONG.get(data, (int) (p >>> 3)) << (p & 7)) >>> 56;
            p += 8;
            if (b < 0x80) {
                bitPos = p;
                return x | (b << s);
            }
            x |= (b & 0x7F) << s;
            s += 7;
        }
        bitPos = p;
        if (p <= totalBits) {
            err = new IllegalStateException("XOR chunk: varint overflows 64 bits at bit " + p);
        }
        return 0;
    }

    @Override
    public boolean seek(long target) {
        if (err != null) {
            return false;
        }
        while (numRead == 0 || t < target) {
            if (!next()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long atT() {
        return t;
    }

    @Override
    public double atV() {
        return Double.longBitsToDouble(vBits);
    }

    /** Raw IEEE bits of the current value. */
    public long atVBits() {
        return vBits;
    }

    @Override
    public Exception err() {
        return err;
    }
}
