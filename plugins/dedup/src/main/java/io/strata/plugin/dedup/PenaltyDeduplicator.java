package io.strata.plugin.dedup;

import io.strata.api.storage.SampleIterator;
import io.strata.api.storage.SelectHints;
import java.util.List;
import java.util.Set;

/**
 * Thanos's default deduplication: follow one replica and switch to another only across a gap,
 * with a penalty that keeps the merged series from sampling faster than its replicas. For
 * counter functions ({@code rate}, {@code increase}, {@code irate}, {@code resets}) a replica that
 * lags behind the one it replaces is shifted up, so the switch does not look like a counter reset.
 */
public final class PenaltyDeduplicator extends GroupingDeduplicator {
    private static final Set<String> COUNTER_FUNCTIONS = Set.of("rate", "increase", "irate", "resets");
    private final long initialPenaltyMillis;

    /** @param initialPenaltyMillis the penalty before the sampling interval is known (Thanos uses 5000) */
    public PenaltyDeduplicator(long initialPenaltyMillis) {
        if (initialPenaltyMillis < 0) {
            throw new IllegalArgumentException("initial penalty must not be negative, got " + initialPenaltyMillis);
        }
        this.initialPenaltyMillis = initialPenaltyMillis;
    }

    @Override
    SampleIterator merge(List<SampleIterator> replicas, SelectHints hints) {
        boolean counter = hints != null && COUNTER_FUNCTIONS.contains(hints.function());
        PenaltyIterator merged = new PenaltyIterator(replicas.get(0), replicas.get(1), counter, initialPenaltyMillis);
        for (int i = 2; i < replicas.size(); i++) {
            merged = new PenaltyIterator(merged, replicas.get(i), counter, initialPenaltyMillis);
        }
        return merged;
    }
}
