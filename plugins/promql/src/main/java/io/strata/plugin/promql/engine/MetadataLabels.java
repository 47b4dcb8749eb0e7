package io.strata.plugin.promql.engine;

import io.strata.api.labels.Labels;
import java.util.Set;

/**
 * The reserved metric-metadata labels: the metric name and, as Prometheus's type-and-unit feature adds them,
 * {@code __type__} and {@code __unit__}. Whenever an operation drops the metric name, it drops all of them.
 */
final class MetadataLabels {
    static final String TYPE = "__type__";
    static final String UNIT = "__unit__";
    static final Set<String> ALL = Set.of(Labels.METRIC_NAME, TYPE, UNIT);

    private MetadataLabels() {
    }

    static Labels drop(Labels labels) {
        if (!labels.has(Labels.METRIC_NAME) && !labels.has(TYPE) && !labels.has(UNIT)) {
            return labels;
        }
        return labels.without(ALL);
    }
}
