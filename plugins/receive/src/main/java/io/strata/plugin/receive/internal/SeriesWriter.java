package io.strata.plugin.receive.internal;

/** Where a decoded request goes: the local TSDBs (ingester) or the hashring (router). */
@FunctionalInterface
public interface SeriesWriter {
    /**
     * Writes the batch's series for the tenant and records what happened in {@code outcome}.
     *
     * @param replica 0 for a request from a client, else the 1-based replica number a router gave it
     */
    void write(String tenant, WriteBatch batch, long replica, WriteOutcome outcome) throws Exception;
}
