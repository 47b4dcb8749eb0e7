package io.strata.plugin.tsdb.chunks;

import io.strata.plugin.tsdb.internal.Encbuf;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Writes chunk records into the segment files of a block's {@code chunks/} directory. Chunks are
 * written in batches (one series' chunks); a batch starts a new segment when it would push the
 * current one past the size limit. Returns the chunk references the index stores.
 */
public final class ChunkSegmentWriter implements AutoCloseable {
    private final Path dir;
    private final long maxSegmentSize;
    private OutputStream out;
    private int segmentIndex = -1;
    private long segmentSize;
    private final Encbuf header = new Encbuf(16);
    private final CRC32C crc = new CRC32C();
    private byte[] copy = new byte[256];
    private long totalBytes;

    public ChunkSegmentWriter(Path dir, long maxSegmentSize) throws IOException {
        if (maxSegmentSize <= ChunkSegmentFormat.HEADER_SIZE) {
            throw new IllegalArgumentException("segment size limit must exceed the 8-byte header, got " + maxSegmentSize);
        }
        this.dir = dir;
        this.maxSegmentSize = maxSegmentSize;
        Files.createDirectories(dir);
    }

    public ChunkSegmentWriter(Path dir) throws IOException {
        this(dir, ChunkSegmentFormat.DEFAULT_MAX_SEGMENT_SIZE);
    }

    /** Worst-case bytes a chunk of {@code dataLength} bytes takes in a segment. */
    public static long recordSize(int dataLength) {
        return ChunkSegmentFormat.MAX_RECORD_OVERHEAD + (long) dataLength;
    }

    /** Starts a batch of {@code batchBytes} worst-case bytes, cutting a new segment when needed. */
    public void beginBatch(long batchBytes) throws IOException {
        if (out == null || (segmentSize + batchBytes > maxSegmentSize && segmentSize > ChunkSegmentFormat.HEADER_SIZE)) {
            cut();
        }
    }

    private void cut() throws IOException {
        if (out != null) {
            out.close();
        }
        segmentIndex++;
        Path f = dir.resolve(ChunkSegmentFormat.fileName(segmentIndex + 1));
        out = new BufferedOutputStream(Files.newOutputStream(f), 1 << 16);
        header.reset().be32(ChunkSegmentFormat.MAGIC).u8(ChunkSegmentFormat.VERSION).zeros(3);
        out.write(header.array(), 0, header.length());
        segmentSize = ChunkSegmentFormat.HEADER_SIZE;
        totalBytes += ChunkSegmentFormat.HEADER_SIZE;
    }

    /** Writes one chunk and returns its reference. */
    public long write(int encoding, ByteBuffer data) throws IOException {
        if (out == null) {
            cut();
        }
        int len = data.remaining();
        long ref = ChunkSegmentFormat.ref(segmentIndex, (int) segmentSize);
        header.reset().uvarint(len).u8(encoding);
        out.write(header.array(), 0, header.length());
        if (copy.length < len) {
            copy = new byte[Math.max(len, copy.length * 2)];
        }
        data.duplicate().get(copy, 0, len);
        out.write(copy, 0, len);
        crc.reset();
        crc.update(encoding);
        crc.update(copy, 0, len);
        int c = (int) crc.getValue();
        header.reset().be32(c);
        out.write(header.array(), 0, 4);
        long written = (long) (header.length()) + len + (Encbuf.uvarintSize(len) + 1);
        segmentSize += written;
        totalBytes += written;
        return ref;
    }

    /** Bytes written in all segments so far. */
    public long totalBytes() {
        return totalBytes;
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
