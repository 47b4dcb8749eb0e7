package io.strata.plugin.sidecar.internal;

import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.plugin.storeapi.Exemplar;
import io.strata.plugin.storeapi.MetricMetadata;
import io.strata.plugin.storeapi.SeriesExemplars;
import io.strata.proto.prometheus.ReadRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.xerial.snappy.Snappy;

/** The parts of a Prometheus server's HTTP API the sidecar uses. */
final class PrometheusClient {
    /** The content type of a STREAMED_XOR_CHUNKS remote read answer (parameters follow). */
    static final String STREAMED_CONTENT_TYPE = "application/x-streamed-protobuf";
    private static final String USER_AGENT = "strata-sidecar";
    /** Timestamps beyond this many milliseconds are left out of API requests (Prometheus's own min/max). */
    private static final long UNBOUNDED_MILLIS = 1L << 50;

    private final String baseUrl;
    private final HttpClient http;
    private final Duration requestTimeout;

    PrometheusClient(String baseUrl, Duration requestTimeout) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        URI uri = URI.create(baseUrl);
        if (uri.getScheme() == null || uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("expected an http(s) URL of Prometheus, got '" + baseUrl + "'");
        }
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    }

    String baseUrl() {
        return baseUrl;
    }

    /** True when {@code /-/ready} answers 200. */
    boolean ready() {
        try {
            return send(get("/-/ready"), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The loaded configuration as YAML ({@code /api/v1/status/config}). */
    String configYaml() throws IOException {
        Object data = apiData("/api/v1/status/config", "status/config");
        if (data instanceof Map<?, ?> m && m.get("yaml") instanceof String yaml) {
            return yaml;
        }
        throw new IOException("status/config: no yaml in the answer");
    }

    /** The external labels of the loaded configuration. */
    Labels externalLabels() throws IOException {
        return PrometheusConfigYaml.externalLabels(configYaml());
    }

    /** Prometheus's command-line flags ({@code /api/v1/status/flags}). */
    Map<String, String> flags() throws IOException {
        Object data = apiData("/api/v1/status/flags", "status/flags");
        Map<String, String> out = new LinkedHashMap<>();
        if (data instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        }
        return out;
    }

    /**
     * The lowest timestamp the TSDB holds (metric {@code prometheus_tsdb_lowest_timestamp}), in
     * milliseconds; {@link Long#MAX_VALUE} when it holds nothing yet.
     */
    long lowestTimestamp() throws IOException {
        HttpResponse<InputStream> r = send(get("/metrics"), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = r.body()) {
            if (r.statusCode() != 200) {
                throw new IOException("GET /metrics: HTTP " + r.statusCode());
            }
            String prefix = "prometheus_tsdb_lowest_timestamp ";
            for (String line : new String(body.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith(prefix)) {
                    double v = Double.parseDouble(line.substring(prefix.length()).trim());
                    return v >= 9.2e18 ? Long.MAX_VALUE : (long) v;
                }
            }
        }
        throw new IOException("GET /metrics: no prometheus_tsdb_lowest_timestamp");
    }

    List<String> labelNames(long start, long end, Matcher... matchers) throws IOException {
        return JsonTree.strings(apiData("/api/v1/labels" + query(start, end, matchers), "labels"), "labels");
    }

    List<String> labelValues(String name, long start, long end, Matcher... matchers) throws IOException {
        String path = "/api/v1/label/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20") + "/values";
        return JsonTree.strings(apiData(path + query(start, end, matchers), "label values"), "label values");
    }

    /**
     * Prometheus's metric metadata ({@code /api/v1/metadata}): one metric or, with {@code metric}
     * empty, all; at most {@code limit} metrics when it is positive.
     */
    Map<String, List<MetricMetadata>> metricMetadata(String metric, int limit) throws IOException {
        List<String> params = new ArrayList<>();
        if (!metric.isEmpty()) {
            params.add("metric=" + URLEncoder.encode(metric, StandardCharsets.UTF_8));
        }
        if (limit > 0) {
            params.add("limit=" + limit);
        }
        Object data = apiData("/api/v1/metadata" + (params.isEmpty() ? "" : "?" + String.join("&", params)), "metadata");
        Map<String, List<MetricMetadata>> out = new LinkedHashMap<>();
        if (data == null) {
            return out;
        }
        if (!(data instanceof Map<?, ?> byName)) {
            throw new IOException("metadata: expected an object of metric names");
        }
        for (Map.Entry<?, ?> e : byName.entrySet()) {
            if (!(e.getValue() instanceof List<?> metas)) {
                throw new IOException("metadata: expected a list for metric " + e.getKey());
            }
            List<MetricMetadata> list = new ArrayList<>(metas.size());
            for (Object o : metas) {
                if (!(o instanceof Map<?, ?> m)) {
                    throw new IOException("metadata: expected objects for metric " + e.getKey());
                }
                list.add(new MetricMetadata(text(m.get("type")), text(m.get("help")), text(m.get("unit"))));
            }
            out.put(String.valueOf(e.getKey()), list);
        }
        return out;
    }

    /**
     * Prometheus's exemplars ({@code /api/v1/query_exemplars}) of the series the query selects, in
     * [startMillis, endMillis]. A query Prometheus rejects is an {@link IllegalArgumentException}
     * with its message.
     */
    List<SeriesExemplars> exemplars(String query, long startMillis, long endMillis) throws IOException {
        String path = "/api/v1/query_exemplars?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&start=" + seconds(startMillis) + "&end=" + seconds(endMillis);
        HttpResponse<byte[]> r = send(get(path), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 400) {
            Object root = JsonTree.parse(r.body());
            Object error = root instanceof Map<?, ?> m ? m.get("error") : null;
            throw new IllegalArgumentException(error == null ? new String(r.body(), StandardCharsets.UTF_8).trim() : String.valueOf(error));
        }
        if (r.statusCode() != 200) {
            throw new IOException("query_exemplars: HTTP " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8).trim());
        }
        Object data = JsonTree.data(r.body(), "query_exemplars");
        List<SeriesExemplars> out = new ArrayList<>();
        if (data == null) {
            return out;
        }
        if (!(data instanceof List<?> series)) {
            throw new IOException("query_exemplars: expected a list of series");
        }
        for (Object o : series) {
            if (!(o instanceof Map<?, ?> s) || !(s.get("exemplars") instanceof List<?> list)) {
                throw new IOException("query_exemplars: expected series with seriesLabels and exemplars");
            }
            List<Exemplar> exemplars = new ArrayList<>(list.size());
            for (Object e : list) {
                if (!(e instanceof Map<?, ?> x) || !(x.get("timestamp") instanceof Number ts)) {
                    throw new IOException("query_exemplars: expected exemplars with labels, value and timestamp");
                }
                exemplars.add(new Exemplar(labelMap(x.get("labels")), Double.parseDouble(String.valueOf(x.get("value"))),
                        Math.round(ts.doubleValue() * 1000)));
            }
            out.add(new SeriesExemplars(labelMap(s.get("seriesLabels")), exemplars));
        }
        return out;
    }

    private static Labels labelMap(Object o) throws IOException {
        if (o == null) {
            return Labels.EMPTY;
        }
        if (!(o instanceof Map<?, ?> m)) {
            throw new IOException("query_exemplars: expected labels as an object");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        m.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
        return Labels.fromMap(labels);
    }

    private static String text(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    /** An answer to a remote read: its content type and its body, which the caller closes. */
    record ReadAnswer(String contentType, InputStream body) {
    }

    /** Sends a remote read request; throws on any status but 200. */
    ReadAnswer read(ReadRequest request) throws IOException {
        byte[] compressed = Snappy.compress(request.toByteArray());
        HttpRequest r = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/read"))
                .timeout(requestTimeout)
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Read-Version", "0.1.0")
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(compressed))
                .build();
        HttpResponse<InputStream> answer = send(r, HttpResponse.BodyHandlers.ofInputStream());
        if (answer.statusCode() != 200) {
            String text;
            try (InputStream body = answer.body()) {
                text = new String(body.readNBytes(1024), StandardCharsets.UTF_8).trim();
            }
            throw new IOException("remote read: HTTP " + answer.statusCode() + ": " + text);
        }
        return new ReadAnswer(answer.headers().firstValue("Content-Type").orElse(""), answer.body());
    }

    /** {@code POST /-/reload}; throws unless Prometheus answers 2xx. */
    void reload() throws IOException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(baseUrl + "/-/reload")).timeout(requestTimeout)
                .header("User-Agent", USER_AGENT).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> answer = send(r, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
            throw new IOException("POST /-/reload: HTTP " + answer.statusCode() + ": " + answer.body().trim());
        }
    }

    private HttpRequest get(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(requestTimeout).header("User-Agent", USER_AGENT).GET().build();
    }

    private Object apiData(String pathAndQuery, String what) throws IOException {
        HttpResponse<byte[]> r = send(get(pathAndQuery), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException(what + ": HTTP " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8).trim());
        }
        return JsonTree.data(r.body(), what);
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking Prometheus at " + baseUrl, e);
        }
    }

    /** The query string of a label look-up: time range (left out when unbounded) and selector. */
    static String query(long start, long end, Matcher... matchers) {
        List<String> params = new ArrayList<>();
        if (start > -UNBOUNDED_MILLIS && start < UNBOUNDED_MILLIS) {
            params.add("start=" + seconds(start));
        }
        if (end > -UNBOUNDED_MILLIS && end < UNBOUNDED_MILLIS) {
            params.add("end=" + seconds(end));
        }
        String selector = selector(matchers);
        if (selector != null) {
            params.add("match[]=" + URLEncoder.encode(selector, StandardCharsets.UTF_8));
        }
        return params.isEmpty() ? "" : "?" + String.join("&", params);
    }

    /**
     * The matchers as a PromQL selector, or null when every matcher accepts the empty string (the
     * API refuses such selectors, and leaving them out selects the same series).
     */
    static String selector(Matcher... matchers) {
        boolean selective = false;
        for (Matcher m : matchers) {
            selective |= !m.matchesEmpty();
        }
        if (!selective) {
            return null;
        }
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < matchers.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(matchers[i]);
        }
        return sb.append('}').toString();
    }

    private static String seconds(long millis) {
        return java.math.BigDecimal.valueOf(millis, 3).toPlainString();
    }
}
