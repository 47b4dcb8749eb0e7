package io.strata.plugin.tsdb.head;

import io.strata.plugin.tsdb.CorruptionException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Full head chunks memory-mapped in {@code chunks_head/NNNNNN} files (Prometheus's head chunk
 * format: BE64 series ref, BE64 mint, BE64 maxt, encoding, uvarint length, data, CRC32C over the
 * whole record). References are {@code (file number << 32) | offset}. Thread-safe.
 */
final class HeadChunkStore implements AutoCloseable {
    static final int MAGIC = 0x0130BC91;
    static final int HEADER_SIZE = 8;
    static final long DEFAULT_MAX_FILE_SIZE = 128L * 1024 * 1024;

    private final Path dir;
    private final long maxFileSize;
    private final TreeMap<Integer, Segment> files = new TreeMap<>();
    private Segment current;
    private final CRC32C crc = new CRC32C();

    private static final class Segment {
        final int seq;
        final Path path;
        final MappedByteBuffer map;
        int size;
        long maxTime = Long.MIN_VALUE;

        Segment(int seq, Path path, MappedByteBuffer map) {
            this.seq = seq;
            this.path = path;
            this.map = map;
        }
    }

    HeadChunkStore(Path dir, long maxFileSize) throws IOException {
        if (maxFileSize < 1024) {
            throw new IllegalArgumentException("head chunk file size too small: " + maxFileSize);
        }
        this.dir = dir;
        this.maxFileSize = maxFileSize;
        Files.createDirectories(dir);
        // Head chunks are rebuilt from the WAL on start, so files of an earlier run are removed.
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                if (p.getFileName().toString().matches("[0-9]+")) {
                    Files.delete(p);
                }
            }
        }
    }

    private Segment cut() throws IOException {
        if (current != null) {
            finish(current);
        }
        int seq = files.isEmpty() ? 1 : files.lastKey() + 1;
        Path p = dir.resolve(String.format("%06d", seq));
        MappedByteBuffer m;
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(maxFileSize);
            m = f.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, maxFileSize);
        }
        m.putInt(0, MAGIC);
        m.put(4, (byte) 1);
        Segment s = new Segment(seq, p, m);
        s.size = HEADER_SIZE;
        files.put(seq, s);
        current = s;
        return s;
    }

    private static void finish(Segment s) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(s.path.toFile(), "rw")) {
            f.setLength(s.size);
        }
    }

    /** Writes a full chunk and returns its reference. */
    synchronized long write(long seriesRef, long mint, long maxt, int encoding, byte[] data, int len) throws IOException {
        int recLen = 8 + 8 + 8 + 1 + 5 + len + 4;
        if (current == null || current.size + recLen > maxFileSize) {
            cut();
        }
        Segment s = current;
        int start = s.size;
        ByteBuffer m = s.map;
        int p = start;
        m.putLong(p, seriesRef);
        m.putLong(p + 8, mint);
        m.putLong(p + 16, maxt);
        m.put(p + 24, (byte) encoding);
        p += 25;
        long v = len;
        while ((v & ~0x7FL) != 0) {
            m.put(p++, (byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        m.put(p++, (byte) v);
        m.put(p, data, 0, len);
        p += len;
        crc.reset();
        crc.update(m.duplicate().position(start).limit(p));
        m.putInt(p, (int) crc.getValue());
        p += 4;
        s.size = p;
        s.maxTime = Math.max(s.maxTime, maxt);
        return ((long) s.seq << 32) | start;
    }

    /** The data bytes of a chunk (a read-only slice of the mapping). */
    synchronized ByteBuffer chunk(long ref) {
        int seq = (int) (ref >>> 32);
        int off = (int) ref;
        Segment s = files.get(seq);
        if (s == null || off < HEADER_SIZE || off + 30 > s.size) {
            throw new CorruptionException(dir.resolve(String.format("%06d", seq)), off, "head chunk reference 0x" + Long.toHexString(ref)
                    + " does not point into a live head chunk file");
        }
        ByteBuffer m = s.map;
        int p = off + 25;
        long len = 0;
        int shift = 0;
        while (true) {
            int b = m.get(p++) & 0xFF;
            len |= (long) (b & 0x7F) << shift;
            if (b < 0x80) {
                break;
            }
            shift += 7;
        }
        return m.slice(p, (int) len).asReadOnlyBuffer();
    }

    /** Deletes files, other than the one being written, whose chunks all end before {@code mint}. */
    synchronized void truncateBefore(long mint) throws IOException {
        List<Integer> drop = new ArrayList<>();
        for (Segment s : files.values()) {
            if (s != current && s.maxTime < mint) {
                drop.add(s.seq);
            }
        }
        for (int seq : drop) {
            Segment s = files.remove(seq);
            Files.deleteIfExists(s.path);
        }
    }

    synchronized int fileCount() {
        return files.size();
    }

    @Override
    public synchronized void close() throws IOException {
        if (current != null) {
            current.map.force();
            finish(current);
            current = null;
        }
    }
}
