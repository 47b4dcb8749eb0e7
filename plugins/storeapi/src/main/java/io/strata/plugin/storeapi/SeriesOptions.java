package io.strata.plugin.storeapi;

import java.util.List;

/**
 * StoreAPI request settings that the api read interfaces do not carry.
 *
 * @param skipChunks             ask for labels only
 * @param withoutReplicaLabels   labels the server removes from every series (honoured when its Info says so)
 * @param abortOnPartialResponse send the ABORT partial response strategy instead of WARN
 * @param responseBatchSize      series per response frame; 0 lets the server send one per frame. Batches
 *                               spare the client a wake-up per series; servers that do not batch ignore it.
 */
public record SeriesOptions(boolean skipChunks, List<String> withoutReplicaLabels, boolean abortOnPartialResponse,
                            int responseBatchSize) {
    /** The batch size Thanos queriers ask for (since v0.41). */
    public static final int DEFAULT_BATCH_SIZE = 64;
    /** Chunks included, nothing removed, WARN, batches of {@link #DEFAULT_BATCH_SIZE} series. */
    public static final SeriesOptions DEFAULT = new SeriesOptions(false, List.of(), false, DEFAULT_BATCH_SIZE);

    public SeriesOptions {
        withoutReplicaLabels = List.copyOf(withoutReplicaLabels);
        if (responseBatchSize < 0) {
            throw new IllegalArgumentException("response batch size must not be negative: " + responseBatchSize);
        }
    }
}
