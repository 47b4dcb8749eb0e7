package io.strata.plugin.tsdb.block;

import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.SeriesSet;
import io.strata.plugin.tsdb.chunks.ChunkSegmentFormat;
import io.strata.plugin.tsdb.chunks.EncodedChunks;
import io.strata.plugin.tsdb.querier.BlockSource;
import io.strata.plugin.tsdb.querier.ChunkSeriesSource;
import io.strata.plugin.tsdb.querier.MergeSeriesSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Merges blocks into one. Chunks are copied as they are unless they overlap (vertical compaction),
 * in which case the overlapping chunks are decoded, merged with identical timestamps deduplicated,
 * and re-encoded. Deleted samples (tombstones) are dropped.
 */
public final class Compactor {
    private final long maxChunkSegmentSize;

    public Compactor(long maxChunkSegmentSize) {
        if (maxChunkSegmentSize <= ChunkSegmentFormat.HEADER_SIZE) {
            throw new IllegalArgumentException("chunk segment size too small: " + maxChunkSegmentSize);
        }
        this.maxChunkSegmentSize = maxChunkSegmentSize;
    }

    public Compactor() {
        this(ChunkSegmentFormat.DEFAULT_MAX_SEGMENT_SIZE);
    }

    /**
     * Writes the merge of {@code blocks} as a new block under {@code parentDir}; returns its directory,
     * or null when the result would hold no series.
     */
    public Path merge(List<Block> blocks, Path parentDir, BlockMeta.Thanos thanos) throws IOException {
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("nothing to compact");
        }
        long mint = Long.MAX_VALUE;
        long maxt = Long.MIN_VALUE;
        int level = 0;
        Set<String> sources = new LinkedHashSet<>();
        List<BlockMeta.Parent> parents = new ArrayList<>();
        Set<String> symbols = new HashSet<>();
        List<SeriesSet<ChunkSeries>> sets = new ArrayList<>();
        for (Block b : blocks) {
            mint = Math.min(mint, b.minTime());
            maxt = Math.max(maxt, b.maxTime());
            level = Math.max(level, b.meta().compaction().level());
            sources.addAll(b.meta().compaction().sources());
            parents.add(new BlockMeta.Parent(b.meta().ulid(), b.minTime(), b.maxTime()));
            for (int i = 0; i < b.index().symbolCount(); i++) {
                symbols.add(b.index().symbol(i));
            }
            ChunkSeriesSource src = new BlockSource(b);
            sets.add(src.select(Long.MIN_VALUE, Long.MAX_VALUE));
        }
        List<String> sortedSources = new ArrayList<>(sources);
        sortedSources.sort(null);
        String ulid = Ulid.generate();
        SeriesSet<ChunkSeries> merged = MergeSeriesSet.of(sets);
        try (BlockWriter w = new BlockWriter(parentDir, ulid, symbols, maxChunkSegmentSize)) {
            EncodedChunks enc = new EncodedChunks();
            while (merged.next()) {
                ChunkSeries s = merged.at();
                enc.clear();
                ChunkIterator it = s.chunks(null);
                while (it.next()) {
                    enc.add(it.minTime(), it.maxTime(), it.encoding(), it.bytes());
                }
                w.addSeries(s.labels(), enc);
            }
            if (merged.err() != null) {
                throw new IOException("reading blocks to compact failed: " + merged.err().getMessage(), merged.err());
            }
            if (w.stats().numSeries() == 0) {
                return null;
            }
            return w.commit(mint, maxt, new BlockMeta.Compaction(level + 1, sortedSources, false, parents, false, List.of()), thanos);
        }
    }
}
