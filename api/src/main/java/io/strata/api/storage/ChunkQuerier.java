package io.strata.api.storage;

import io.strata.api.labels.Matcher;
import java.util.List;

/** Reads series as chunks over a fixed time range (mirrors Prometheus's storage.ChunkQuerier). */
public interface ChunkQuerier extends AutoCloseable {
    SeriesSet<ChunkSeries> select(boolean sorted, SelectHints hints, Matcher... matchers);

    List<String> labelValues(String name, LabelHints hints, Matcher... matchers);

    List<String> labelNames(LabelHints hints, Matcher... matchers);

    @Override
    void close();
}
