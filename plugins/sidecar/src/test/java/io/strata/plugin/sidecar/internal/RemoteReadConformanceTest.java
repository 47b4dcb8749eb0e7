package io.strata.plugin.sidecar.internal;

import io.strata.api.labels.Labels;
import io.strata.api.storage.ChunkSeries;
import io.strata.plugin.storeapi.LoopbackGrpcServer;
import io.strata.plugin.storeapi.StoreApiConformanceTest;
import io.strata.plugin.storeapi.StoreApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The StoreAPI kit against a real Prometheus: the kit's series are written as a block into the data
 * directory of a Prometheus started with the kit's external labels, and the sidecar's source reads
 * them back through remote read (STREAMED_XOR_CHUNKS, chunk bytes passed through).
 */
class RemoteReadConformanceTest extends StoreApiConformanceTest {
    private Path directory;
    private PrometheusServer prometheus;
    private LoopbackGrpcServer grpc;

    RemoteReadChunkSource.ResponseType responseType() {
        return RemoteReadChunkSource.ResponseType.STREAMED_XOR_CHUNKS;
    }

    /** Writes the series as one level-1 block under {@code directory}; returns its ULID. */
    static String writeBlock(Path directory, List<ChunkSeries> series) throws Exception {
        return io.strata.plugin.storeapi.TestBlocks.write(directory, series).getFileName().toString();
    }

    @Override
    protected String startServer(List<ChunkSeries> series, Labels externalLabels) throws Exception {
        directory = Files.createTempDirectory("sidecar-conformance");
        Files.createDirectories(directory.resolve("data"));
        writeBlock(directory.resolve("data"), series);
        prometheus = PrometheusServer.start(directory, port -> PrometheusServer.config(externalLabels, false, port));
        PrometheusClient client = prometheus.client();
        RemoteReadChunkSource source = new RemoteReadChunkSource(client, responseType(), () -> Long.MIN_VALUE, 64 << 20);
        StoreApiServer server = new StoreApiServer(source, client.externalLabels(), "sidecar", () -> StoreApiServer.TimeRange.ALL);
        grpc = new LoopbackGrpcServer(server.services());
        return grpc.address();
    }

    @Override
    protected void stopServer() throws Exception {
        if (grpc != null) {
            grpc.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        if (directory != null) {
            TestFiles.deleteRecursively(directory);
        }
    }
}
