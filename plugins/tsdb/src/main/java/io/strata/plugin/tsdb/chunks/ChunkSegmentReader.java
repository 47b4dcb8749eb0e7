package io.strata.plugin.tsdb.chunks;

import io.strata.plugin.tsdb.CorruptionException;
import io.strata.plugin.tsdb.internal.Decbuf;
import io.strata.plugin.tsdb.internal.MappedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads chunks from the memory-mapped segment files of a block's {@code chunks/} directory.
 * Thread-safe; returned buffers are read-only slices of the mapping.
 */
public final class ChunkSegmentReader implements AutoCloseable {
    private final List<Path> files;
    private final ByteBuffer[] segments;

    private ChunkSegmentReader(List<Path> files, ByteBuffer[] segments) {
        this.files = files;
        this.segments = segments;
    }

    /** Opens every purely numeric file of {@code dir} in name order, checking magic and version. */
    public static ChunkSegmentReader open(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().matches("[0-9]+")).forEach(files::add);
        }
        files.sort((a, b) -> Long.compare(Long.parseLong(a.getFileName().toString()), Long.parseLong(b.getFileName().toString())));
        ByteBuffer[] segs = new ByteBuffer[files.size()];
        for (int i = 0; i < segs.length; i++) {
            Path f = files.get(i);
            ByteBuffer b = MappedFile.map(f);
            if (b.limit() < ChunkSegmentFormat.HEADER_SIZE) {
                throw new CorruptionException(f, 0, "chunk segment of " + b.limit() + " bytes is shorter than its 8-byte header");
            }
            int magic = b.getInt(0);
            if (magic != ChunkSegmentFormat.MAGIC) {
                throw new CorruptionException(f, 0, "bad chunk segment magic 0x" + Integer.toHexString(magic) + ", want 0x"
                        + Integer.toHexString(ChunkSegmentFormat.MAGIC));
            }
            int version = b.get(4) & 0xFF;
            if (version != ChunkSegmentFormat.VERSION) {
                throw new CorruptionException(f, 4, "unsupported chunk segment version " + version + ", want 1");
            }
            segs[i] = b.asReadOnlyBuffer().order(b.order());
        }
        return new ChunkSegmentReader(List.copyOf(files), segs);
    }

    public int segmentCount() {
        return segments.length;
    }

    /** Total bytes of all segment files. */
    public long size() {
        long n = 0;
        for (ByteBuffer b : segments) {
            n += b.limit();
        }
        return n;
    }

    /** The chunk's encoding byte. */
    public int encoding(long ref) {
        ByteBuffer seg = segment(ref);
        Decbuf d = new Decbuf(seg, files.get(ChunkSegmentFormat.segmentIndex(ref)), check(ref, seg), seg.limit());
        d.uvarint();
        return d.u8();
    }

    /** The chunk's data (without length, encoding and CRC), CRC-checked. */
    public ByteBuffer chunk(long ref) {
        ByteBuffer seg = segment(ref);
        Path file = files.get(ChunkSegmentFormat.segmentIndex(ref));
        int off = check(ref, seg);
        Decbuf d = new Decbuf(seg, file, off, seg.limit());
        long len = d.uvarint();
        int encAt = d.position();
        if (len > seg.limit() - encAt - 5) {
            throw new CorruptionException(file, off, "chunk length " + len + " runs past the end of the " + seg.limit() + "-byte segment");
        }
        int dataEnd = encAt + 1 + (int) len;
        if (!d.crcMatches(encAt, dataEnd)) {
            throw d.crcFailure(encAt, dataEnd, "chunk " + Long.toHexString(ref));
        }
        return seg.slice(encAt + 1, (int) len);
    }

    private ByteBuffer segment(long ref) {
        int idx = ChunkSegmentFormat.segmentIndex(ref);
        if (idx < 0 || idx >= segments.length) {
            throw new CorruptionException(files.isEmpty() ? null : files.get(0).getParent(), ChunkSegmentFormat.offset(ref),
                    "chunk reference 0x" + Long.toHexString(ref) + " names segment index " + idx + " but there are " + segments.length
                            + " segments");
        }
        return segments[idx];
    }

    private int check(long ref, ByteBuffer seg) {
        int off = ChunkSegmentFormat.offset(ref);
        if (off < ChunkSegmentFormat.HEADER_SIZE || (long) off + 5 > seg.limit()) {
            throw new CorruptionException(files.get(ChunkSegmentFormat.segmentIndex(ref)), off,
                    "chunk reference offset out of the segment's bounds (size " + seg.limit() + ")");
        }
        return off;
    }

    @Override
    public void close() {
        // Mappings are released by the garbage collector.
    }
}
