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
    private final SegmentOpener opener;
    private int markSegment;
    private long markOffset;
    private boolean repairPending;

    /** Opens a new segment file for writing (created or truncated); replaceable to inject write failures. */
    @FunctionalInterface
    public interface SegmentOpener {
        SegmentOpener FILES = p -> FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);

        FileChannel open(Path segment) throws IOException;
    }

    /** Opens for appending after the last existing segment (a new segment is started). */
    public WalWriter(Path dir, long segmentSize) throws IOException {
        this(dir, segmentSize, SegmentOpener.FILES);
    }

    /** Like {@link #WalWriter(Path, long)}, opening segment files through {@code opener}. */
    public WalWriter(Path dir, long segmentSize, SegmentOpener opener) throws IOException {
        this.opener = opener;
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

    /** The file of the segment being written. */
    public Path segmentPath() {
        return dir.resolve(WalFormat.segmentName(segment));
    }

    private void openSegment(int n) throws IOException {
        segment = n;
        donePages = 0;
        pageAlloc = 0;
        pageFlushed = 0;
        java.util.Arrays.fill(page, (byte) 0);
        file = opener.open(dir.resolve(WalFormat.segmentName(n)));
    }

    /**
     * Starts a batch of records that must reach the log entirely or not at all: writes out what is
     * buffered and remembers where the log ends. Completes the repair after an earlier failed batch
     * first (and throws if that still fails).
     */
    public void beginBatch() throws IOException {
        repairIfPending();
        flushPage();
        markSegment = segment;
        markOffset = (long) donePages * WalFormat.PAGE_SIZE + pageAlloc;
    }

    /**
     * Undoes a batch after a failed write: deletes segments the batch started, truncates the segment
     * it began in back to where the batch began, and continues in a fresh segment (the partly written
     * page is not reused). Returns null on success; if the repair fails (for example the disk is
     * still full), returns the error and the repair is retried before the next write.
     */
    public IOException abortBatch() {
        repairPending = true;
        try {
            repairIfPending();
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    private void repairIfPending() throws IOException {
        if (!repairPending) {
            return;
        }
        if (file != null) {
            try {
                file.close();
            } catch (IOException ignored) {
                // The segment is cut back below; a failing close changes nothing.
            }
            file = null;
        }
        for (int k = segment; k > markSegment; k--) {
            Files.deleteIfExists(dir.resolve(WalFormat.segmentName(k)));
        }
        Path marked = dir.resolve(WalFormat.segmentName(markSegment));
        if (Files.exists(marked)) {
            try (FileChannel ch = FileChannel.open(marked, StandardOpenOption.WRITE)) {
                if (ch.size() > markOffset) {
                    ch.truncate(markOffset);
                }
                ch.force(true);
            }
        }
        openSegment(markSegment + 1);
        repairPending = false;
    }

    /** Closes the current segment and starts the next one; returns the new segment's number. */
    public int nextSegment() throws IOException {
        repairIfPending();
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
        repairIfPending();
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
        repairIfPending();
        flushPage();
    }

    /** Writes buffered bytes and forces them to disk. */
    public void sync() throws IOException {
        repairIfPending();
        flushPage();
        file.force(false);
    }

    @Override
    public void close() throws IOException {
        repairIfPending();
        if (file != null && file.isOpen()) {
            flushPage();
            file.force(true);
            file.close();
        }
    }
}
