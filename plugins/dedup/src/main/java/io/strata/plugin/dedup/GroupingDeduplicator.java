package io.strata.plugin.dedup;

import io.strata.api.dedup.Deduplicator;
import io.strata.api.labels.Labels;
import io.strata.api.storage.SampleIterator;
import io.strata.api.storage.SelectHints;
import io.strata.api.storage.Series;
import io.strata.api.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Groups adjacent series with equal labels (the replicas of one series, once replica labels are
 * gone) and merges each group into one series; a group of one passes through untouched.
 */
abstract class GroupingDeduplicator implements Deduplicator {
    /** Merges the sample iterators of the replicas of one series. */
    abstract SampleIterator merge(List<SampleIterator> replicas, SelectHints hints);

    @Override
    public final SeriesSet<Series> deduplicate(SeriesSet<Series> input, SelectHints hints) {
        return new SeriesSet<>() {
            private Series pending;
            private Series current;
            private boolean exhausted;

            @Override
            public boolean next() {
                if (pending == null && !exhausted) {
                    if (input.next()) {
                        pending = input.at();
                    } else {
                        exhausted = true;
                    }
                }
                if (pending == null) {
                    return false;
                }
                Labels labels = pending.labels();
                List<Series> group = new ArrayList<>(2);
                group.add(pending);
                pending = null;
                while (input.next()) {
                    Series s = input.at();
                    if (s.labels().equals(labels)) {
                        group.add(s);
                    } else {
                        pending = s;
                        break;
                    }
                }
                if (pending == null) {
                    exhausted = true;
                }
                current = group.size() == 1 ? group.get(0) : merged(labels, group, hints);
                return true;
            }

            @Override
            public Series at() {
                return current;
            }

            @Override
            public Exception err() {
                return input.err();
            }

            @Override
            public List<String> warnings() {
                return input.warnings();
            }
        };
    }

    private Series merged(Labels labels, List<Series> group, SelectHints hints) {
        return new Series() {
            @Override
            public Labels labels() {
                return labels;
            }

            @Override
            public SampleIterator iterator(SampleIterator reuse) {
                List<SampleIterator> its = new ArrayList<>(group.size());
                for (Series s : group) {
                    its.add(s.iterator(null));
                }
                return merge(its, hints);
            }
        };
    }
}
