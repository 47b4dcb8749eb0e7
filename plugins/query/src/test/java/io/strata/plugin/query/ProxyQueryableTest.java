package io.strata.plugin.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.LabelHints;
import io.strata.api.storage.Querier;
import io.strata.api.storage.Queryable;
import io.strata.api.storage.SelectHints;
import io.strata.api.storage.Series;
import io.strata.api.storage.SeriesSet;
import io.strata.plugin.dedup.ChainDeduplicator;
import io.strata.plugin.dedup.PenaltyDeduplicator;
import io.strata.plugin.promql.engine.PromqlEngine;
import io.strata.plugin.promql.engine.QueryOptions;
import io.strata.plugin.promql.engine.QueryResult;
import io.strata.plugin.promql.testing.MemoryStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProxyQueryableTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private static final QueryOptions OPTIONS = new QueryOptions(300_000, 0, 50_000_000, 60_000, () -> false);

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    /** An HA pair (replica r0, r1) plus a single Prometheus in another cluster. */
    private List<Endpoint> fleet() {
        MemoryStorage r0 = new MemoryStorage();
        MemoryStorage r1 = new MemoryStorage();
        MemoryStorage eu = new MemoryStorage();
        for (int i = 0; i < 20; i++) {
            long t = i * 15_000L;
            r0.append(Labels.of("__name__", "up", "cluster", "us1", "replica", "0", "job", "node"), t, 1);
            r1.append(Labels.of("__name__", "up", "cluster", "us1", "replica", "1", "job", "node"), t + 2_000, 1);
            eu.append(Labels.of("__name__", "up", "cluster", "eu1", "replica", "0", "job", "node"), t, 1);
        }
        return List.of(
                new Endpoint("us1-r0:10901", "sidecar", List.of(Labels.of("cluster", "us1", "replica", "0")), 0, 300_000, r0),
                new Endpoint("us1-r1:10901", "sidecar", List.of(Labels.of("cluster", "us1", "replica", "1")), 0, 300_000, r1),
                new Endpoint("eu1-r0:10901", "sidecar", List.of(Labels.of("cluster", "eu1", "replica", "0")), 0, 300_000, eu));
    }

    private ProxyQueryable proxy(List<Endpoint> endpoints, boolean dedup, boolean partial) {
        return new ProxyQueryable(() -> endpoints, pool, dedup ? new PenaltyDeduplicator(5000) : null, new ChainDeduplicator(),
                List.of("replica"), partial, 10_000);
    }

    private static List<Labels> labels(Queryable q) {
        List<Labels> out = new ArrayList<>();
        try (Querier querier = q.querier(0, 300_000)) {
            SeriesSet<Series> set = querier.select(true, SelectHints.range(0, 300_000), Matcher.equal("__name__", "up"));
            while (set.next()) {
                out.add(set.at().labels());
            }
        }
        return out;
    }

    @Test
    void deduplicatesReplicasAcrossEndpoints() {
        assertEquals(List.of(Labels.of("__name__", "up", "cluster", "eu1", "job", "node"),
                Labels.of("__name__", "up", "cluster", "us1", "job", "node")), labels(proxy(fleet(), true, true)));
        assertEquals(3, labels(proxy(fleet(), false, true)).size(), "dedup=false keeps every replica");
        QueryResult r = new PromqlEngine().instantQuery(proxy(fleet(), true, true), "sum(up)", 200_000, OPTIONS);
        assertEquals(2.0, ((QueryResult.VectorValue) r.value()).samples().get(0).value(), "one value per deduplicated series");
    }

    @Test
    void prunesEndpointsByExternalLabelsAndTime() {
        List<String> asked = new ArrayList<>();
        List<Endpoint> recording = new ArrayList<>();
        for (Endpoint e : fleet()) {
            Queryable inner = e.queryable();
            recording.add(new Endpoint(e.address(), e.componentType(), e.labelSets(), e.minTime(), e.maxTime(), (mint, maxt) -> {
                synchronized (asked) {
                    asked.add(e.address());
                }
                return inner.querier(mint, maxt);
            }));
        }
        try (Querier q = proxy(recording, true, true).querier(0, 300_000)) {
            SeriesSet<Series> set = q.select(true, SelectHints.range(0, 300_000), Matcher.equal("cluster", "eu1"));
            while (set.next()) {
                assertEquals("eu1", set.at().labels().get("cluster"));
            }
        }
        assertEquals(List.of("eu1-r0:10901"), asked);
        asked.clear();
        try (Querier q = proxy(recording, true, true).querier(400_000, 500_000)) {
            assertTrue(!q.select(true, SelectHints.range(400_000, 500_000), Matcher.equal("__name__", "up")).next());
        }
        assertEquals(List.of(), asked, "no endpoint holds data after 300s");
    }

    @Test
    void partialResponseWarnsOrAborts() {
        List<Endpoint> endpoints = new ArrayList<>(fleet());
        endpoints.add(new Endpoint("broken:10901", "store", List.of(), 0, 300_000, (mint, maxt) -> {
            throw new IllegalStateException("connection refused");
        }));
        try (Querier q = proxy(endpoints, true, true).querier(0, 300_000)) {
            SeriesSet<Series> set = q.select(true, SelectHints.range(0, 300_000), Matcher.equal("__name__", "up"));
            int n = 0;
            while (set.next()) {
                n++;
            }
            assertEquals(2, n);
            assertEquals(List.of("endpoint broken:10901: connection refused"), set.warnings());
        }
        try (Querier q = proxy(endpoints, true, false).querier(0, 300_000)) {
            SeriesSet<Series> set = q.select(true, SelectHints.range(0, 300_000), Matcher.equal("__name__", "up"));
            while (set.next()) {
                // reading up to the failure
            }
            ProxyQueryable.EndpointException e = assertInstanceOf(ProxyQueryable.EndpointException.class, set.err());
            assertTrue(e.getMessage().contains("broken:10901"), e.getMessage());
        }
    }

    @Test
    void labelNamesAndValuesAreUnions() {
        try (Querier q = proxy(fleet(), true, true).querier(0, 300_000)) {
            assertEquals(List.of("eu1", "us1"), q.labelValues("cluster", LabelHints.NONE));
            assertEquals(List.of("__name__", "cluster", "job", "replica"), q.labelNames(LabelHints.NONE));
        }
    }

    /** Everything an endpoint holds, as labels in the order the merged view gives them. */
    private static List<Labels> select(Queryable q, Matcher m, List<String> warnings) {
        List<Labels> out = new ArrayList<>();
        try (Querier querier = q.querier(0, 300_000)) {
            SeriesSet<Series> set = querier.select(true, SelectHints.range(0, 300_000), m);
            while (set.next()) {
                out.add(set.at().labels());
            }
            warnings.addAll(set.warnings());
        }
        return out;
    }

    @Test
    void mergesInterleavedSortedStreamsInOrder() {
        MemoryStorage odd = new MemoryStorage();
        MemoryStorage even = new MemoryStorage();
        List<Labels> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            Labels l = Labels.of("__name__", "m", "i", String.format("%04d", i));
            expected.add(l);
            (i % 2 == 0 ? even : odd).append(l, 1000, i);
        }
        List<Endpoint> two = List.of(new Endpoint("odd", "store", List.of(), 0, 300_000, odd),
                new Endpoint("even", "store", List.of(), 0, 300_000, even));
        List<String> warnings = new ArrayList<>();
        assertEquals(expected, select(proxy(two, false, true), Matcher.equal("__name__", "m"), warnings));
        assertEquals(List.of(), warnings);
    }

    @Test
    void sortsWhenRemovingAReplicaLabelReordersAnEndpointsSeries() {
        // "replica" sorts before "z": once it is gone, these two swap places
        MemoryStorage both = new MemoryStorage();
        both.append(Labels.of("__name__", "m", "replica", "a", "z", "2"), 1000, 1);
        both.append(Labels.of("__name__", "m", "replica", "b", "z", "1"), 1000, 2);
        List<Endpoint> one = List.of(new Endpoint("both", "store", List.of(), 0, 300_000, both));
        List<String> warnings = new ArrayList<>();
        assertEquals(List.of(Labels.of("__name__", "m", "z", "1"), Labels.of("__name__", "m", "z", "2")),
                select(proxy(one, true, true), Matcher.equal("__name__", "m"), warnings));
    }

    @Test
    void aHangingEndpointIsCutOffAtTheTimeoutAndTheOthersStillAnswer() {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<Endpoint> endpoints = new ArrayList<>(fleet());
        endpoints.add(new Endpoint("hanging:10901", "store", List.of(), 0, 300_000, (mint, maxt) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("released");
        }));
        ProxyQueryable q = new ProxyQueryable(() -> endpoints, pool, new PenaltyDeduplicator(5000), new ChainDeduplicator(),
                List.of("replica"), true, 300);
        List<String> warnings = new ArrayList<>();
        long t0 = System.nanoTime();
        assertEquals(2, select(q, Matcher.equal("__name__", "up"), warnings).size());
        release.countDown();
        assertEquals(List.of("endpoint hanging:10901: timed out after 300ms"), warnings);
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "the query waited for the hanging endpoint");
    }

    @Test
    void anEndpointFailingMidwayKeepsWhatArrivedUnderPartialResponse() {
        MemoryStorage many = new MemoryStorage();
        for (int i = 0; i < 1000; i++) {
            many.append(Labels.of("__name__", "m", "i", String.format("%04d", i)), 1000, i);
        }
        Queryable failing = (mint, maxt) -> new Querier() {
            private final Querier inner = many.querier(mint, maxt);

            @Override
            public SeriesSet<Series> select(boolean sorted, SelectHints hints, Matcher... matchers) {
                SeriesSet<Series> set = inner.select(sorted, hints, matchers);
                return new SeriesSet<>() {
                    private int n;

                    @Override
                    public boolean next() {
                        return ++n <= 600 && set.next();
                    }

                    @Override
                    public Series at() {
                        return set.at();
                    }

                    @Override
                    public Exception err() {
                        return n > 600 ? new IllegalStateException("connection reset") : null;
                    }
                };
            }

            @Override
            public List<String> labelValues(String name, LabelHints hints, Matcher... matchers) {
                return List.of();
            }

            @Override
            public List<String> labelNames(LabelHints hints, Matcher... matchers) {
                return List.of();
            }

            @Override
            public void close() {
                inner.close();
            }
        };
        List<Endpoint> one = List.of(new Endpoint("flaky:10901", "store", List.of(), 0, 300_000, failing));
        List<String> warnings = new ArrayList<>();
        assertEquals(600, select(proxy(one, false, true), Matcher.equal("__name__", "m"), warnings).size());
        assertEquals(List.of("endpoint flaky:10901: connection reset"), warnings);
        try (Querier querier = proxy(one, false, false).querier(0, 300_000)) {
            SeriesSet<Series> set = querier.select(true, SelectHints.range(0, 300_000), Matcher.equal("__name__", "m"));
            while (set.next()) {
                // up to the failure
            }
            assertInstanceOf(ProxyQueryable.EndpointException.class, set.err());
        }
    }
}
