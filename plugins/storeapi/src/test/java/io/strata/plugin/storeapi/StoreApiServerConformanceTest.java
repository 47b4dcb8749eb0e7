package io.strata.plugin.storeapi;

import io.strata.api.labels.Labels;
import io.strata.api.storage.ChunkSeries;
import java.util.List;

/** {@link StoreApiServer} over series held in memory passes the conformance kit. */
final class StoreApiServerConformanceTest extends StoreApiConformanceTest {
    private LoopbackGrpcServer grpc;

    @Override
    protected String startServer(List<ChunkSeries> series, Labels externalLabels) throws Exception {
        StoreApiServer server = new StoreApiServer(new InMemoryChunkSource(series), externalLabels, "sidecar",
                () -> new StoreApiServer.TimeRange(ConformanceData.minTime(), ConformanceData.maxTime()));
        grpc = new LoopbackGrpcServer(server.services());
        return grpc.address();
    }

    @Override
    protected void stopServer() throws Exception {
        if (grpc != null) {
            grpc.close();
        }
    }
}
