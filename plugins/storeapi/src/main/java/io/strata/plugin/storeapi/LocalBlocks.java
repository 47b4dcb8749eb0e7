package io.strata.plugin.storeapi;

import io.strata.api.storage.ChunkQuerier;
import io.strata.api.storage.ChunkQueryable;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The blocks of a TSDB directory, opened read-only (no lock taken, nothing written, the head and WAL
 * ignored): a directory named by a ULID that holds a meta.json is a block. {@link #sync()} picks up
 * blocks that appeared and drops blocks that disappeared (a Prometheus compacting, retention); a
 * dropped block is closed only once no querier uses it any more.
 */
public final class LocalBlocks implements ChunkQueryable, AutoCloseable {
    /** An opened block and the number of queriers reading it. */
    private static final class Entry {
        final Block block;
        int readers;
        boolean dropped;

        Entry(Block block) {
            this.block = block;
        }
    }

    private final Path directory;
    private final Object lock = new Object();
    private List<Entry> entries = List.of();
    private boolean closed;

    private LocalBlocks(Path directory) {
        this.directory = directory;
    }

    /** Opens every block under {@code directory}; a block that cannot be read fails with its path. */
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LocalBlocks.class);
    private final java.util.Map<String, String> corrupt = new java.util.concurrent.ConcurrentHashMap<>();

    public static LocalBlocks open(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException("TSDB directory " + directory + " does not exist or is not a directory");
        }
        LocalBlocks blocks = new LocalBlocks(directory);
        try {
            blocks.sync();
        } catch (IOException | RuntimeException e) {
            blocks.close();
            throw e;
        }
        return blocks;
    }

    public Path directory() {
        return directory;
    }

    /** Blocks that failed their checks, by ULID, with the problem; they stay on disk, unserved. */
    public java.util.Map<String, String> corruptBlocks() {
        return java.util.Map.copyOf(corrupt);
    }

    /** What changed in a {@link #sync()}: ULIDs of blocks opened and dropped. */
    public record SyncResult(List<String> added, List<String> dropped) {
    }

    /**
     * Re-reads the directory: opens new blocks (verifying their index and chunk files), drops
     * vanished ones. A block that fails its checks is logged once with its path and the problem,
     * listed by {@link #corruptBlocks()} and left out; the other blocks are served.
     */
    public SyncResult sync() throws IOException {
        Set<String> present = new HashSet<>();
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> s = Files.list(directory)) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p) && Ulid.isValid(name) && Files.exists(p.resolve(BlockMeta.FILE_NAME))) {
                    present.add(name);
                    candidates.add(p);
                }
            }
        }
        Set<String> known = new HashSet<>();
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("blocks of " + directory + " are closed");
            }
            for (Entry e : entries) {
                known.add(e.block.meta().ulid());
            }
        }
        List<Entry> opened = new ArrayList<>();
        for (Path p : candidates) {
            String ulid = p.getFileName().toString();
            if (!known.contains(ulid) && !corrupt.containsKey(ulid)) {
                try {
                    opened.add(new Entry(Block.openVerified(p)));
                } catch (IOException | RuntimeException e) {
                    String problem = "block " + p + " is left out of queries: " + e.getMessage();
                    corrupt.put(ulid, problem);
                    LOG.error(problem);
                }
            }
        }
        corrupt.keySet().retainAll(present);
        List<String> added = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        synchronized (lock) {
            List<Entry> next = new ArrayList<>();
            for (Entry e : entries) {
                if (present.contains(e.block.meta().ulid())) {
                    next.add(e);
                } else {
                    dropped.add(e.block.meta().ulid());
                    drop(e);
                }
            }
            for (Entry e : opened) {
                next.add(e);
                added.add(e.block.meta().ulid());
            }
            next.sort(Comparator.comparingLong((Entry e) -> e.block.minTime()).thenComparing(e -> e.block.meta().ulid()));
            entries = List.copyOf(next);
        }
        return new SyncResult(added, dropped);
    }

    private void drop(Entry e) {
        e.dropped = true;
        if (e.readers == 0) {
            e.block.close();
        }
    }

    /** The blocks served now, sorted by min time. */
    public List<Block> blocks() {
        synchronized (lock) {
            return entries.stream().map(e -> e.block).toList();
        }
    }

    /** The inclusive time range of all blocks; {@link StoreApiServer.TimeRange#EMPTY} without blocks. */
    public StoreApiServer.TimeRange timeRange() {
        List<Block> blocks = blocks();
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
        List<Entry> used = new ArrayList<>();
        List<BlockSource> sources = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("blocks of " + directory + " are closed");
            }
            for (Entry e : entries) {
                if (e.block.overlaps(minTime, maxTime)) {
                    e.readers++;
                    used.add(e);
                    sources.add(new BlockSource(e.block));
                }
            }
        }
        AtomicBoolean released = new AtomicBoolean();
        return new TsdbQuerier(sources, minTime, maxTime, () -> {
            if (released.compareAndSet(false, true)) {
                synchronized (lock) {
                    for (Entry e : used) {
                        if (--e.readers == 0 && e.dropped) {
                            e.block.close();
                        }
                    }
                }
            }
        }).chunks();
    }

    /** Drops every block; blocks still being read are closed when their queriers close. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            for (Entry e : entries) {
                drop(e);
            }
            entries = List.of();
        }
    }
}
