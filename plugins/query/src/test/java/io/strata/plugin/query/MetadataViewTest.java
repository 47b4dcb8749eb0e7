package io.strata.plugin.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.api.storage.Queryable;
import io.strata.plugin.storeapi.MetricMetadata;
import io.strata.plugin.storeapi.MetricMetadataSource;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class MetadataViewTest {
    private static final MetricMetadata UP = new MetricMetadata("gauge", "Whether the target answered.", "");
    private static final MetricMetadata REQUESTS = new MetricMetadata("counter", "Requests.", "");
    private static final MetricMetadata REQUESTS_NEW_HELP = new MetricMetadata("counter", "Requests served.", "");
    private static final MetricMetadata LATENCY = new MetricMetadata("histogram", "Latency.", "seconds");
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private static Endpoint endpoint(String address, MetricMetadataSource metadata) {
        Queryable none = (mint, maxt) -> {
            throw new AssertionError("metadata reads no series");
        };
        return new Endpoint(address, "sidecar", List.of(), 0, 1, none, metadata, null);
    }

    /** An HA pair (the same metadata twice), a Prometheus with newer help text, and a store without metadata. */
    private MetadataView view(MetricMetadataSource third) {
        Map<String, List<MetricMetadata>> pair = Map.of("up", List.of(UP), "http_requests_total", List.of(REQUESTS));
        return new MetadataView(() -> List.of(endpoint("r0", (m, l) -> pair), endpoint("r1", (m, l) -> pair),
                endpoint("eu1", third), endpoint("store", null)), pool, 5_000);
    }

    @Test
    void mergesEndpointsCountingIdenticalDescriptionsOnce() {
        MetadataView.Answer a = view((m, l) -> Map.of("http_requests_total", List.of(REQUESTS_NEW_HELP), "latency_seconds", List.of(LATENCY)))
                .metadata("", 0, 0, true);
        assertEquals(Map.of("up", List.of(UP), "http_requests_total", List.of(REQUESTS, REQUESTS_NEW_HELP),
                "latency_seconds", List.of(LATENCY)), a.metadata());
        assertEquals(List.of(), a.warnings());
        assertEquals(List.of("http_requests_total", "latency_seconds", "up"), List.copyOf(a.metadata().keySet()), "sorted by name");
    }

    @Test
    void limitsCountMetricsAndDescriptionsOfOneMetric() {
        MetadataView v = view((m, l) -> Map.of("http_requests_total", List.of(REQUESTS_NEW_HELP), "latency_seconds", List.of(LATENCY)));
        assertEquals(List.of("http_requests_total", "latency_seconds"), List.copyOf(v.metadata("", 2, 0, true).metadata().keySet()));
        assertEquals(Map.of("http_requests_total", List.of(REQUESTS), "latency_seconds", List.of(LATENCY), "up", List.of(UP)),
                v.metadata("", 0, 1, true).metadata());
    }

    @Test
    void aFailingEndpointIsAWarningUnderPartialResponseAndAnErrorOtherwise() {
        MetadataView v = view((m, l) -> {
            throw new IOException("connection refused");
        });
        MetadataView.Answer a = v.metadata("", 0, 0, true);
        assertEquals(Map.of("up", List.of(UP), "http_requests_total", List.of(REQUESTS)), a.metadata());
        assertEquals(List.of("endpoint eu1: metadata: connection refused"), a.warnings());
        ProxyQueryable.EndpointException e = assertThrows(ProxyQueryable.EndpointException.class, () -> v.metadata("", 0, 0, false));
        assertTrue(e.getMessage().contains("eu1") && e.getMessage().contains("connection refused"), e.getMessage());
    }

    @Test
    void aHangingEndpointIsCutOffAtTheTimeout() {
        MetadataView v = new MetadataView(() -> List.of(endpoint("slow", (m, l) -> {
            Thread.sleep(60_000);
            return Map.of();
        }), endpoint("fast", (m, l) -> Map.of("up", List.of(UP)))), pool, 200);
        MetadataView.Answer a = v.metadata("", 0, 0, true);
        assertEquals(Map.of("up", List.of(UP)), a.metadata());
        assertEquals(List.of("endpoint slow: metadata: timed out after 200ms"), a.warnings());
    }
}
