package io.strata.api.storage;

import io.strata.api.labels.Matcher;
import java.util.List;

/** Reads series over a fixed time range (mirrors Prometheus's storage.Querier). */
public interface Querier extends AutoCloseable {
    /** Series matching all matchers; sorted by labels when {@code sorted} is true. */
    SeriesSet<Series> select(boolean sorted, SelectHints hints, Matcher... matchers);

    /** Sorted distinct values of a label among series matching the matchers. */
    List<String> labelValues(String name, LabelHints hints, Matcher... matchers);

    /** Sorted distinct label names among series matching the matchers. */
    List<String> labelNames(LabelHints hints, Matcher... matchers);

    @Override
    void close();
}
