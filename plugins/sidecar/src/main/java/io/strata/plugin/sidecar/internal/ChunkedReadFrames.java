package io.strata.plugin.sidecar.internal;

import io.strata.proto.prometheus.ChunkedReadResponse;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Reads the frames of a STREAMED_XOR_CHUNKS remote read answer: each is the uvarint length of a
 * message, the big-endian CRC32C (Castagnoli) of the message, then the message, a
 * {@code prometheus.ChunkedReadResponse}. A frame whose checksum does not match is an error.
 */
final class ChunkedReadFrames implements AutoCloseable {
    private final InputStream in;
    private final int maxFrameBytes;
    private final CRC32C crc = new CRC32C();
    private byte[] buffer = new byte[64 * 1024];

    ChunkedReadFrames(InputStream in, int maxFrameBytes) {
        this.in = Objects.requireNonNull(in, "in");
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes must be positive, got " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The next frame's message, or null at the end of the stream. */
    ChunkedReadResponse next() throws IOException {
        long length = 0;
        int shift = 0;
        for (int i = 0; ; i++) {
            int b = in.read();
            if (b < 0) {
                if (i == 0) {
                    return null;
                }
                throw new EOFException("remote read stream ends inside a frame length");
            }
            if (i == 9) {
                throw new IOException("remote read frame length is not a valid uvarint");
            }
            length |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
        }
        if (length > maxFrameBytes) {
            throw new IOException("remote read frame of " + length + " bytes is larger than the limit of " + maxFrameBytes);
        }
        int n = (int) length;
        byte[] sum = in.readNBytes(4);
        if (sum.length < 4) {
            throw new EOFException("remote read stream ends inside a frame checksum");
        }
        long expected = ((sum[0] & 0xffL) << 24) | ((sum[1] & 0xffL) << 16) | ((sum[2] & 0xffL) << 8) | (sum[3] & 0xffL);
        if (buffer.length < n) {
            buffer = new byte[Math.max(n, buffer.length * 2)];
        }
        if (in.readNBytes(buffer, 0, n) < n) {
            throw new EOFException("remote read stream ends inside a frame of " + n + " bytes");
        }
        crc.reset();
        crc.update(buffer, 0, n);
        if (crc.getValue() != expected) {
            throw new IOException("remote read frame checksum mismatch: computed " + Long.toHexString(crc.getValue())
                    + ", frame says " + Long.toHexString(expected));
        }
        return ChunkedReadResponse.parseFrom(com.google.protobuf.CodedInputStream.newInstance(buffer, 0, n));
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
