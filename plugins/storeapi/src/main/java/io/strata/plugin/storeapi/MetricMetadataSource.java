package io.strata.plugin.storeapi;

import java.util.List;
import java.util.Map;

/** Where metric metadata comes from: a Prometheus (through a sidecar), a StoreAPI endpoint, or the global view. */
@FunctionalInterface
public interface MetricMetadataSource {
    /**
     * The metadata of one metric ({@code metric} non-empty) or of all, by metric name; each metric has
     * its distinct descriptions.
     *
     * @param limit at most this many metrics; 0 or negative for all
     * @throws Exception when the source cannot answer
     */
    Map<String, List<MetricMetadata>> metricMetadata(String metric, int limit) throws Exception;
}
