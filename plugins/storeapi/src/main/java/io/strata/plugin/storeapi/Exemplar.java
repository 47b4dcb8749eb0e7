package io.strata.plugin.storeapi;

import io.strata.api.labels.Labels;
import java.util.Objects;

/**
 * One exemplar: its own labels (a trace id, typically), its value and when it was seen.
 *
 * @param timestampMillis milliseconds since the epoch
 */
public record Exemplar(Labels labels, double value, long timestampMillis) {
    public Exemplar {
        Objects.requireNonNull(labels, "labels");
    }
}
