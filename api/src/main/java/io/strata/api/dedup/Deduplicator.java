package io.strata.api.dedup;

import io.strata.api.storage.SelectHints;
import io.strata.api.storage.Series;
import io.strata.api.storage.SeriesSet;

/**
 * Merges the replicas of HA pairs. The input is sorted by labels with the replica labels already
 * removed, so the replicas of one series are adjacent; the output holds one series per label set.
 */
public interface Deduplicator {
    SeriesSet<Series> deduplicate(SeriesSet<Series> sortedWithoutReplicaLabels, SelectHints hints);
}
