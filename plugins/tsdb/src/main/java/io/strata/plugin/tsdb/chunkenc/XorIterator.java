package io.strata.plugin.tsdb.chunkenc;

import io.strata.api.storage.SampleIterator;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes an XOR chunk (encoding 1). Reusable through {@link #reset}; decoding allocates nothing.
 * Accepts chunk data with or without the Prometheus 2.x surplus trailing byte.
 */
public final class XorIterator implements SampleIterator {
    private ByteBuffer src = ByteBuffer.allocate(0);
    private int base;
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

    /** Points the iterator at new chunk data (position to limit of {@code chunkData}). */
    public XorIterator reset(ByteBuffer chunkData) {
        ByteBuffer b = chunkData.order() == ByteOrder.BIG_ENDIAN ? chunkData : chunkData.duplicate().order(ByteOrder.BIG_ENDIAN);
        src = b;
        base = b.position();
        int len = b.remaining();
        totalBits = (long) len << 3;
        err = null;
        numRead = 0;
        t = Long.MIN_VALUE;
        tDelta = 0;
        vBits = 0;
        leading = 0;
        trailing = 0;
        if (len < 2) {
            numTotal = 0;
            if (len != 0) {
                err = new EOFException("XOR chunk of " + len + " byte is shorter than its 2-byte header");
            }
        } else {
            numTotal = ((b.get(base) & 0xFF) << 8) | (b.get(base + 1) & 0xFF);
        }
        bitPos = 16;
        return this;
    }

    /** Points the iterator at a byte array range. */
    public XorIterator reset(byte[] data, int offset, int length) {
        return reset(ByteBuffer.wrap(data, offset, length));
    }

    /** Number of samples the chunk header declares. */
    public int numSamples() {
        return numTotal;
    }

    @Override
    public boolean next() {
        if (err != null || numRead >= numTotal) {
            return false;
        }
        if (numRead == 0) {
            long raw = readUvarint();
            t = (raw >>> 1) ^ -(raw & 1);
            vBits = readBits(64);
        } else if (numRead == 1) {
            tDelta = readUvarint();
            t += tDelta;
            readValue();
        } else {
            int p = (int) peekBits(4);
            long dod = 0;
            int size = 0;
            if ((p & 0b1000) == 0) {
                skipBits(1);
            } else if ((p & 0b0100) == 0) {
                skipBits(2);
                size = 14;
            } else if ((p & 0b0010) == 0) {
                skipBits(3);
                size = 17;
            } else if ((p & 0b0001) == 0) {
                skipBits(4);
                size = 20;
            } else {
                skipBits(4);
                dod = readBits(64);
            }
            if (size != 0) {
                long bits = readBits(size);
                if (bits > (1L << (size - 1))) {
                    bits -= 1L << size;
                }
                dod = bits;
            }
            tDelta += dod;
            t += tDelta;
            readValue();
        }
        if (err != null) {
            return false;
        }
        numRead++;
        return true;
    }

    private void readValue() {
        int p = (int) peekBits(2);
        if ((p & 0b10) == 0) {
            skipBits(1);
            return;
        }
        skipBits(2);
        if (p == 0b11) {
            int bits = (int) readBits(11);
            leading = bits >>> 6;
            int sig = bits & 0x3F;
            if (sig == 0) {
                sig = 64;
            }
            trailing = 64 - leading - sig;
        }
        int sig = 64 - leading - trailing;
        vBits ^= readBits(sig) << trailing;
    }

    /** The next {@code n} (at most 56) bits without consuming them; zeros past the end. */
    private long peekBits(int n) {
        int byteIndex = (int) (bitPos >>> 3);
        int shift = (int) (bitPos & 7);
        long word;
        if (((long) byteIndex + 8) << 3 <= totalBits) {
            word = src.getLong(base + byteIndex);
        } else {
            word = 0;
            int end = (int) (totalBits >>> 3);
            for (int i = 0; i < 8; i++) {
                word <<= 8;
                if (byteIndex + i < end) {
                    word |= src.get(base + byteIndex + i) & 0xFFL;
                }
            }
        }
        return (word << shift) >>> (64 - n);
    }

    private void skipBits(int n) {
        if (bitPos + n > totalBits) {
            if (err == null) {
                err = new EOFException("XOR chunk ends after " + (totalBits >>> 3) + " bytes while reading sample " + numRead
                        + " of " + numTotal);
            }
            bitPos = totalBits;
            return;
        }
        bitPos += n;
    }

    private long readUvarint() {
        long x = 0;
        int s = 0;
        for (int i = 0; i < 10; i++) {
            long b = readBits(8);
            if (err != null) {
                return 0;
            }
            if (b < 0x80) {
                return x | (b << s);
            }
            x |= (b & 0x7F) << s;
            s += 7;
        }
        err = new IllegalStateException("XOR chunk: varint overflows 64 bits at bit " + bitPos);
        return 0;
    }

    private long readBits(int n) {
        if (n == 0) {
            return 0;
        }
        if (bitPos + n > totalBits) {
            if (err == null) {
                err = new EOFException("XOR chunk ends after " + (totalBits >>> 3) + " bytes while reading sample " + numRead
                        + " of " + numTotal);
            }
            bitPos = totalBits;
            return 0;
        }
        if (n > 56) {
            long hi = readBits(32);
            return (hi << (n - 32)) | readBits(n - 32);
        }
        int byteIndex = (int) (bitPos >>> 3);
        int shift = (int) (bitPos & 7);
        long word;
        if (((long) byteIndex + 8) << 3 <= totalBits) {
            word = src.getLong(base + byteIndex);
        } else {
            word = 0;
            int end = (int) (totalBits >>> 3);
            for (int i = 0; i < 8; i++) {
                word <<= 8;
                if (byteIndex + i < end) {
                    word |= src.get(base + byteIndex + i) & 0xFFL;
                }
            }
        }
        bitPos += n;
        return (word << shift) >>> (64 - n);
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
