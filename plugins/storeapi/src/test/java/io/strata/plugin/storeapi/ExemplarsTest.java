package io.strata.plugin.storeapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.strata.api.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Exemplars service of {@link StoreApiServer} and {@link StoreApiClient#exemplars}, over real gRPC. */
final class ExemplarsTest {
    private static final SeriesExemplars REQUESTS = new SeriesExemplars(Labels.of("__name__", "http_requests_total", "code", "200"),
            List.of(new Exemplar(Labels.of("trace_id", "a1"), 1, 1_000), new Exemplar(Labels.of("trace_id", "b2"), 2.5, 2_000)));

    private static StoreApiServer server(ExemplarSource source) {
        return new StoreApiServer(new InMemoryChunkSource(List.of()), Labels.of("cluster", "eu1"), "sidecar",
                () -> new StoreApiServer.TimeRange(10, 20)).withExemplars(source);
    }

    @Test
    void exemplarsCarryTheEndpointsExternalLabelsAndTheRequestReachesTheSource() throws Exception {
        List<String> asked = new ArrayList<>();
        try (LoopbackGrpcServer grpc = new LoopbackGrpcServer(server((q, s, e) -> {
                 asked.add(q + " " + s + " " + e);
                 return List.of(REQUESTS);
             }).services());
             StoreApiClient client = StoreApiClient.connect(grpc.address())) {
            assertTrue(client.info().exemplars());
            List<SeriesExemplars> got = client.exemplars("rate(http_requests_total[5m])", 1_000, 2_000);
            assertEquals(List.of(new SeriesExemplars(Labels.of("__name__", "http_requests_total", "code", "200", "cluster", "eu1"),
                    REQUESTS.exemplars())), got);
            assertEquals(List.of("rate(http_requests_total[5m]) 1000 2000"), asked);
        }
    }

    @Test
    void aBadQueryIsInvalidArgumentAndAFailingSourceUnavailable() throws Exception {
        try (LoopbackGrpcServer bad = new LoopbackGrpcServer(server((q, s, e) -> {
                 throw new IllegalArgumentException("1:5: parse error: unexpected end of input");
             }).services());
             LoopbackGrpcServer down = new LoopbackGrpcServer(server((q, s, e) -> {
                 throw new java.io.IOException("connection refused");
             }).services());
             StoreApiClient badClient = StoreApiClient.connect(bad.address());
             StoreApiClient downClient = StoreApiClient.connect(down.address())) {
            StoreApiException e = assertThrows(StoreApiException.class, () -> badClient.exemplars("sum(", 0, 1));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().contains("parse error"), e.getMessage());
            e = assertThrows(StoreApiException.class, () -> downClient.exemplars("up", 0, 1));
            assertEquals(Status.Code.UNAVAILABLE, e.code());
            assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
        }
    }

    @Test
    void anEndpointWithoutExemplarsSaysSo() throws Exception {
        StoreApiServer plain = new StoreApiServer(new InMemoryChunkSource(List.of()), Labels.EMPTY, "store", () -> StoreApiServer.TimeRange.EMPTY);
        try (LoopbackGrpcServer grpc = new LoopbackGrpcServer(plain.services());
             StoreApiClient client = StoreApiClient.connect(grpc.address())) {
            assertFalse(client.info().exemplars());
        }
    }
}
