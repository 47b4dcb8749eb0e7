package io.strata.plugin.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.strata.api.http.HttpHandler;
import io.strata.api.http.HttpRequest;
import io.strata.api.http.HttpResponse;
import io.strata.api.labels.Labels;
import io.strata.api.metrics.Metrics;
import io.strata.api.plugin.PluginContext;
import io.strata.plugin.promql.engine.QueryOptions;
import io.strata.plugin.promql.testing.MemoryStorage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PrometheusHttpApiTest {
    private final Map<String, HttpHandler> routes = new HashMap<>();
    private final MemoryStorage storage = new MemoryStorage();

    @BeforeEach
    void setUp() {
        for (int i = 0; i <= 10; i++) {
            storage.append(Labels.of("__name__", "up", "job", "api", "instance", "a"), i * 15_000L, 1);
            storage.append(Labels.of("__name__", "up", "job", "db", "instance", "b"), i * 15_000L, i);
            storage.append(Labels.of("__name__", "requests_total", "job", "api"), i * 15_000L, i * 10.5);
        }
        QueryOptions options = new QueryOptions(300_000, 60_000, 50_000_000, 60_000, () -> false);
        new PrometheusHttpApi(o -> storage, options, 4).register(new RoutesOnly(routes));
    }

    private Answer call(String path, String query) throws Exception {
        String route = routes.containsKey(path) ? path : "/api/v1/label/*";
        FakeExchange ex = new FakeExchange(path, query);
        routes.get(route).handle(ex, ex.response);
        return new Answer(ex.response.status, ex.response.out.toString(StandardCharsets.UTF_8));
    }

    private record Answer(int status, String body) {
    }

    @Test
    void instantQueryVector() throws Exception {
        Answer a = call("/api/v1/query", "query=up&time=150");
        assertEquals(200, a.status, a.body);
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{\"__name__\":\"up\",\"instance\":\"a\",\"job\":\"api\"},\"value\":[150,\"1\"]},"
                + "{\"metric\":{\"__name__\":\"up\",\"instance\":\"b\",\"job\":\"db\"},\"value\":[150,\"10\"]}]}}", a.body);
    }

    @Test
    void scalarsStringsAndFractionalTimes() throws Exception {
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1.5,\"0.25\"]}}",
                call("/api/v1/query", "query=1/4&time=1.5").body);
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[2,\"hi\"]}}",
                call("/api/v1/query", "query=%22hi%22&time=2").body);
        assertTrue(call("/api/v1/query", "query=1/0&time=2").body.contains("\"+Inf\""));
    }

    @Test
    void rangeQueryMatrix() throws Exception {
        Answer a = call("/api/v1/query_range", "query=rate(requests_total%5B1m%5D)&start=60&end=120&step=30");
        assertEquals(200, a.status, a.body);
        assertTrue(a.body.startsWith("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"job\":\"api\"},\"values\":[[60,\"0.7\"],[90,\"0.7\"],[120,\"0.7\"]]}]}"), a.body);
    }

    @Test
    void errorsHaveTypeAndStatus() throws Exception {
        Answer parse = call("/api/v1/query", "query=sum(");
        assertEquals(400, parse.status);
        assertTrue(parse.body.startsWith("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"), parse.body);
        Answer missing = call("/api/v1/query", "");
        assertEquals(400, missing.status);
        assertTrue(missing.body.contains("invalid parameter \\\"query\\\""), missing.body);
        Answer step = call("/api/v1/query_range", "query=up&start=10&end=0&step=1");
        assertEquals(400, step.status);
        assertTrue(step.body.contains("end timestamp must not be before start time"), step.body);
        Answer zero = call("/api/v1/query_range", "query=up&start=0&end=10&step=0");
        assertTrue(zero.body.contains("zero or negative query resolution step widths are not accepted"), zero.body);
        Answer many = call("/api/v1/query_range", "query=up&start=0&end=100000&step=1");
        assertTrue(many.body.contains("exceeded maximum resolution of 11,000 points per timeseries"), many.body);
        Answer time = call("/api/v1/query", "query=up&time=yesterday");
        assertTrue(time.body.contains("cannot parse \\\"yesterday\\\" to a valid timestamp"), time.body);
        Answer exec = call("/api/v1/query", "query=label_replace(up,%22x%22,%22y%22,%22z%22,%22(%22)&time=1");
        assertEquals(422, exec.status, exec.body);
        assertTrue(exec.body.contains("\"errorType\":\"execution\""), exec.body);
    }

    @Test
    void seriesLabelsAndLabelValues() throws Exception {
        Answer series = call("/api/v1/series", "match%5B%5D=up%7Bjob%3D%22api%22%7D&start=0&end=200");
        assertEquals("{\"status\":\"success\",\"data\":[{\"__name__\":\"up\",\"instance\":\"a\",\"job\":\"api\"}]}", series.body);
        assertEquals(400, call("/api/v1/series", "").status);
        assertTrue(call("/api/v1/series", "match%5B%5D=%7Bjob%3D~%22.*%22%7D").body.contains("at least one non-empty matcher"));
        assertEquals("{\"status\":\"success\",\"data\":[\"__name__\",\"instance\",\"job\"]}", call("/api/v1/labels", "").body);
        assertEquals("{\"status\":\"success\",\"data\":[\"api\",\"db\"]}", call("/api/v1/label/job/values", "").body);
        assertEquals("{\"status\":\"success\",\"data\":[\"api\"],\"warnings\":[\"results truncated due to limit\"]}",
                call("/api/v1/label/job/values", "limit=1").body);
        assertEquals("{\"status\":\"success\",\"data\":[\"a\"]}",
                call("/api/v1/label/instance/values", "match%5B%5D=up%7Bjob%3D%22api%22%7D").body);
        assertEquals(400, call("/api/v1/label/1bad/values", "").status);
    }

    @Test
    void formatQuery() throws Exception {
        assertEquals("{\"status\":\"success\",\"data\":\"sum by (job) (rate(x[5m]))\"}",
                call("/api/v1/format_query", "query=sum(rate(x%5B5m%5D))by(job)").body);
    }

    @Test
    void parseQueryReturnsTheSyntaxTree() throws Exception {
        assertEquals("{\"status\":\"success\",\"data\":{\"expr\":{\"anchored\":false,\"matchers\":[{\"name\":\"job\","
                + "\"type\":\"=\",\"value\":\"api\"},{\"name\":\"__name__\",\"type\":\"=\",\"value\":\"up\"}],\"name\":\"up\","
                + "\"offset\":0,\"offsetExpr\":null,\"smoothed\":false,\"startOrEnd\":null,\"timestamp\":null,"
                + "\"type\":\"vectorSelector\"},\"grouping\":[],\"op\":\"sum\",\"param\":null,\"type\":\"aggregation\","
                + "\"without\":false}}", call("/api/v1/parse_query", "query=sum(up%7Bjob%3D%22api%22%7D)").body);
        Answer bad = call("/api/v1/parse_query", "query=sum(foo");
        assertEquals(400, bad.status);
        assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"query\\\": "
                + "1:8: parse error: unclosed left parenthesis\"}", bad.body);
        assertEquals(400, call("/api/v1/parse_query", "").status);
    }

    @Test
    void plainValuesNeverUseExponents() {
        assertEquals("0.0000001", ApiJson.plainValue(1e-7));
        assertEquals("1000000000000000000000", ApiJson.plainValue(1e21));
        assertEquals("-0.000000000000000000123", ApiJson.plainValue(-1.23e-19));
        assertEquals("0.5", ApiJson.plainValue(0.5));
        assertEquals("-0", ApiJson.plainValue(-0.0));
        assertEquals("+Inf", ApiJson.plainValue(Double.POSITIVE_INFINITY));
    }

    @Test
    void valueFormattingFollowsGo() throws Exception {
        assertEquals("0.1", ApiJson.value(0.1));
        assertEquals("1000000", ApiJson.value(1e6));
        assertEquals("0.000001", ApiJson.value(1e-6));
        assertEquals("1.5e-07", ApiJson.value(1.5e-7));
        assertEquals("1e+300", ApiJson.value(1e300));
        assertEquals("-1.2345e+21", ApiJson.value(-1.2345e21));
        assertEquals("100000000000000000000", ApiJson.value(1e20));
        assertEquals("5e-324", ApiJson.value(Double.MIN_VALUE));
        assertEquals("0.001", ApiJson.value(0.001));
        assertEquals("-123.456", ApiJson.value(-123.456));
        assertEquals("0.30000000000000004", ApiJson.value(0.1 + 0.2));
        assertEquals("9999999.5", ApiJson.value(9999999.5));
        assertEquals("12345678.9", ApiJson.value(12345678.9));
        assertEquals("1000000000000000", ApiJson.value(1e15));
        assertEquals("-42", ApiJson.value(-42.0));
        // the fast paths give exactly what the exact path gives
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 50_000; i++) {
            double scaled = (r.nextBoolean() ? 1 : -1) * r.nextDouble() * Math.pow(10, r.nextInt(14) - 5);
            for (double x : new double[] {scaled, Math.rint(scaled), Math.round(scaled * 1000) / 1000.0}) {
                if (x != 0) {
                    assertEquals(ApiJson.valueExact(x), ApiJson.value(x), "value of " + x);
                }
            }
        }
        assertEquals("-0", ApiJson.value(-0.0));
        assertEquals("NaN", ApiJson.value(Double.NaN));
        assertEquals("1435781451.781", ApiJson.timestampText(1435781451781L));
        assertEquals("1", ApiJson.timestampText(1000));
        assertEquals("0.001", ApiJson.timestampText(1));
        assertEquals("-1.5", ApiJson.timestampText(-1500));
        assertEquals("0.12", ApiJson.timestampText(120));
        assertEquals("0", ApiJson.timestampText(0));
        // points written raw read the same as the exact spellings
        for (int i = 0; i < 20_000; i++) {
            long t = r.nextLong() % 4_000_000_000_000L;
            double v = switch (i % 4) {
                case 0 -> Math.rint(r.nextGaussian() * 1e6);
                case 1 -> r.nextGaussian() * Math.pow(10, r.nextInt(30) - 15);
                case 2 -> new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, 1e15, -1e15}[r.nextInt(7)];
                default -> r.nextInt(1000) / 8.0;
            };
            java.io.StringWriter w = new java.io.StringWriter();
            try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(w)) {
                g.writeStartArray();
                ApiJson.point(g, t, v);
                ApiJson.point(g, t, v);
                g.writeEndArray();
            }
            String one = "[" + java.math.BigDecimal.valueOf(t, 3).stripTrailingZeros().toPlainString() + ",\"" + ApiJson.value(v) + "\"]";
            assertEquals("[" + one + "," + one + "]", w.toString(), "point " + t + " " + v);
        }
        assertEquals(1500, ApiParameters.time("t", "1.5"));
        assertEquals(1435781451781L, ApiParameters.time("t", "2015-07-01T20:10:51.781Z"));
        assertEquals(90_000, ApiParameters.duration("d", "1m30s"));
        assertEquals(1500, ApiParameters.duration("d", "1.5"));
    }

    /** Captures routes. */
    private record RoutesOnly(Map<String, HttpHandler> routes) implements PluginContext {
        @Override
        public Registration route(String path, HttpHandler handler) {
            routes.put(path, handler);
            return () -> routes.remove(path);
        }

        @Override
        public Config config() {
            throw new UnsupportedOperationException("not needed");
        }

        @Override
        public Config rootConfig() {
            throw new UnsupportedOperationException("not needed");
        }

        @Override
        public Metrics metrics() {
            throw new UnsupportedOperationException("not needed");
        }

        @Override
        public Path dataDirectory() {
            throw new UnsupportedOperationException("not needed");
        }

        @Override
        public Registration grpcService(Object service) {
            throw new UnsupportedOperationException("not needed");
        }

        @Override
        public <T> T create(Class<T> kind, Config config) {
            throw new UnsupportedOperationException("not needed");
        }

        @Override
        public List<String> types(Class<?> kind) {
            return List.of();
        }
    }

    /** A GET request with a query string and a buffered response. */
    private static final class FakeExchange implements HttpRequest {
        private final String path;
        private final Map<String, List<String>> params = new HashMap<>();
        final FakeResponse response = new FakeResponse();

        FakeExchange(String path, String query) {
            this.path = path;
            if (!query.isEmpty()) {
                for (String kv : query.split("&")) {
                    int eq = kv.indexOf('=');
                    String k = java.net.URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8);
                    String v = java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                    params.computeIfAbsent(k, x -> new java.util.ArrayList<>()).add(v);
                }
            }
        }

        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public String header(String name) {
            return null;
        }

        @Override
        public String parameter(String name) {
            List<String> v = params.get(name);
            return v == null ? null : v.get(0);
        }

        @Override
        public List<String> parameters(String name) {
            return params.getOrDefault(name, List.of());
        }

        @Override
        public InputStream body() {
            return new ByteArrayInputStream(new byte[0]);
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1";
        }
    }

    private static final class FakeResponse implements HttpResponse {
        int status;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        @Override
        public void status(int code) {
            status = code;
        }

        @Override
        public void header(String name, String value) {
        }

        @Override
        public OutputStream body() {
            return out;
        }
    }
}
