package io.strata.plugin.promql.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.LabelHints;
import io.strata.api.storage.Querier;
import io.strata.api.storage.Queryable;
import io.strata.api.storage.SelectHints;
import io.strata.api.storage.Series;
import io.strata.api.storage.SeriesSet;
import io.strata.plugin.promql.testing.MemoryStorage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromqlEngineTest {
    private static final QueryOptions OPTIONS = new QueryOptions(300_000, 0, 1_000_000, 60_000, () -> false);
    private final PromqlEngine engine = new PromqlEngine();

    private static MemoryStorage storage() {
        MemoryStorage s = new MemoryStorage();
        for (int series = 0; series < 3; series++) {
            Labels l = Labels.of("__name__", "http_requests_total", "job", "api", "instance", Integer.toString(series));
            for (int i = 0; i <= 60; i++) {
                s.append(l, i * 10_000L, i * 10.0 * (series + 1));
            }
        }
        s.append(Labels.of("__name__", "temperature", "room", "a"), 0, 20);
        return s;
    }

    @Test
    void instantQueryReturnsVectorWithDelayedNameRemoval() {
        QueryResult r = engine.instantQuery(storage(), "sum by (job) (rate(http_requests_total[1m]))", 600_000, OPTIONS);
        QueryResult.VectorValue v = assertInstanceOf(QueryResult.VectorValue.class, r.value());
        assertEquals(1, v.samples().size());
        assertEquals(Labels.of("job", "api"), v.samples().get(0).labels());
        assertEquals(6.0, v.samples().get(0).value(), 1e-9);
        assertTrue(r.totalSamples() > 0);
    }

    @Test
    void rangeQueryReturnsSortedMatrix() {
        QueryResult r = engine.rangeQuery(storage(), "http_requests_total{instance=~\"0|1\"} * 2", 0, 20_000, 10_000, OPTIONS);
        QueryResult.MatrixValue m = assertInstanceOf(QueryResult.MatrixValue.class, r.value());
        assertEquals(2, m.series().size());
        assertEquals(Labels.of("job", "api", "instance", "0"), m.series().get(0).labels());
        assertArrayEquals(new long[] {0, 10_000, 20_000}, m.series().get(0).timestamps());
        assertArrayEquals(new double[] {0, 20, 40}, m.series().get(0).values());
    }

    @Test
    void scalarsStringsAndRangeVectors() {
        assertEquals(new QueryResult.ScalarValue(5000, 3), engine.instantQuery(storage(), "1 + 2", 5000, OPTIONS).value());
        assertEquals(new QueryResult.StringValue(5000, "x"), engine.instantQuery(storage(), "\"x\"", 5000, OPTIONS).value());
        QueryResult.MatrixValue m = assertInstanceOf(QueryResult.MatrixValue.class,
                engine.instantQuery(storage(), "http_requests_total{instance=\"0\"}[30s]", 60_000, OPTIONS).value());
        assertArrayEquals(new long[] {40_000, 50_000, 60_000}, m.series().get(0).timestamps());
    }

    @Test
    void lookbackIsLeftOpen() {
        QueryResult r = engine.instantQuery(storage(), "temperature", 300_000, OPTIONS);
        assertEquals(0, ((QueryResult.VectorValue) r.value()).samples().size());
        r = engine.instantQuery(storage(), "temperature", 299_999, OPTIONS);
        assertEquals(1, ((QueryResult.VectorValue) r.value()).samples().size());
    }

    @Test
    void errorsAreTyped() {
        QueryException parse = assertThrows(QueryException.class, () -> engine.instantQuery(storage(), "sum(", 0, OPTIONS));
        assertEquals(QueryException.Kind.BAD_DATA, parse.kind());
        assertTrue(parse.getMessage().startsWith("1:5: parse error:"), parse.getMessage());
        QueryException rangeType = assertThrows(QueryException.class,
                () -> engine.rangeQuery(storage(), "temperature[5m]", 0, 10, 1, OPTIONS));
        assertEquals(QueryException.Kind.BAD_DATA, rangeType.kind());
        QueryException duplicate = assertThrows(QueryException.class,
                () -> engine.instantQuery(storage(), "label_replace(http_requests_total, \"instance\", \"\", \"\", \"\")", 600_000, OPTIONS));
        assertEquals(QueryException.Kind.EXECUTION, duplicate.kind());
        assertEquals("vector cannot contain metrics with the same labelset", duplicate.getMessage());
    }

    @Test
    void cancellationAndSampleLimit() {
        QueryException cancelled = assertThrows(QueryException.class,
                () -> engine.instantQuery(storage(), "http_requests_total", 0, OPTIONS.withCancellation(() -> true)));
        assertEquals(QueryException.Kind.CANCELED, cancelled.kind());
        QueryException tooMany = assertThrows(QueryException.class,
                () -> engine.rangeQuery(storage(), "http_requests_total", 0, 600_000, 10_000, OPTIONS.withMaxSamples(10)));
        assertEquals(QueryException.Kind.EXECUTION, tooMany.kind());
        assertTrue(tooMany.getMessage().contains("too many samples"), tooMany.getMessage());
        QueryException hugeSubquery = assertThrows(QueryException.class,
                () -> engine.instantQuery(storage(), "max_over_time(temperature[1y:1ms])", 0, OPTIONS));
        assertEquals(QueryException.Kind.EXECUTION, hugeSubquery.kind());
    }

    @Test
    void timeoutIsReportedAsTimeout() {
        MemoryStorage data = storage();
        Queryable slow = (mint, maxt) -> {
            Querier q = data.querier(mint, maxt);
            return new Querier() {
                @Override
                public SeriesSet<Series> select(boolean sorted, SelectHints hints, Matcher... matchers) {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return q.select(sorted, hints, matchers);
                }

                @Override
                public List<String> labelValues(String name, LabelHints hints, Matcher... matchers) {
                    return q.labelValues(name, hints, matchers);
                }

                @Override
                public List<String> labelNames(LabelHints hints, Matcher... matchers) {
                    return q.labelNames(hints, matchers);
                }

                @Override
                public void close() {
                    q.close();
                }
            };
        };
        QueryException e = assertThrows(QueryException.class,
                () -> engine.instantQuery(slow, "http_requests_total", 0, OPTIONS.withTimeoutMillis(1)));
        assertEquals(QueryException.Kind.TIMEOUT, e.kind());
    }

    @Test
    void selectHintsDescribeTheSelection() {
        MemoryStorage data = storage();
        List<SelectHints> seen = new ArrayList<>();
        Queryable recording = (mint, maxt) -> {
            Querier q = data.querier(mint, maxt);
            return new Querier() {
                @Override
                public SeriesSet<Series> select(boolean sorted, SelectHints hints, Matcher... matchers) {
                    seen.add(hints);
                    return q.select(sorted, hints, matchers);
                }

                @Override
                public List<String> labelValues(String name, LabelHints hints, Matcher... matchers) {
                    return q.labelValues(name, hints, matchers);
                }

                @Override
                public List<String> labelNames(LabelHints hints, Matcher... matchers) {
                    return q.labelNames(hints, matchers);
                }

                @Override
                public void close() {
                }
            };
        };
        engine.rangeQuery(recording, "sum by (job) (rate(http_requests_total[5m]))", 600_000, 1_200_000, 60_000, OPTIONS);
        assertEquals(1, seen.size());
        SelectHints h = seen.get(0);
        assertEquals("rate", h.function());
        assertEquals(List.of("job"), h.grouping());
        assertTrue(h.by());
        assertEquals(300_000, h.range());
        assertEquals(60_000, h.step());
        assertEquals(600_000 - 300_000 + 1, h.start());
        assertEquals(1_200_000, h.end());
    }

    @Test
    void rateOnANonCounterNameAddsAnInfo() {
        QueryResult r = engine.instantQuery(storage(), "rate(temperature[10m])", 60_000, OPTIONS);
        assertTrue(r.infos().isEmpty(), "one sample gives no rate and no info");
        MemoryStorage s = new MemoryStorage();
        s.append(Labels.of("__name__", "temperature"), 0, 1);
        s.append(Labels.of("__name__", "temperature"), 10_000, 2);
        r = engine.instantQuery(s, "rate(temperature[1m])", 10_000, OPTIONS);
        assertEquals(List.of("PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "
                + "\"temperature\" (1:6)"), r.infos());
    }
}
