package io.strata.plugin.tsdb.block;

import io.strata.plugin.tsdb.chunks.ChunkSegmentReader;
import io.strata.plugin.tsdb.index.IndexReader;
import java.io.IOException;
import java.nio.file.Path;

/** An opened, immutable block: meta, memory-mapped index and chunks, tombstones. Thread-safe. */
public final class Block implements AutoCloseable {
    private final Path dir;
    private final BlockMeta meta;
    private final IndexReader index;
    private final ChunkSegmentReader chunks;
    private final Tombstones tombstones;

    private Block(Path dir, BlockMeta meta, IndexReader index, ChunkSegmentReader chunks, Tombstones tombstones) {
        this.dir = dir;
        this.meta = meta;
        this.index = index;
        this.chunks = chunks;
        this.tombstones = tombstones;
    }

    /**
     * Opens a block, checking the index's magic, version, TOC, symbol table and postings offset table
     * checksums and the chunk segments' magic and version. Chunk and series checksums are checked when
     * read; see {@link #openVerified}.
     */
    public static Block open(Path dir) throws IOException {
        return open(dir, false);
    }

    /**
     * Opens a block like {@link #open} and also checks every series entry and postings list of the
     * index (one sequential read of the index file), so that a corrupt index fails here and not in a
     * later query.
     */
    public static Block openVerified(Path dir) throws IOException {
        return open(dir, true);
    }

    private static Block open(Path dir, boolean verify) throws IOException {
        BlockMeta meta = BlockMeta.read(dir);
        IndexReader index = IndexReader.open(dir.resolve("index"));
        if (verify) {
            index.verify();
        }
        ChunkSegmentReader chunks = ChunkSegmentReader.open(dir.resolve("chunks"));
        Tombstones tombstones = Tombstones.read(dir);
        return new Block(dir, meta, index, chunks, tombstones);
    }

    public Path dir() {
        return dir;
    }

    public BlockMeta meta() {
        return meta;
    }

    public IndexReader index() {
        return index;
    }

    public ChunkSegmentReader chunks() {
        return chunks;
    }

    public Tombstones tombstones() {
        return tombstones;
    }

    public long minTime() {
        return meta.minTime();
    }

    /** Exclusive. */
    public long maxTime() {
        return meta.maxTime();
    }

    public boolean overlaps(long mint, long maxtInclusive) {
        return meta.minTime() <= maxtInclusive && mint < meta.maxTime();
    }

    /** Bytes on disk of index and chunks. */
    public long size() {
        return index.size() + chunks.size();
    }

    @Override
    public void close() {
        index.close();
        chunks.close();
    }
}
