package io.strata.plugin.tsdb.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Appends records to WAL segments in Prometheus's format (32 KiB pages, fragments with a 7-byte
 * header, records never crossing segments). Records are written uncompressed. {@link #flush()}
 * writes the partly filled page; {@link #sync()} also forces it to disk. Not thread-safe.
 */
public final class WalWriter implements AutoCloseable {
    private final Path dir;
    private final long segmentSize;
    private final int pagesPerSegment;
    private final byte[] page = new byte[WalFormat.PAGE_SIZE];
    private int pageAlloc;
    private int pageFlushed;
    private int donePages;
    private int segment;
    private FileChannel file;
    private final CRC32C crc = new CRC32C();

    /** Opens for appending after the last existing segment (a new segment is started). */
    public WalWriter(Path dir, long segmentSize) throws IOException {
        if (segmentSize < WalFormat.PAGE_SIZE || segmentSize % WalFormat.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("WAL segment size must be a multiple of " + WalFormat.PAGE_SIZE + ", got " + segmentSize);
        }
        this.dir = dir;
        this.segmentSize = segmentSize;
        this.pagesPerSegment = (int) (segmentSize / WalFormat.PAGE_SIZE);
        Files.createDirectories(dir);
        int[] range = WalSegments.range(dir);
        openSegment(range[1] < 0 ? 0 : range[1] + 1);
    }

    public Path dir() {
        return dir;
    }

    /** The number of the segment being written. */
    public int currentSegment() {
        return segment;
    }

    private void openSegment(int n) throws IOException {
        segment = n;
        file = FileChannel.open(dir.resolve(WalFormat.segmentName(n)), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        donePages = 0;
        pageAlloc = 0;
        pageFlushed = 0;
    }

    /** Closes the current segment and starts the next one; returns the new segment's number. */
    public int nextSegment() throws IOException {
        if (pageAlloc > 0) {
            finishPage();
        }
        file.force(true);
        file.close();
        openSegment(segment + 1);
        return segment;
    }

    private void finishPage() throws IOException {
        // Zero-fill the rest of the page and write it out.
        java.util.Arrays.fill(page, pageAlloc, WalFormat.PAGE_SIZE, (byte) 0);
        pageAlloc = WalFormat.PAGE_SIZE;
        flushPage();
        pageAlloc = 0;
        pageFlushed = 0;
        donePages++;
        java.util.Arrays.fill(page, (byte) 0);
    }

    private void flushPage() throws IOException {
        if (pageFlushed < pageAlloc) {
            ByteBuffer b = ByteBuffer.wrap(page, pageFlushed, pageAlloc - pageFlushed);
            while (b.hasRemaining()) {
                file.write(b);
            }
            pageFlushed = pageAlloc;
        }
    }

    /** Appends one record (its first byte is the record type). */
    public void log(byte[] rec, int len) throws IOException {
        if (len == 0) {
            throw new IllegalArgumentException("empty WAL record");
        }
        int left = WalFormat.PAGE_SIZE - pageAlloc - WalFormat.HEADER_SIZE;
        long leftInSegment = left + (long) (WalFormat.PAGE_SIZE - WalFormat.HEADER_SIZE) * (pagesPerSegment - donePages - 1);
        if (len > leftInSegment) {
            nextSegment();
        }
        int off = 0;
        boolean first = true;
        while (true) {
            if (WalFormat.PAGE_SIZE - pageAlloc < WalFormat.HEADER_SIZE + 1) {
                finishPage();
            }
            int room = WalFormat.PAGE_SIZE - pageAlloc - WalFormat.HEADER_SIZE;
            int n = Math.min(room, len - off);
            boolean last = off + n == len;
            int type;
            if (first && last) {
                type = WalFormat.TYPE_FULL;
            } else if (first) {
                type = WalFormat.TYPE_FIRST;
            } else if (last) {
                type = WalFormat.TYPE_LAST;
            } else {
                type = WalFormat.TYPE_MIDDLE;
            }
            crc.reset();
            crc.update(rec, off, n);
            int c = (int) crc.getValue();
            int p = pageAlloc;
            page[p] = (byte) type;
            page[p + 1] = (byte) (n >>> 8);
            page[p + 2] = (byte) n;
            page[p + 3] = (byte) (c >>> 24);
            page[p + 4] = (byte) (c >>> 16);
            page[p + 5] = (byte) (c >>> 8);
            page[p + 6] = (byte) c;
            System.arraycopy(rec, off, page, p + WalFormat.HEADER_SIZE, n);
            pageAlloc += WalFormat.HEADER_SIZE + n;
            off += n;
            first = false;
            if (pageAlloc == WalFormat.PAGE_SIZE) {
                finishPage();
                if (donePages == pagesPerSegment && !last) {
                    throw new IllegalStateException("WAL record crossed a segment boundary");
                }
            }
            if (last) {
                break;
            }
        }
        if (donePages >= pagesPerSegment) {
            nextSegment();
        }
    }

    /** Writes buffered bytes to the file (no fsync). */
    public void flush() throws IOException {
        flushPage();
    }

    /** Writes buffered bytes and forces them to disk. */
    public void sync() throws IOException {
        flushPage();
        file.force(false);
    }

    @Override
    public void close() throws IOException {
        if (file != null && file.isOpen()) {
            flushPage();
            file.force(true);
            file.close();
        }
    }
}
