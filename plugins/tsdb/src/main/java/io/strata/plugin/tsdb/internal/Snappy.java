package io.strata.plugin.tsdb.internal;

import java.io.IOException;

/** Decoder for the snappy block format (used by compressed WAL records). */
public final class Snappy {
    private Snappy() {
    }

    /** Decompresses {@code n} bytes at {@code off}; throws on malformed input. */
    public static byte[] decompress(byte[] in, int off, int n) throws IOException {
        int end = off + n;
        int p = off;
        long len = 0;
        int shift = 0;
        while (true) {
            if (p >= end) {
                throw new IOException("snappy: truncated length");
            }
            int b = in[p++] & 0xFF;
            len |= (long) (b & 0x7F) << shift;
            if (b < 0x80) {
                break;
            }
            shift += 7;
            if (shift > 32) {
                throw new IOException("snappy: length overflow");
            }
        }
        if (len > Integer.MAX_VALUE - 8) {
            throw new IOException("snappy: decoded length " + len + " too large");
        }
        byte[] out = new byte[(int) len];
        int o = 0;
        while (p < end) {
            int tag = in[p++] & 0xFF;
            int type = tag & 3;
            if (type == 0) {
                int l = tag >>> 2;
                if (l >= 60) {
                    int extra = l - 59;
                    if (p + extra > end) {
                        throw new IOException("snappy: truncated literal length");
                    }
                    l = 0;
                    for (int i = 0; i < extra; i++) {
                        l |= (in[p++] & 0xFF) << (8 * i);
                    }
                }
                l += 1;
                if (l <= 0 || p + l > end || o + l > out.length) {
                    throw new IOException("snappy: literal out of bounds");
                }
                System.arraycopy(in, p, out, o, l);
                p += l;
                o += l;
                continue;
            }
            int l;
            int dist;
            if (type == 1) {
                if (p >= end) {
                    throw new IOException("snappy: truncated copy");
                }
                l = 4 + ((tag >>> 2) & 7);
                dist = ((tag & 0xE0) << 3) | (in[p++] & 0xFF);
            } else if (type == 2) {
                if (p + 2 > end) {
                    throw new IOException("snappy: truncated copy");
                }
                l = 1 + (tag >>> 2);
                dist = (in[p] & 0xFF) | ((in[p + 1] & 0xFF) << 8);
                p += 2;
            } else {
                if (p + 4 > end) {
                    throw new IOException("snappy: truncated copy");
                }
                l = 1 + (tag >>> 2);
                dist = (in[p] & 0xFF) | ((in[p + 1] & 0xFF) << 8) | ((in[p + 2] & 0xFF) << 16) | ((in[p + 3] & 0xFF) << 24);
                p += 4;
            }
            if (dist <= 0 || dist > o || o + l > out.length) {
                throw new IOException("snappy: bad copy offset " + dist + " at output " + o);
            }
            for (int i = 0; i < l; i++) {
                out[o + i] = out[o - dist + i];
            }
            o += l;
        }
        if (o != out.length) {
            throw new IOException("snappy: decoded " + o + " bytes, header said " + out.length);
        }
        return out;
    }
}
