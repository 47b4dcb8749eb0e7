package io.strata.plugin.tsdb.block;

import io.strata.api.labels.Labels;
import io.strata.api.storage.ChunkIterator;
import io.strata.plugin.tsdb.chunks.ChunkSegmentWriter;
import io.strata.plugin.tsdb.chunks.EncodedChunks;
import io.strata.plugin.tsdb.index.ChunkMetas;
import io.strata.plugin.tsdb.index.IndexWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Writes one block: chunks into {@code chunks/NNNNNN}, the index, empty tombstones and meta.json,
 * all in {@code <ulid>.tmp-for-creation}, renamed to {@code <ulid>} on {@link #commit}. Series must be
 * added in label order; symbols are declared up front.
 */
public final class BlockWriter implements AutoCloseable {
    public static final String TMP_SUFFIX = ".tmp-for-creation";

    private final Path parent;
    private final String ulid;
    private final Path tmp;
    private final ChunkSegmentWriter chunks;
    private final IndexWriter index;
    private final ChunkMetas metas = new ChunkMetas();
    private long numSamples;
    private long numSeries;
    private long numChunks;
    private boolean done;

    public BlockWriter(Path parentDir, String ulid, Collection<String> symbols, long maxChunkSegmentSize) throws IOException {
        if (!Ulid.isValid(ulid)) {
            throw new IllegalArgumentException("invalid ULID " + ulid);
        }
        this.parent = parentDir;
        this.ulid = ulid;
        this.tmp = parentDir.resolve(ulid + TMP_SUFFIX);
        if (Files.exists(tmp)) {
            deleteRecursively(tmp);
        }
        Files.createDirectories(tmp);
        this.chunks = new ChunkSegmentWriter(tmp.resolve("chunks"), maxChunkSegmentSize);
        this.index = new IndexWriter(tmp.resolve("index"), symbols);
    }

    public String ulid() {
        return ulid;
    }

    /** Adds a series and its chunks (sorted by time); a series without chunks is skipped. */
    public void addSeries(Labels labels, EncodedChunks series) throws IOException {
        if (series.size() == 0) {
            return;
        }
        long batch = 0;
        for (int i = 0; i < series.size(); i++) {
            batch += ChunkSegmentWriter.recordSize(series.data(i).remaining());
        }
        chunks.beginBatch(batch);
        metas.clear();
        for (int i = 0; i < series.size(); i++) {
            long ref = chunks.write(series.encoding(i), series.data(i));
            metas.add(series.minTime(i), series.maxTime(i), ref);
            if (series.encoding(i) == ChunkIterator.ENCODING_XOR && series.data(i).remaining() >= 2) {
                var d = series.data(i);
                numSamples += ((d.get(d.position()) & 0xFF) << 8) | (d.get(d.position() + 1) & 0xFF);
            }
        }
        index.addSeries(labels, metas);
        numSeries++;
        numChunks += series.size();
    }

    public BlockMeta.Stats stats() {
        return new BlockMeta.Stats(numSamples, numSeries, numChunks, 0);
    }

    /**
     * Finishes the files, writes meta.json and renames the directory into place. {@code maxTime} is
     * exclusive.
     */
    public Path commit(long minTime, long maxTime, BlockMeta.Compaction compaction, BlockMeta.Thanos thanos) throws IOException {
        chunks.close();
        index.finish();
        Tombstones.EMPTY.write(tmp);
        BlockMeta meta = new BlockMeta(ulid, minTime, maxTime, stats(), compaction, thanos);
        if (thanos != null) {
            List<BlockMeta.ThanosFile> files = new ArrayList<>();
            try (var s = Files.list(tmp.resolve("chunks"))) {
                for (Path p : s.sorted().toList()) {
                    files.add(new BlockMeta.ThanosFile("chunks/" + p.getFileName(), Files.size(p)));
                }
            }
            files.add(new BlockMeta.ThanosFile("index", Files.size(tmp.resolve("index"))));
            files.add(new BlockMeta.ThanosFile("meta.json", 0));
            List<String> segs = files.stream().filter(f -> f.relPath().startsWith("chunks/")).map(f -> f.relPath().substring(7)).toList();
            meta = meta.withThanos(new BlockMeta.Thanos(thanos.labels(), thanos.downsampleResolution(), thanos.source(), segs, files));
        }
        meta.write(tmp);
        Path dst = parent.resolve(ulid);
        Files.move(tmp, dst, StandardCopyOption.ATOMIC_MOVE);
        done = true;
        return dst;
    }

    /** Discards a block that was not committed. */
    @Override
    public void close() throws IOException {
        if (!done) {
            done = true;
            chunks.close();
            try {
                index.close();
            } catch (IOException ignored) {
                // the directory is deleted below
            }
            deleteRecursively(tmp);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Deletes a directory tree; used to remove blocks and leftovers. */
    public static void delete(Path dir) {
        try {
            deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
