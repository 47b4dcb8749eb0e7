package io.strata.plugin.promql.engine;

import java.util.function.BooleanSupplier;

/**
 * Per-query engine settings. {@code lookbackDeltaMillis}: how far back an instant selector looks for a sample;
 * {@code timeoutMillis}: wall-clock budget (0 = none); {@code maxSamples}: the most samples held in memory at once;
 * {@code defaultSubqueryStepMillis}: the step of subqueries written without one; {@code cancelled}: polled during
 * evaluation, true aborts the query.
 */
public record QueryOptions(long lookbackDeltaMillis, long timeoutMillis, long maxSamples, long defaultSubqueryStepMillis,
                           BooleanSupplier cancelled) {
    public QueryOptions {
        if (lookbackDeltaMillis <= 0) {
            throw new IllegalArgumentException("lookback delta must be positive, got " + lookbackDeltaMillis);
        }
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeoutMillis);
        }
        if (maxSamples <= 0) {
            throw new IllegalArgumentException("max samples must be positive, got " + maxSamples);
        }
        if (defaultSubqueryStepMillis <= 0) {
            throw new IllegalArgumentException("default subquery step must be positive, got " + defaultSubqueryStepMillis);
        }
        if (cancelled == null) {
            throw new IllegalArgumentException("cancelled must not be null (use () -> false)");
        }
    }

    public QueryOptions withCancellation(BooleanSupplier newCancelled) {
        return new QueryOptions(lookbackDeltaMillis, timeoutMillis, maxSamples, defaultSubqueryStepMillis, newCancelled);
    }

    public QueryOptions withMaxSamples(long newMaxSamples) {
        return new QueryOptions(lookbackDeltaMillis, timeoutMillis, newMaxSamples, defaultSubqueryStepMillis, cancelled);
    }

    public QueryOptions withTimeoutMillis(long newTimeout) {
        return new QueryOptions(lookbackDeltaMillis, newTimeout, maxSamples, defaultSubqueryStepMillis, cancelled);
    }

    public QueryOptions withLookbackDeltaMillis(long newLookback) {
        return new QueryOptions(newLookback, timeoutMillis, maxSamples, defaultSubqueryStepMillis, cancelled);
    }
}
