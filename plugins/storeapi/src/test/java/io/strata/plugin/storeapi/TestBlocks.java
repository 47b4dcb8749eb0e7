package io.strata.plugin.storeapi;

import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkSeries;
import io.strata.plugin.tsdb.block.BlockMeta;
import io.strata.plugin.tsdb.block.BlockWriter;
import io.strata.plugin.tsdb.block.Ulid;
import io.strata.plugin.tsdb.chunks.EncodedChunks;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/** Writes TSDB blocks for tests. */
public final class TestBlocks {
    private TestBlocks() {
    }

    /** Writes the series as one block under {@code directory}; the block's time range covers them all. */
    public static Path write(Path directory, List<ChunkSeries> series) throws Exception {
        TreeSet<String> symbols = new TreeSet<>();
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (ChunkSeries s : series) {
            s.labels().forEach((n, v) -> {
                symbols.add(n);
                symbols.add(v);
            });
            ChunkIterator it = s.chunks(null);
            while (it.next()) {
                min = Math.min(min, it.minTime());
                max = Math.max(max, it.maxTime());
            }
        }
        String ulid = Ulid.generate();
        try (BlockWriter w = new BlockWriter(directory, ulid, symbols, 512L << 20)) {
            EncodedChunks chunks = new EncodedChunks();
            for (ChunkSeries s : series) {
                chunks.clear();
                ChunkIterator it = s.chunks(null);
                while (it.next()) {
                    chunks.add(it.minTime(), it.maxTime(), it.encoding(), it.bytes());
                }
                w.addSeries(s.labels(), chunks);
            }
            return w.commit(min, max + 1, BlockMeta.Compaction.level1(ulid), null);
        }
    }

}
