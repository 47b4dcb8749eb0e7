package io.strata.plugin.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.strata.api.http.HttpHandler;
import io.strata.api.http.HttpRequest;
import io.strata.api.http.HttpResponse;
import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.plugin.PluginContext;
import io.strata.api.storage.LabelHints;
import io.strata.api.storage.Querier;
import io.strata.api.storage.Queryable;
import io.strata.plugin.storeapi.Exemplar;
import io.strata.plugin.storeapi.MetricMetadata;
import io.strata.plugin.storeapi.SeriesExemplars;
import io.strata.api.storage.SelectHints;
import io.strata.api.storage.Series;
import io.strata.api.storage.SeriesSet;
import io.strata.plugin.promql.engine.PromqlEngine;
import io.strata.plugin.promql.engine.QueryException;
import io.strata.plugin.promql.engine.QueryOptions;
import io.strata.plugin.promql.engine.QueryResult;
import io.strata.plugin.promql.parser.ParseException;
import io.strata.plugin.promql.parser.Parser;
import io.strata.plugin.promql.parser.Printer;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The Prometheus HTTP API v1 read endpoints over a {@link Queryable}: JSON shapes, error types
 * and status codes as Prometheus answers them, so Grafana and promtool work unchanged.
 */
public final class PrometheusHttpApi {
    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private final Function<RequestOptions, Queryable> source;
    private final PromqlEngine engine = new PromqlEngine();
    private final QueryOptions defaults;
    private final Semaphore concurrency;

    /**
     * Per-request choices that select how the source is read (Thanos's dedup, partial response,
     * replica labels); {@code partialResponse} is null when the request did not say.
     */
    public record RequestOptions(boolean dedup, Boolean partialResponse, List<String> replicaLabels) {
    }

    /**
     * @param source        the data to query, given the request's options
     * @param defaults      engine settings (lookback delta, timeout, max samples, subquery step)
     * @param maxConcurrent queries evaluated at once; more wait for a slot until their timeout
     */
    public PrometheusHttpApi(Function<RequestOptions, Queryable> source, QueryOptions defaults, int maxConcurrent) {
        this(source, defaults, maxConcurrent, null, null, List.of(), true);
    }

    /**
     * @param metadata           where {@code /api/v1/metadata} reads, or null to answer it empty
     * @param exemplars          where {@code /api/v1/query_exemplars} reads, or null to answer it empty
     * @param partialByDefault   whether a failing endpoint is a warning (not an error) when the request does not say
     * @param replicaLabels      the replica labels exemplars are deduplicated by, unless the request names its own
     */
    public PrometheusHttpApi(Function<RequestOptions, Queryable> source, QueryOptions defaults, int maxConcurrent,
                             MetadataView metadata, ExemplarsView exemplars, List<String> replicaLabels, boolean partialByDefault) {
        this.metadata = metadata;
        this.exemplars = exemplars;
        this.replicaLabels = List.copyOf(replicaLabels);
        this.partialByDefault = partialByDefault;
        if (maxConcurrent <= 0) {
            throw new IllegalArgumentException("max concurrent queries must be positive, got " + maxConcurrent);
        }
        this.source = source;
        this.defaults = defaults;
        this.concurrency = new Semaphore(maxConcurrent, true);
    }

    private final MetadataView metadata;
    private final ExemplarsView exemplars;
    private final List<String> replicaLabels;
    private final boolean partialByDefault;

    /** Registers the routes; returns the registrations to close on stop. */
    public List<PluginContext.Registration> register(PluginContext context) {
        List<PluginContext.Registration> r = new ArrayList<>();
        r.add(context.route("/api/v1/query", handler(this::query)));
        r.add(context.route("/api/v1/query_range", handler(this::queryRange)));
        r.add(context.route("/api/v1/series", handler(this::series)));
        r.add(context.route("/api/v1/labels", handler(this::labels)));
        r.add(context.route("/api/v1/label/*", handler(this::labelValues)));
        r.add(context.route("/api/v1/format_query", handler(this::formatQuery)));
        r.add(context.route("/api/v1/parse_query", handler(this::parseQuery)));
        r.add(context.route("/api/v1/metadata", handler(this::metadata)));
        r.add(context.route("/api/v1/query_exemplars", handler(this::exemplars)));
        return r;
    }

    @FunctionalInterface
    interface Body {
        void write(HttpRequest req, JsonGenerator g) throws Exception;
    }

    private HttpHandler handler(Body body) {
        return (req, resp) -> {
            if (!req.method().equals("GET") && !req.method().equals("POST")) {
                resp.send(405, "text/plain; charset=utf-8", "method not allowed\n");
                return;
            }
            BlockBuffer buffer = new BlockBuffer();
            int status = 200;
            try (JsonGenerator g = JSON.createGenerator(buffer)) {
                g.writeStartObject();
                g.writeStringField("status", "success");
                body.write(req, g);
                g.writeEndObject();
            } catch (ApiException e) {
                status = e.httpStatus();
                buffer.reset();
                error(buffer, e.type(), e.getMessage());
            } catch (QueryException e) {
                ApiException api = toApi(e);
                status = api.httpStatus();
                buffer.reset();
                error(buffer, api.type(), api.getMessage());
            } catch (IllegalArgumentException e) {
                status = 400;
                buffer.reset();
                error(buffer, ApiException.BAD_DATA, e.getMessage());
            }
            resp.status(status);
            resp.header("Content-Type", "application/json");
            resp.header("Content-Length", Long.toString(buffer.size()));
            try (OutputStream out = resp.body()) {
                buffer.writeTo(out);
            }
        };
    }

    private static ApiException toApi(QueryException e) {
        return new ApiException(e.kind().apiName(), e.getMessage());
    }

    private static void error(OutputStream out, String type, String message) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("status", "error");
            g.writeStringField("errorType", type);
            g.writeStringField("error", message == null ? "" : message);
            g.writeEndObject();
        }
    }

    private static String required(HttpRequest req, String name) {
        String v = req.parameter(name);
        if (v == null || v.isEmpty()) {
            throw new ApiException(ApiException.BAD_DATA, "invalid parameter \"" + name + "\": parameter missing or empty");
        }
        return v;
    }

    private QueryOptions options(HttpRequest req) {
        QueryOptions o = defaults;
        String timeout = req.parameter("timeout");
        if (timeout != null && !timeout.isEmpty()) {
            long t = ApiParameters.duration("timeout", timeout);
            if (o.timeoutMillis() == 0 || t < o.timeoutMillis()) {
                o = o.withTimeoutMillis(t);
            }
        }
        String lookback = req.parameter("lookback_delta");
        if (lookback != null && !lookback.isEmpty()) {
            o = o.withLookbackDeltaMillis(ApiParameters.duration("lookback_delta", lookback));
        }
        return o;
    }

    private static RequestOptions requestOptions(HttpRequest req) {
        boolean dedup = !"false".equals(req.parameter("dedup"));
        String partial = req.parameter("partial_response");
        Boolean partialResponse = partial == null || partial.isEmpty() ? null : Boolean.valueOf(!partial.equals("false"));
        List<String> replicaLabels = new ArrayList<>(req.parameters("replicaLabels[]"));
        String resolution = req.parameter("max_source_resolution");
        if (resolution != null && !resolution.isEmpty() && !resolution.equals("auto")) {
            // validated as Thanos does; every block served today is raw (resolution 0), which any maximum admits
            ApiParameters.duration("max_source_resolution", resolution);
        }
        return new RequestOptions(dedup, partialResponse, replicaLabels);
    }

    private <T> T limited(QueryOptions options, java.util.concurrent.Callable<T> work) throws Exception {
        long wait = options.timeoutMillis() == 0 ? Long.MAX_VALUE : options.timeoutMillis();
        if (!concurrency.tryAcquire(wait, TimeUnit.MILLISECONDS)) {
            throw new ApiException(ApiException.TIMEOUT, "query timed out in queue: too many concurrent queries");
        }
        try {
            return work.call();
        } finally {
            concurrency.release();
        }
    }

    private void query(HttpRequest req, JsonGenerator g) throws Exception {
        String expr = required(req, "query");
        String t = req.parameter("time");
        long time = t == null || t.isEmpty() ? System.currentTimeMillis() : ApiParameters.time("time", t);
        QueryOptions options = options(req);
        Queryable q = source.apply(requestOptions(req));
        QueryResult result = limited(options, () -> engine.instantQuery(q, expr, time, options));
        writeResult(g, result);
    }

    private void queryRange(HttpRequest req, JsonGenerator g) throws Exception {
        long start = ApiParameters.time("start", required(req, "start"));
        long end = ApiParameters.time("end", required(req, "end"));
        if (end < start) {
            throw new ApiException(ApiException.BAD_DATA, "invalid parameter \"end\": end timestamp must not be before start time");
        }
        long step = ApiParameters.duration("step", required(req, "step"));
        if (step <= 0) {
            throw new ApiException(ApiException.BAD_DATA,
                    "invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if ((end - start) / step > PromqlEngine.MAX_POINTS_PER_SERIES) {
            throw new ApiException(ApiException.BAD_DATA,
                    "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
        }
        String expr = required(req, "query");
        QueryOptions options = options(req);
        Queryable q = source.apply(requestOptions(req));
        QueryResult result = limited(options, () -> engine.rangeQuery(q, expr, start, end, step, options));
        writeResult(g, result);
    }

    private static void writeResult(JsonGenerator g, QueryResult result) throws IOException {
        g.writeObjectFieldStart("data");
        QueryResult.Value v = result.value();
        if (v instanceof QueryResult.ScalarValue s) {
            g.writeStringField("resultType", "scalar");
            g.writeFieldName("result");
            ApiJson.point(g, s.timestamp(), s.value());
        } else if (v instanceof QueryResult.StringValue s) {
            g.writeStringField("resultType", "string");
            g.writeArrayFieldStart("result");
            ApiJson.timestamp(g, s.timestamp());
            g.writeString(s.value());
            g.writeEndArray();
        } else if (v instanceof QueryResult.VectorValue vec) {
            g.writeStringField("resultType", "vector");
            g.writeArrayFieldStart("result");
            for (QueryResult.Sample s : vec.samples()) {
                g.writeStartObject();
                g.writeFieldName("metric");
                ApiJson.labels(g, s.labels());
                g.writeFieldName("value");
                ApiJson.point(g, s.timestamp(), s.value());
                g.writeEndObject();
            }
            g.writeEndArray();
        } else if (v instanceof QueryResult.MatrixValue m) {
            g.writeStringField("resultType", "matrix");
            g.writeArrayFieldStart("result");
            for (QueryResult.SeriesPoints s : m.series()) {
                g.writeStartObject();
                g.writeFieldName("metric");
                ApiJson.labels(g, s.labels());
                g.writeArrayFieldStart("values");
                long[] ts = s.timestamps();
                double[] vs = s.values();
                for (int i = 0; i < ts.length; i++) {
                    ApiJson.point(g, ts[i], vs[i]);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        annotations(g, result.warnings(), result.infos());
    }

    /** {@code /api/v1/metadata}: {@code metric}, {@code limit} (metrics) and {@code limit_per_metric}, as Prometheus. */
    private void metadata(HttpRequest req, JsonGenerator g) throws Exception {
        String metric = req.parameter("metric") == null ? "" : req.parameter("metric");
        int limit = signedLimit(req, "limit");
        int perMetric = signedLimit(req, "limit_per_metric");
        Boolean partial = requestOptions(req).partialResponse();
        MetadataView.Answer answer;
        if (metadata == null) {
            answer = new MetadataView.Answer(Map.of(), List.of());
        } else {
            try {
                answer = metadata.metadata(metric, limit, perMetric, partial == null ? partialByDefault : partial);
            } catch (ProxyQueryable.EndpointException e) {
                throw new ApiException(ApiException.INTERNAL, e.getMessage());
            }
        }
        g.writeObjectFieldStart("data");
        for (Map.Entry<String, List<MetricMetadata>> e : answer.metadata().entrySet()) {
            g.writeArrayFieldStart(e.getKey());
            for (MetricMetadata m : e.getValue()) {
                g.writeStartObject();
                g.writeStringField("type", m.type());
                g.writeStringField("help", m.help());
                g.writeStringField("unit", m.unit());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
        annotations(g, answer.warnings(), List.of());
    }

    /**
     * {@code /api/v1/query_exemplars}: the exemplars of the series the query's selectors select, in
     * [start, end], as Prometheus answers (plus Thanos's dedup, partial_response and replicaLabels[]).
     */
    private void exemplars(HttpRequest req, JsonGenerator g) throws Exception {
        String query = required(req, "query");
        try {
            Parser.parse(query);
        } catch (ParseException e) {
            throw new ApiException(ApiException.BAD_DATA, e.getMessage());
        }
        Range r = range(req);
        RequestOptions options = requestOptions(req);
        List<String> dedupBy = !options.dedup() ? List.of() : options.replicaLabels().isEmpty() ? replicaLabels : options.replicaLabels();
        ExemplarsView.Answer answer;
        if (exemplars == null) {
            answer = new ExemplarsView.Answer(List.of(), List.of());
        } else {
            try {
                answer = exemplars.exemplars(query, r.start, r.end, dedupBy,
                        options.partialResponse() == null ? partialByDefault : options.partialResponse());
            } catch (ProxyQueryable.EndpointException e) {
                throw new ApiException(ApiException.INTERNAL, e.getMessage());
            }
        }
        g.writeArrayFieldStart("data");
        for (SeriesExemplars s : answer.series()) {
            g.writeStartObject();
            g.writeFieldName("seriesLabels");
            ApiJson.labels(g, s.seriesLabels());
            g.writeArrayFieldStart("exemplars");
            for (Exemplar e : s.exemplars()) {
                g.writeStartObject();
                g.writeFieldName("labels");
                ApiJson.labels(g, e.labels());
                g.writeStringField("value", ApiJson.value(e.value()));
                g.writeFieldName("timestamp");
                ApiJson.exemplarTimestamp(g, e.timestampMillis());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        annotations(g, answer.warnings(), List.of());
    }

    /** A limit where, as in Prometheus's metadata API, a negative number means none. */
    private static int signedLimit(HttpRequest req, String name) {
        String l = req.parameter(name);
        if (l == null || l.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(l));
        } catch (NumberFormatException e) {
            throw new ApiException(ApiException.BAD_DATA, name + " must be a number");
        }
    }

    private static void annotations(JsonGenerator g, List<String> warnings, List<String> infos) throws IOException {
        if (!warnings.isEmpty()) {
            g.writeArrayFieldStart("warnings");
            for (String w : warnings) {
                g.writeString(w);
            }
            g.writeEndArray();
        }
        if (infos != null && !infos.isEmpty()) {
            g.writeArrayFieldStart("infos");
            for (String i : infos) {
                g.writeString(i);
            }
            g.writeEndArray();
        }
    }

    private static List<Matcher[]> matchSets(HttpRequest req, boolean requiredAtLeastOne) {
        List<String> params = req.parameters("match[]");
        if (params.isEmpty() && requiredAtLeastOne) {
            throw new ApiException(ApiException.BAD_DATA, "no match[] parameter provided");
        }
        List<Matcher[]> out = new ArrayList<>();
        for (String p : params) {
            List<Matcher> matchers;
            try {
                matchers = Parser.parseSelector(p);
            } catch (ParseException e) {
                throw new ApiException(ApiException.BAD_DATA, "invalid parameter \"match[]\": " + e.getMessage());
            }
            boolean nonEmpty = false;
            for (Matcher m : matchers) {
                nonEmpty |= !m.matchesEmpty();
            }
            if (!nonEmpty) {
                throw new ApiException(ApiException.BAD_DATA,
                        "invalid parameter \"match[]\": match[] must contain at least one non-empty matcher");
            }
            out.add(matchers.toArray(Matcher[]::new));
        }
        return out;
    }

    private record Range(long start, long end) {
    }

    private static Range range(HttpRequest req) {
        String s = req.parameter("start");
        String e = req.parameter("end");
        long start = s == null || s.isEmpty() ? ApiParameters.MIN_TIME : ApiParameters.time("start", s);
        long end = e == null || e.isEmpty() ? ApiParameters.MAX_TIME : ApiParameters.time("end", e);
        if (end < start) {
            throw new ApiException(ApiException.BAD_DATA, "invalid parameter \"end\": end timestamp must not be before start time");
        }
        return new Range(start, end);
    }

    private static int limit(HttpRequest req) {
        String l = req.parameter("limit");
        if (l == null || l.isEmpty()) {
            return 0;
        }
        try {
            int n = Integer.parseInt(l);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ApiException(ApiException.BAD_DATA, "invalid parameter \"limit\": limit must be a non-negative number");
        }
    }

    private void series(HttpRequest req, JsonGenerator g) throws Exception {
        List<Matcher[]> sets = matchSets(req, true);
        Range r = range(req);
        int limit = limit(req);
        Set<Labels> seen = new TreeSet<>();
        List<String> warnings = new ArrayList<>();
        boolean truncated = false;
        try (Querier q = source.apply(requestOptions(req)).querier(r.start, r.end)) {
            for (Matcher[] set : sets) {
                SeriesSet<Series> ss = q.select(true, new SelectHints(r.start, r.end, 0, "series", List.of(), false, 0, limit), set);
                while (ss.next()) {
                    seen.add(ss.at().labels());
                }
                if (ss.err() != null) {
                    throw new ApiException(ApiException.EXECUTION, ss.err().getMessage());
                }
                warnings.addAll(ss.warnings());
            }
        }
        g.writeArrayFieldStart("data");
        int n = 0;
        for (Labels l : seen) {
            if (limit > 0 && n++ >= limit) {
                truncated = true;
                break;
            }
            ApiJson.labels(g, l);
        }
        g.writeEndArray();
        if (truncated) {
            warnings.add("results truncated due to limit");
        }
        annotations(g, warnings, List.of());
    }

    private void labels(HttpRequest req, JsonGenerator g) throws Exception {
        List<Matcher[]> sets = matchSets(req, false);
        Range r = range(req);
        int limit = limit(req);
        TreeSet<String> names = new TreeSet<>();
        try (Querier q = source.apply(requestOptions(req)).querier(r.start, r.end)) {
            if (sets.isEmpty()) {
                names.addAll(q.labelNames(new LabelHints(limit)));
            } else {
                for (Matcher[] set : sets) {
                    names.addAll(q.labelNames(new LabelHints(limit), set));
                }
            }
        }
        writeStrings(g, names, limit);
    }

    private void labelValues(HttpRequest req, JsonGenerator g) throws Exception {
        String path = req.path();
        String prefix = "/api/v1/label/";
        if (!path.startsWith(prefix) || !path.endsWith("/values")) {
            throw new ApiException(ApiException.NOT_FOUND, "not found: " + path);
        }
        String name = java.net.URLDecoder.decode(path.substring(prefix.length(), path.length() - "/values".length()),
                java.nio.charset.StandardCharsets.UTF_8);
        if (name.startsWith("U__")) {
            name = unescapeUtf8Name(name.substring(3));
        } else if (!LABEL_NAME.matcher(name).matches()) {
            throw new ApiException(ApiException.BAD_DATA, "invalid label name: \"" + name + "\"");
        }
        List<Matcher[]> sets = matchSets(req, false);
        Range r = range(req);
        int limit = limit(req);
        TreeSet<String> values = new TreeSet<>();
        try (Querier q = source.apply(requestOptions(req)).querier(r.start, r.end)) {
            if (sets.isEmpty()) {
                values.addAll(q.labelValues(name, new LabelHints(limit)));
            } else {
                for (Matcher[] set : sets) {
                    values.addAll(q.labelValues(name, new LabelHints(limit), set));
                }
            }
        }
        writeStrings(g, values, limit);
    }

    /** Prometheus 3's escaping of non-legacy label names in URLs: {@code U__} then {@code _2e_} for '.'. */
    private static String unescapeUtf8Name(String escaped) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '_' && i + 1 < escaped.length() && escaped.charAt(i + 1) == '_') {
                sb.append('_');
                i++;
            } else if (c == '_') {
                int end = escaped.indexOf('_', i + 1);
                if (end < 0) {
                    throw new ApiException(ApiException.BAD_DATA, "invalid label name escaping: \"U__" + escaped + "\"");
                }
                sb.appendCodePoint(Integer.parseInt(escaped.substring(i + 1, end), 16));
                i = end;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static void writeStrings(JsonGenerator g, Set<String> values, int limit) throws IOException {
        g.writeArrayFieldStart("data");
        int n = 0;
        boolean truncated = false;
        for (String v : values) {
            if (limit > 0 && n++ >= limit) {
                truncated = true;
                break;
            }
            g.writeString(v);
        }
        g.writeEndArray();
        if (truncated) {
            annotations(g, List.of("results truncated due to limit"), List.of());
        }
    }

    private void formatQuery(HttpRequest req, JsonGenerator g) throws IOException {
        String expr = required(req, "query");
        try {
            g.writeStringField("data", Printer.print(Parser.parse(expr)));
        } catch (ParseException e) {
            throw new ApiException(ApiException.BAD_DATA, "invalid parameter \"query\": " + e.getMessage());
        }
    }

    /** The syntax tree, in Prometheus's shape (the tree view of PromLens and the Prometheus UI reads it). */
    private void parseQuery(HttpRequest req, JsonGenerator g) throws IOException {
        String expr = required(req, "query");
        try {
            var parsed = Parser.parse(expr);
            g.writeFieldName("data");
            AstJson.write(g, parsed);
        } catch (ParseException e) {
            throw new ApiException(ApiException.BAD_DATA, "invalid parameter \"query\": " + e.getMessage());
        }
    }
}
