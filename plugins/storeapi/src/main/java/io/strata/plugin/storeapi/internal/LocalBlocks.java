package io.strata.plugin.storeapi.internal;

import io.strata.api.storage.ChunkQuerier;
import io.strata.api.storage.ChunkQueryable;
import io.strata.plugin.storeapi.StoreApiServer;
import io.strata.plugin.tsdb.block.Block;
import io.strata.plugin.tsdb.block.BlockMeta;
import io.strata.plugin.tsdb.block.Ulid;
import io.strata.plugin.tsdb.querier.BlockSource;
import io.strata.plugin.tsdb.querier.TsdbQuerier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The blocks of a TSDB directory, opened read-only (no lock taken, nothing written, the head and WAL
 * ignored): a directory named by a ULID that holds a meta.json is a block.
 */
public final class LocalBlocks implements ChunkQueryable, AutoCloseable {
    private final Path directory;
    private final List<Block> blocks;

    private LocalBlocks(Path directory, List<Block> blocks) {
        this.directory = directory;
        this.blocks = blocks;
    }

    /** Opens every block under {@code directory}; a block that cannot be read fails with its path. */
    public static LocalBlocks open(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException("TSDB directory " + directory + " does not exist or is not a directory");
        }
        List<Block> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(directory)) {
            for (Path p : s.sorted().toList()) {
                if (Files.isDirectory(p) && Ulid.isValid(p.getFileName().toString()) && Files.exists(p.resolve(BlockMeta.FILE_NAME))) {
                    try {
                        out.add(Block.open(p));
                    } catch (IOException | RuntimeException e) {
                        out.forEach(Block::close);
                        throw new IOException("opening block " + p + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        out.sort(Comparator.comparingLong(Block::minTime).thenComparing(b -> b.meta().ulid()));
        return new LocalBlocks(directory, List.copyOf(out));
    }

    public Path directory() {
        return directory;
    }

    public List<Block> blocks() {
        return blocks;
    }

    /** The inclusive time range of all blocks; {@link StoreApiServer.TimeRange#EMPTY} without blocks. */
    public StoreApiServer.TimeRange timeRange() {
        if (blocks.isEmpty()) {
            return StoreApiServer.TimeRange.EMPTY;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Block b : blocks) {
            min = Math.min(min, b.minTime());
            max = Math.max(max, b.maxTime() - 1);
        }
        return new StoreApiServer.TimeRange(min, max);
    }

    @Override
    public ChunkQuerier chunkQuerier(long minTime, long maxTime) {
        List<BlockSource> sources = new ArrayList<>();
        for (Block b : blocks) {
            if (b.overlaps(minTime, maxTime)) {
                sources.add(new BlockSource(b));
            }
        }
        return new TsdbQuerier(sources, minTime, maxTime, null).chunks();
    }

    @Override
    public void close() {
        blocks.forEach(Block::close);
    }
}
