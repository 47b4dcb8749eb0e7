package io.strata.plugin.storeapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.strata.api.labels.Labels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The Metadata service of {@link StoreApiServer} and {@link StoreApiClient#metricMetadata}, over real gRPC. */
final class MetricMetadataTest {
    private static final Map<String, List<MetricMetadata>> KNOWN = Map.of(
            "up", List.of(new MetricMetadata("gauge", "1 when the target answered", "")),
            "http_requests_total", List.of(new MetricMetadata("counter", "Requests served.", ""),
                    new MetricMetadata("counter", "Requests served, by code.", "")),
            "request_duration_seconds", List.of(new MetricMetadata("histogram", "How long requests took.", "seconds")));

    /** A source that answers like Prometheus: one metric or all, at most {@code limit} of them. */
    private static Map<String, List<MetricMetadata>> answer(String metric, int limit, List<String> asked) {
        asked.add(metric + "/" + limit);
        Map<String, List<MetricMetadata>> out = new TreeMap<>();
        for (Map.Entry<String, List<MetricMetadata>> e : new TreeMap<>(KNOWN).entrySet()) {
            if ((metric.isEmpty() || metric.equals(e.getKey())) && (limit <= 0 || out.size() < limit)) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private static StoreApiServer server() {
        return new StoreApiServer(new InMemoryChunkSource(List.of()), Labels.EMPTY, "sidecar", () -> StoreApiServer.TimeRange.EMPTY);
    }

    @Test
    void anEndpointWithMetadataAnnouncesAndServesIt() throws Exception {
        List<String> asked = new ArrayList<>();
        try (LoopbackGrpcServer grpc = new LoopbackGrpcServer(server().withMetricMetadata((m, l) -> answer(m, l, asked)).services());
             StoreApiClient client = StoreApiClient.connect(grpc.address())) {
            assertTrue(client.info().metricMetadata());
            assertEquals(new TreeMap<>(KNOWN), client.metricMetadata("", 0));
            assertEquals(Map.of("up", KNOWN.get("up")), client.metricMetadata("up", 0));
            assertEquals(List.of("http_requests_total", "request_duration_seconds"), List.copyOf(client.metricMetadata("", 2).keySet()));
            assertEquals(Map.of(), client.metricMetadata("nothing_like_it", 0));
            assertEquals(List.of("/0", "up/0", "/2", "nothing_like_it/0"), asked, "the request reaches the source as sent");
        }
    }

    @Test
    void aFailingSourceIsAnErrorNamingTheEndpointAndWhatFailed() throws Exception {
        try (LoopbackGrpcServer grpc = new LoopbackGrpcServer(server().withMetricMetadata((m, l) -> {
                 throw new IOException("Prometheus answered HTTP 503");
             }).services());
             StoreApiClient client = StoreApiClient.connect(grpc.address())) {
            StoreApiException e = assertThrows(StoreApiException.class, () -> client.metricMetadata("", 0));
            assertEquals(Status.Code.UNAVAILABLE, e.code());
            assertTrue(e.getMessage().contains(grpc.address()) && e.getMessage().contains("Prometheus answered HTTP 503"), e.getMessage());
        }
    }

    @Test
    void anEndpointWithoutMetadataSaysSo() throws Exception {
        try (LoopbackGrpcServer grpc = new LoopbackGrpcServer(server().services());
             StoreApiClient client = StoreApiClient.connect(grpc.address())) {
            assertFalse(client.info().metricMetadata());
            StoreApiException e = assertThrows(StoreApiException.class, () -> client.metricMetadata("", 0));
            assertEquals(Status.Code.UNIMPLEMENTED, e.code());
        }
    }
}
