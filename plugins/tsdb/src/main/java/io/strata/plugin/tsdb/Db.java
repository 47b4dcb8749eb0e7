package io.strata.plugin.tsdb;

import io.strata.api.storage.Appendable;
import io.strata.api.storage.Appender;
import io.strata.api.storage.ChunkQuerier;
import io.strata.api.storage.ChunkQueryable;
import io.strata.api.storage.Querier;
import io.strata.api.storage.Queryable;
import io.strata.plugin.tsdb.block.Block;
import io.strata.plugin.tsdb.block.BlockMeta;
import io.strata.plugin.tsdb.block.BlockWriter;
import io.strata.plugin.tsdb.block.Compactor;
import io.strata.plugin.tsdb.block.Ulid;
import io.strata.plugin.tsdb.head.Head;
import io.strata.plugin.tsdb.querier.BlockSource;
import io.strata.plugin.tsdb.querier.ChunkSeriesSource;
import io.strata.plugin.tsdb.querier.TsdbQuerier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TSDB in one directory: persisted blocks plus the head (WAL-backed). Appends go to the head;
 * {@link #compact()} cuts aligned blocks out of the head, truncates it and its WAL, merges
 * overlapping blocks and applies retention. Queries see blocks and head merged.
 */
public final class Db implements Appendable, Queryable, ChunkQueryable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Db.class);

    private final Path dir;
    private final DbOptions options;
    private final Head head;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private volatile List<Block> blocks;
    private volatile List<CorruptBlock> corrupt = List.of();
    private final Object compactionLock = new Object();

    private Db(Path dir, DbOptions options, io.strata.plugin.tsdb.wal.WalWriter.SegmentOpener walOpener) throws IOException {
        this.dir = dir;
        this.options = options;
        Files.createDirectories(dir);
        this.lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l = lockChannel.tryLock();
        if (l == null) {
            lockChannel.close();
            throw new IOException("TSDB directory " + dir + " is locked by another process");
        }
        this.lock = l;
        removeLeftovers();
        this.blocks = openBlocks(List.of());
        long minValid = Long.MIN_VALUE;
        for (Block b : blocks) {
            minValid = Math.max(minValid, b.maxTime());
        }
        this.head = Head.open(dir, options.headOptions(), minValid, walOpener);
    }

    /** Opens (or creates) the TSDB in {@code dir}, replaying its WAL. */
    public static Db open(Path dir, DbOptions options) throws IOException {
        if (dir == null || options == null) {
            throw new IllegalArgumentException("directory and options are required");
        }
        return new Db(dir, options, io.strata.plugin.tsdb.wal.WalWriter.SegmentOpener.FILES);
    }

    /** Like {@link #open(Path, DbOptions)}, opening WAL segment files through {@code walOpener} (for fault injection). */
    public static Db open(Path dir, DbOptions options, io.strata.plugin.tsdb.wal.WalWriter.SegmentOpener walOpener) throws IOException {
        if (dir == null || options == null || walOpener == null) {
            throw new IllegalArgumentException("directory, options and WAL opener are required");
        }
        return new Db(dir, options, walOpener);
    }

    public Path dir() {
        return dir;
    }

    public Head head() {
        return head;
    }

    /** The persisted blocks, sorted by min time. */
    public List<Block> blocks() {
        return blocks;
    }

    private void removeLeftovers() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (Files.isDirectory(p) && (n.endsWith(".tmp-for-creation") || n.endsWith(".tmp-for-deletion") || n.endsWith(".tmp"))) {
                    BlockWriter.delete(p);
                }
            }
        }
    }

    /**
     * A block left out because it could not be opened: its directory, the file and byte offset of
     * the problem when known (null and -1 otherwise) and what was wrong.
     */
    public record CorruptBlock(Path dir, Path file, long offset, String problem) {
        public String ulid() {
            return dir.getFileName().toString();
        }
    }

    /**
     * Blocks found at open or reload that failed their checks (magic, version, checksums of the
     * index, unreadable meta.json or files); they stay on disk, untouched, and out of queries,
     * compaction and retention.
     */
    public List<CorruptBlock> corruptBlocks() {
        return corrupt;
    }

    /** Number of {@link #corruptBlocks()}, for a gauge. */
    public int corruptBlockCount() {
        return corrupt.size();
    }

    /**
     * Opens the block directories of {@code dir}, reusing blocks already open in {@code current};
     * a block that fails its checks is logged once and recorded in {@link #corruptBlocks()}.
     */
    private List<Block> openBlocks(List<Block> current) throws IOException {
        java.util.Map<String, Block> open = new java.util.HashMap<>();
        for (Block b : current) {
            open.put(b.dir().getFileName().toString(), b);
        }
        java.util.Map<String, CorruptBlock> knownBad = new java.util.HashMap<>();
        for (CorruptBlock c : corrupt) {
            knownBad.put(c.ulid(), c);
        }
        List<Block> out = new ArrayList<>();
        List<CorruptBlock> bad = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if (!Files.isDirectory(p) || !Ulid.isValid(name) || !Files.exists(p.resolve(BlockMeta.FILE_NAME))) {
                    continue;
                }
                Block b = open.get(name);
                if (b != null) {
                    out.add(b);
                    continue;
                }
                CorruptBlock known = knownBad.get(name);
                if (known != null) {
                    bad.add(known);
                    continue;
                }
                try {
                    out.add(Block.openVerified(p));
                } catch (CorruptionException e) {
                    bad.add(reportCorrupt(new CorruptBlock(p, e.file(), e.offset(), problemOf(e))));
                } catch (IOException | RuntimeException e) {
                    bad.add(reportCorrupt(new CorruptBlock(p, null, -1, e.toString())));
                }
            }
        }
        corrupt = List.copyOf(bad);
        out.sort(Comparator.comparingLong(Block::minTime).thenComparing(b -> b.meta().ulid()));
        return List.copyOf(out);
    }

    private static String problemOf(CorruptionException e) {
        String m = e.getMessage();
        String prefix = e.file() + " at offset " + e.offset() + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    private static CorruptBlock reportCorrupt(CorruptBlock c) {
        LOG.error("block {} is corrupt and left out of queries, compaction and retention: file {}, offset {}: {}", c.dir(),
                c.file() == null ? "(unknown)" : c.file(), c.offset(), c.problem());
        return c;
    }

    @Override
    public Appender appender() {
        return head.appender();
    }

    private List<ChunkSeriesSource> sources(long mint, long maxt) {
        List<ChunkSeriesSource> out = new ArrayList<>();
        for (Block b : blocks) {
            if (b.overlaps(mint, maxt)) {
                out.add(new BlockSource(b));
            }
        }
        if (!head.isEmpty()) {
            out.add(head);
        }
        return out;
    }

    /** A querier over [mint, maxt] (inclusive) with both sample and chunk views. */
    public TsdbQuerier tsdbQuerier(long mint, long maxt) {
        return new TsdbQuerier(sources(mint, maxt), mint, maxt, null);
    }

    @Override
    public Querier querier(long mint, long maxt) {
        return tsdbQuerier(mint, maxt).samples();
    }

    @Override
    public ChunkQuerier chunkQuerier(long mint, long maxt) {
        return tsdbQuerier(mint, maxt).chunks();
    }

    /**
     * Persists every full block range of the head (while the head spans more than 1.5 block
     * durations), truncates head and WAL, merges overlapping blocks and applies retention. Returns
     * the number of blocks written by head compaction.
     */
    public int compact() throws IOException {
        synchronized (compactionLock) {
            int written = persistHead(false);
            compactOverlapping();
            applyRetention();
            return written;
        }
    }

    /** Writes everything in the head into blocks (one per block range), then empties the head. */
    public int flushHead() throws IOException {
        synchronized (compactionLock) {
            return persistHead(true);
        }
    }

    private int persistHead(boolean all) throws IOException {
        int written = 0;
        long range = options.blockDuration();
        while (!head.isEmpty()) {
            long dataMin = head.dataMinTime();
            if (dataMin == Long.MAX_VALUE) {
                break;
            }
            long mint;
            if (dataMin < head.minTime()) {
                // Out-of-order samples of an older range: they get a block of their own, merged later.
                mint = Math.floorDiv(dataMin, range) * range;
            } else {
                if (!all && head.maxTime() - head.minTime() <= range / 2 * 3) {
                    break;
                }
                mint = head.minTime();
            }
            long maxt = Math.floorDiv(mint, range) * range + range;
            if (writeHeadBlock(mint, maxt)) {
                written++;
            }
            head.truncate(maxt);
        }
        return written;
    }

    private boolean writeHeadBlock(long mint, long maxt) throws IOException {
        BlockMeta.Thanos thanos = options.externalLabels().isEmpty() ? null
                : new BlockMeta.Thanos(options.externalLabels(), 0, "receive", List.of(), List.of());
        Path p = head.writeBlock(dir, mint, maxt, thanos);
        if (p == null) {
            return false;
        }
        LOG.info("wrote block {} for [{}, {})", p.getFileName(), mint, maxt);
        reload();
        return true;
    }

    private void reload() throws IOException {
        List<Block> old = blocks;
        List<Block> now = openBlocks(old);
        blocks = now;
        for (Block b : old) {
            if (!now.contains(b)) {
                b.close();
            }
        }
    }

    /** Merges groups of blocks whose time ranges overlap into one block each. */
    public void compactOverlapping() throws IOException {
        synchronized (compactionLock) {
            List<Block> bs = blocks;
            int i = 0;
            while (i < bs.size()) {
                int j = i + 1;
                long end = bs.get(i).maxTime();
                while (j < bs.size() && bs.get(j).minTime() < end) {
                    end = Math.max(end, bs.get(j).maxTime());
                    j++;
                }
                if (j - i > 1) {
                    List<Block> group = bs.subList(i, j);
                    Path merged = new Compactor(options.chunkSegmentSize()).merge(group, dir, null);
                    for (Block b : group) {
                        deleteBlock(b.dir());
                    }
                    LOG.info("merged {} overlapping blocks into {}", group.size(), merged == null ? "nothing" : merged.getFileName());
                    reload();
                    bs = blocks;
                    i = 0;
                    continue;
                }
                i = j;
            }
        }
    }

    private void deleteBlock(Path blockDir) throws IOException {
        Path tmp = blockDir.resolveSibling(blockDir.getFileName() + ".tmp-for-deletion");
        Files.move(blockDir, tmp, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        BlockWriter.delete(tmp);
    }

    /** Deletes blocks beyond the time retention (relative to the newest block) and the size limit. */
    public void applyRetention() throws IOException {
        synchronized (compactionLock) {
            List<Block> bs = blocks;
            if (bs.isEmpty()) {
                return;
            }
            List<Block> delete = new ArrayList<>();
            if (options.retentionTime() > 0) {
                long newest = bs.stream().mapToLong(Block::maxTime).max().orElseThrow();
                for (Block b : bs) {
                    if (newest - b.maxTime() > options.retentionTime()) {
                        delete.add(b);
                    }
                }
            }
            if (options.retentionSize() > 0) {
                long total = 0;
                List<Block> newestFirst = new ArrayList<>(bs);
                newestFirst.sort(Comparator.comparingLong(Block::maxTime).reversed());
                for (Block b : newestFirst) {
                    total += b.size();
                    if (total > options.retentionSize() && !delete.contains(b)) {
                        delete.add(b);
                    }
                }
            }
            if (delete.isEmpty()) {
                return;
            }
            for (Block b : delete) {
                LOG.info("retention: deleting block {} [{}, {})", b.meta().ulid(), b.minTime(), b.maxTime());
                deleteBlock(b.dir());
            }
            reload();
        }
    }

    /** Flushes the WAL and head chunks and releases the directory lock. */
    @Override
    public void close() {
        try {
            head.close();
            for (Block b : blocks) {
                b.close();
            }
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing TSDB " + dir, e);
        }
    }
}
