package io.strata.plugin.storeapi.internal;

import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The labels a store adds to every series it serves, with Thanos's semantics: they replace series
 * labels of the same name, and matchers on their names are decided by the external value alone.
 */
public final class ExternalLabels {
    private final Labels labels;

    public ExternalLabels(Labels labels) {
        this.labels = Objects.requireNonNull(labels, "external labels");
    }

    public Labels labels() {
        return labels;
    }

    public boolean isEmpty() {
        return labels.isEmpty();
    }

    public boolean has(String name) {
        return labels.has(name);
    }

    /**
     * The matchers the source still has to apply, or null when a matcher on an external label name
     * refuses the external value (no series of this store can match).
     */
    public Matcher[] residual(Matcher[] matchers) {
        if (labels.isEmpty()) {
            return matchers;
        }
        List<Matcher> out = new ArrayList<>(matchers.length);
        for (Matcher m : matchers) {
            if (labels.has(m.name())) {
                if (!m.matches(labels.get(m.name()))) {
                    return null;
                }
            } else {
                out.add(m);
            }
        }
        return out.toArray(new Matcher[0]);
    }

    /** The series labels with the external labels set (replacing labels of the same name). */
    public Labels extend(Labels series) {
        if (labels.isEmpty()) {
            return series;
        }
        Labels.Builder b = series.toBuilder();
        labels.forEach(b::set);
        return b.build();
    }
}
