package io.strata.plugin.storeapi;

import io.strata.api.labels.Labels;
import io.strata.api.storage.ChunkSeries;
import io.strata.plugin.tsdb.block.BlockWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@link StoreApiServer} over a TSDB directory of real blocks (what the store role serves) passes the kit. */
final class LocalBlocksConformanceTest extends StoreApiConformanceTest {
    private Path directory;
    private LocalBlocks blocks;
    private LoopbackGrpcServer grpc;

    @Override
    protected String startServer(List<ChunkSeries> series, Labels externalLabels) throws Exception {
        directory = Files.createTempDirectory("storeapi-blocks");
        TestBlocks.write(directory, series);
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
