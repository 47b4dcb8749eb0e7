package io.strata.api.storage;

import io.strata.api.labels.Labels;

/**
 * Batches samples for one atomic commit (mirrors Prometheus's storage.Appender).
 * Not thread-safe: one appender per writer.
 */
public interface Appender {
    /**
     * Adds a sample. {@code ref} is 0 or a reference returned earlier for the same labels (a hint
     * that skips the label look-up). Returns the series reference.
     *
     * @throws AppendException when the sample is rejected; the rest of the batch is unaffected
     */
    long append(long ref, Labels labels, long t, double v);

    /** Makes the batch durable (written ahead to the log) and visible. */
    void commit();

    /** Discards the batch. */
    void rollback();
}
