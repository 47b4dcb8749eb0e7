package io.strata.plugin.storeapi;

import io.strata.api.labels.Labels;
import java.util.List;
import java.util.Objects;

/** The exemplars of one series, oldest first. */
public record SeriesExemplars(Labels seriesLabels, List<Exemplar> exemplars) {
    public SeriesExemplars {
        Objects.requireNonNull(seriesLabels, "seriesLabels");
        exemplars = List.copyOf(exemplars);
    }
}
