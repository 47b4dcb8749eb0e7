package io.strata.plugin.tsdb.querier;

import io.strata.api.labels.Matcher;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.SeriesSet;
import java.util.List;

/** A source of series with chunks: a block or the head. */
public interface ChunkSeriesSource {
    /**
     * Series matching all matchers that have chunks overlapping [mint, maxt] (inclusive), sorted by
     * labels in Go string order, each with only those chunks.
     */
    SeriesSet<ChunkSeries> select(long mint, long maxt, Matcher... matchers);

    /** Sorted distinct values of a label among series matching the matchers. */
    List<String> labelValues(String name, Matcher... matchers);

    /** Sorted distinct label names among series matching the matchers. */
    List<String> labelNames(Matcher... matchers);

    /** Smallest timestamp the source can hold (inclusive). */
    long minTime();

    /** Largest timestamp the source can hold (inclusive). */
    long maxTime();
}
