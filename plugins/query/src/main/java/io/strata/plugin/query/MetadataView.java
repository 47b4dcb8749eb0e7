package io.strata.plugin.query;

import io.strata.plugin.storeapi.MetricMetadata;
import io.strata.plugin.storeapi.MetricMetadataSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * The global view's metric metadata: asked of every healthy endpoint that serves the Metadata API,
 * in parallel, and merged (a metric's identical descriptions from several endpoints, such as the
 * replicas of an HA pair, count once). A failing endpoint becomes a warning under partial response,
 * else the answer's error.
 */
public final class MetadataView implements MetricMetadataSource {
    /** The merged metadata and the warnings about endpoints that did not answer. */
    public record Answer(Map<String, List<MetricMetadata>> metadata, List<String> warnings) {
    }

    private final EndpointCalls calls;

    public MetadataView(Supplier<List<Endpoint>> endpoints, ExecutorService executor, long timeoutMillis) {
        this.calls = new EndpointCalls(endpoints, executor, timeoutMillis);
    }

    /**
     * @param metric         one metric, or empty for all
     * @param limit          at most this many metrics (0 or less: all)
     * @param limitPerMetric at most this many descriptions of one metric (0 or less: all)
     * @param partialResponse true: failing endpoints become warnings; false: the first failure is thrown
     */
    public Answer metadata(String metric, int limit, int limitPerMetric, boolean partialResponse) {
        List<String> warnings = new ArrayList<>();
        Map<String, LinkedHashSet<MetricMetadata>> merged = new TreeMap<>();
        for (Map<String, List<MetricMetadata>> answer : calls.each(Endpoint::metadata, m -> m.metricMetadata(metric, limit),
                partialResponse, "metadata", warnings)) {
            answer.forEach((name, metas) -> merged.computeIfAbsent(name, k -> new LinkedHashSet<>()).addAll(metas));
        }
        Map<String, List<MetricMetadata>> out = new TreeMap<>();
        for (Map.Entry<String, LinkedHashSet<MetricMetadata>> e : merged.entrySet()) {
            if (limit > 0 && out.size() >= limit) {
                break;
            }
            List<MetricMetadata> metas = new ArrayList<>(e.getValue());
            out.put(e.getKey(), limitPerMetric > 0 && metas.size() > limitPerMetric ? metas.subList(0, limitPerMetric) : metas);
        }
        return new Answer(out, warnings);
    }

    /** For the querier's own Metadata API (queriers stack): partial response on, warnings dropped. */
    @Override
    public Map<String, List<MetricMetadata>> metricMetadata(String metric, int limit) {
        return metadata(metric, limit, 0, true).metadata();
    }
}
