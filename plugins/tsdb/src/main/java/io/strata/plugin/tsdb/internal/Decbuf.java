package io.strata.plugin.tsdb.internal;

import io.strata.plugin.tsdb.CorruptionException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * A cursor over a big-endian byte buffer with absolute positions, decoding the integer and string
 * encodings of the TSDB formats. Errors name the file and the absolute offset.
 */
public final class Decbuf {
    private final ByteBuffer buf;
    private final Path file;
    private int pos;
    private int limit;

    public Decbuf(ByteBuffer buf, Path file, int pos, int limit) {
        this.buf = buf.order() == ByteOrder.BIG_ENDIAN ? buf : buf.duplicate().order(ByteOrder.BIG_ENDIAN);
        this.file = file;
        if (pos < 0 || limit > buf.limit() || pos > limit) {
            throw new CorruptionException(file, pos, "range [" + pos + ", " + limit + ") outside the file of " + buf.limit() + " bytes");
        }
        this.pos = pos;
        this.limit = limit;
    }

    public int position() {
        return pos;
    }

    public void position(int p) {
        if (p < 0 || p > limit) {
            throw corrupt(p, "position outside [0, " + limit + ")");
        }
        pos = p;
    }

    public int limit() {
        return limit;
    }

    public void limit(int l) {
        limit = l;
    }

    public int remaining() {
        return limit - pos;
    }

    public ByteBuffer buffer() {
        return buf;
    }

    public CorruptionException corrupt(long at, String problem) {
        return new CorruptionException(file, at, problem);
    }

    private void need(int n) {
        if (limit - pos < n) {
            throw corrupt(pos, "need " + n + " bytes, only " + (limit - pos) + " left");
        }
    }

    public int u8() {
        need(1);
        return buf.get(pos++) & 0xFF;
    }

    public int be32() {
        need(4);
        int v = buf.getInt(pos);
        pos += 4;
        return v;
    }

    public long be64() {
        need(8);
        long v = buf.getLong(pos);
        pos += 8;
        return v;
    }

    public long uvarint() {
        long x = 0;
        int s = 0;
        int start = pos;
        for (int i = 0; i < 10; i++) {
            if (pos >= limit) {
                throw corrupt(start, "truncated uvarint");
            }
            int b = buf.get(pos++) & 0xFF;
            if (b < 0x80) {
                if (i == 9 && b > 1) {
                    throw corrupt(start, "uvarint overflows 64 bits");
                }
                return x | ((long) b << s);
            }
            x |= (long) (b & 0x7F) << s;
            s += 7;
        }
        throw corrupt(start, "uvarint overflows 64 bits");
    }

    public int uvarint32() {
        int start = pos;
        long v = uvarint();
        if (v < 0 || v > 0xFFFFFFFFL) {
            throw corrupt(start, "uvarint " + Long.toUnsignedString(v) + " overflows 32 bits");
        }
        return (int) v;
    }

    public long varint() {
        long u = uvarint();
        return (u >>> 1) ^ -(u & 1);
    }

    /** A length-prefixed UTF-8 string. */
    public String str() {
        int start = pos;
        long n = uvarint();
        if (n < 0 || n > remaining()) {
            throw corrupt(start, "string length " + n + " exceeds the " + remaining() + " bytes left");
        }
        String s = decodeUtf8(buf, pos, (int) n);
        pos += (int) n;
        return s;
    }

    public void skip(int n) {
        need(n);
        pos += n;
    }

    /** Skips zero bytes (section padding). */
    public void skipZeros() {
        while (pos < limit && buf.get(pos) == 0) {
            pos++;
        }
    }

    public static String decodeUtf8(ByteBuffer b, int at, int n) {
        if (b.hasArray()) {
            return new String(b.array(), b.arrayOffset() + at, n, StandardCharsets.UTF_8);
        }
        byte[] tmp = new byte[n];
        b.get(at, tmp, 0, n);
        return new String(tmp, StandardCharsets.UTF_8);
    }

    /** CRC32C of {@code n} bytes at {@code at}. */
    public static int crc32c(ByteBuffer b, int at, int n) {
        CRC32C c = new CRC32C();
        c.update(b.duplicate().limit(at + n).position(at));
        return (int) c.getValue();
    }

    /** Checks that the BE32 at {@code crcAt} is the CRC32C of [{@code from}, crcAt). */
    public void checkCrc(int from, int crcAt, String what) {
        if (!crcMatches(from, crcAt)) {
            throw crcFailure(from, crcAt, what);
        }
    }

    /**
     * True when the BE32 at {@code crcAt} is the CRC32C of [{@code from}, crcAt) (false when it lies past
     * the end). Hot paths (a series, a chunk) use this and build their message, with
     * {@link #crcFailure}, only when it fails.
     */
    public boolean crcMatches(int from, int crcAt) {
        return crcAt + 4 <= buf.limit() && buf.getInt(crcAt) == crc32c(buf, from, crcAt - from);
    }

    /** The error for a failed {@link #crcMatches}; {@code what} names the checked section. */
    public CorruptionException crcFailure(int from, int crcAt, String what) {
        if (crcAt + 4 > buf.limit()) {
            return corrupt(crcAt, what + ": checksum lies past the end of the file");
        }
        return corrupt(from, what + ": checksum mismatch (stored 0x" + Integer.toHexString(buf.getInt(crcAt)) + ", computed 0x"
                + Integer.toHexString(crc32c(buf, from, crcAt - from)) + ")");
    }
}
