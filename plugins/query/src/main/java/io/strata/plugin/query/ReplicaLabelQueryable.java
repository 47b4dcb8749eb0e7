package io.strata.plugin.query;

import io.strata.api.storage.Querier;
import io.strata.api.storage.Queryable;
import java.util.List;

/**
 * A source that can remove labels from its series itself and still answer sorted (StoreAPI's
 * {@code without_replica_labels}), sparing the querier a sort of everything it reads when it
 * deduplicates.
 */
public interface ReplicaLabelQueryable extends Queryable {
    /** True when {@link #querier(long, long, List, boolean)} honours its labels (the endpoint said so). */
    boolean removesLabelsSorted();

    /**
     * A querier whose series lack {@code withoutLabels}, sorted after their removal.
     *
     * @param abortOnPartialResponse ask the source to fail rather than answer partially
     */
    Querier querier(long minTime, long maxTime, List<String> withoutLabels, boolean abortOnPartialResponse);
}
