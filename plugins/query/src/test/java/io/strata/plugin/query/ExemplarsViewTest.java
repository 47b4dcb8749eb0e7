package io.strata.plugin.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.strata.api.labels.Labels;
import io.strata.api.storage.Queryable;
import io.strata.plugin.storeapi.Exemplar;
import io.strata.plugin.storeapi.ExemplarSource;
import io.strata.plugin.storeapi.SeriesExemplars;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class ExemplarsViewTest {
    private static final Exemplar A = new Exemplar(Labels.of("trace_id", "a"), 1, 1_000);
    private static final Exemplar B = new Exemplar(Labels.of("trace_id", "b"), 2, 2_000);
    private static final Exemplar C = new Exemplar(Labels.of("trace_id", "c"), 3, 1_500);
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private static Labels series(String replica) {
        return Labels.of("__name__", "http_requests_total", "cluster", "us1", "replica", replica);
    }

    private static Endpoint endpoint(String address, ExemplarSource exemplars) {
        Queryable none = (mint, maxt) -> {
            throw new AssertionError("exemplars read no series");
        };
        return new Endpoint(address, "sidecar", List.of(), 0, 1, none, null, exemplars);
    }

    /** An HA pair: both saw A, only r0 saw B, only r1 saw C; plus an endpoint without exemplars. */
    private final List<String> asked = new ArrayList<>();
    private ExemplarsView view(ExemplarSource extra) {
        List<Endpoint> all = new ArrayList<>(List.of(
                endpoint("r0", (q, s, e) -> {
                    synchronized (asked) {
                        asked.add(q + " " + s + " " + e);
                    }
                    return List.of(new SeriesExemplars(series("0"), List.of(A, B)));
                }),
                endpoint("r1", (q, s, e) -> List.of(new SeriesExemplars(series("1"), List.of(A, C)))),
                endpoint("store", null)));
        if (extra != null) {
            all.add(endpoint("eu1", extra));
        }
        return new ExemplarsView(() -> all, pool, 5_000);
    }

    @Test
    void deduplicationMergesTheReplicasSeriesAndTheExemplarsBothSaw() {
        ExemplarsView.Answer a = view(null).exemplars("rate(http_requests_total[5m])", 0, 3_000, List.of("replica"), true);
        assertEquals(List.of(new SeriesExemplars(Labels.of("__name__", "http_requests_total", "cluster", "us1"), List.of(A, C, B))), a.series());
        assertEquals(List.of("rate(http_requests_total[5m]) 0 3000"), asked);
    }

    @Test
    void withoutDeduplicationEachReplicaKeepsItsSeries() {
        ExemplarsView.Answer a = view(null).exemplars("http_requests_total", 0, 3_000, List.of(), true);
        assertEquals(List.of(new SeriesExemplars(series("0"), List.of(A, B)), new SeriesExemplars(series("1"), List.of(A, C))), a.series());
    }

    @Test
    void aFailingEndpointIsAWarningUnderPartialResponseAndAnErrorOtherwise() {
        ExemplarsView v = view((q, s, e) -> {
            throw new IOException("connection refused");
        });
        ExemplarsView.Answer a = v.exemplars("up", 0, 1, List.of("replica"), true);
        assertEquals(1, a.series().size());
        assertEquals(List.of("endpoint eu1: exemplars: connection refused"), a.warnings());
        assertThrows(ProxyQueryable.EndpointException.class, () -> v.exemplars("up", 0, 1, List.of("replica"), false));
    }
}
