package io.strata.plugin.storeapi;

import java.util.Objects;

/**
 * What a metric is, as Prometheus's {@code /api/v1/metadata} describes it (Thanos {@code Meta}).
 *
 * @param type counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown
 * @param help the metric's help text
 * @param unit its unit, often empty
 */
public record MetricMetadata(String type, String help, String unit) {
    public MetricMetadata {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(help, "help");
        Objects.requireNonNull(unit, "unit");
    }
}
