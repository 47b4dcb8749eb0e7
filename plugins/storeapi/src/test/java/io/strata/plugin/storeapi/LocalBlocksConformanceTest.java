package io.strata.plugin.storeapi;

import io.strata.api.labels.Labels;
import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkSeries;
import io.strata.plugin.storeapi.internal.LocalBlocks;
import io.strata.plugin.tsdb.block.BlockMeta;
import io.strata.plugin.tsdb.block.BlockWriter;
import io.strata.plugin.tsdb.block.Ulid;
import io.strata.plugin.tsdb.chunks.EncodedChunks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/** {@link StoreApiServer} over a TSDB directory of real blocks (what the store role serves) passes the kit. */
final class LocalBlocksConformanceTest extends StoreApiConformanceTest {
    private Path directory;
    private LocalBlocks blocks;
    private LoopbackGrpcServer grpc;

    /** Writes the series as one block under {@code directory}; the block's time range covers them all. */
    static Path writeBlock(Path directory, List<ChunkSeries> series) throws Exception {
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

    @Override
    protected String startServer(List<ChunkSeries> series, Labels externalLabels) throws Exception {
        directory = Files.createTempDirectory("storeapi-blocks");
        writeBlock(directory, series);
        blocks = LocalBlocks.open(directory);
        StoreApiServer server = new StoreApiServer(blocks, externalLabels, "store", blocks::timeRange);
        grpc = new LoopbackGrpcServer(server.services());
        return grpc.address();
    }

    @Override
    protected void stopServer() throws Exception {
        if (grpc != null) {
            grpc.close();
        }
        if (blocks != null) {
            blocks.close();
        }
        if (directory != null) {
            BlockWriter.delete(directory);
        }
    }
}
