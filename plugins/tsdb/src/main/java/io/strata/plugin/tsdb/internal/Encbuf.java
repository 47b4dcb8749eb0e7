package io.strata.plugin.tsdb.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/** A growable big-endian byte buffer with the TSDB integer and string encodings. */
public final class Encbuf {
    private byte[] b;
    private int len;

    public Encbuf() {
        this(256);
    }

    public Encbuf(int capacity) {
        b = new byte[Math.max(16, capacity)];
    }

    public Encbuf reset() {
        len = 0;
        return this;
    }

    public int length() {
        return len;
    }

    public byte[] array() {
        return b;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(b, len);
    }

    private void ensure(int n) {
        if (len + n > b.length) {
            b = Arrays.copyOf(b, Math.max(len + n, b.length * 2));
        }
    }

    public Encbuf u8(int v) {
        ensure(1);
        b[len++] = (byte) v;
        return this;
    }

    public Encbuf be32(int v) {
        ensure(4);
        b[len] = (byte) (v >>> 24);
        b[len + 1] = (byte) (v >>> 16);
        b[len + 2] = (byte) (v >>> 8);
        b[len + 3] = (byte) v;
        len += 4;
        return this;
    }

    public Encbuf be64(long v) {
        be32((int) (v >>> 32));
        return be32((int) v);
    }

    /** Overwrites a BE32 at an earlier position. */
    public void putBe32(int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    public Encbuf uvarint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            b[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[len++] = (byte) v;
        return this;
    }

    public Encbuf varint(long v) {
        return uvarint((v << 1) ^ (v >> 63));
    }

    public Encbuf bytes(byte[] src, int off, int n) {
        ensure(n);
        System.arraycopy(src, off, b, len, n);
        len += n;
        return this;
    }

    public Encbuf str(String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        uvarint(u.length);
        return bytes(u, 0, u.length);
    }

    public Encbuf zeros(int n) {
        ensure(n);
        Arrays.fill(b, len, len + n, (byte) 0);
        len += n;
        return this;
    }

    /** CRC32C of [from, to). */
    public int crc32c(int from, int to) {
        CRC32C c = new CRC32C();
        c.update(b, from, to - from);
        return (int) c.getValue();
    }

    /** Number of bytes a uvarint takes. */
    public static int uvarintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }
}
