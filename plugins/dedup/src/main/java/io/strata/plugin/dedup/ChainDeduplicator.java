package io.strata.plugin.dedup;

import io.strata.api.storage.SampleIterator;
import io.strata.api.storage.SelectHints;
import java.util.List;

/**
 * Merges replicas into the union of their samples in time order; where several replicas have a
 * sample at the same timestamp, the first replica's value wins. Suited to replicas that were
 * written with identical timestamps (for example receivers with replication).
 */
public final class ChainDeduplicator extends GroupingDeduplicator {
    @Override
    SampleIterator merge(List<SampleIterator> replicas, SelectHints hints) {
        return new ChainIterator(replicas.toArray(SampleIterator[]::new));
    }

    /** k-way merge over timestamps, first replica wins ties. */
    static final class ChainIterator implements SampleIterator {
        private final SampleIterator[] its;
        private final boolean[] ok;
        private boolean started;
        private int current = -1;

        ChainIterator(SampleIterator[] its) {
            this.its = its;
            this.ok = new boolean[its.length];
        }

        @Override
        public boolean next() {
            if (!started) {
                started = true;
                for (int i = 0; i < its.length; i++) {
                    ok[i] = its[i].next();
                }
            } else if (current >= 0) {
                long t = its[current].atT();
                for (int i = 0; i < its.length; i++) {
                    while (ok[i] && its[i].atT() <= t) {
                        ok[i] = its[i].next();
                    }
                }
            }
            return choose();
        }

        private boolean choose() {
            current = -1;
            long best = Long.MAX_VALUE;
            for (int i = 0; i < its.length; i++) {
                if (ok[i] && its[i].atT() < best) {
                    best = its[i].atT();
                    current = i;
                }
            }
            return current >= 0;
        }

        @Override
        public boolean seek(long t) {
            if (!started) {
                started = true;
                for (int i = 0; i < its.length; i++) {
                    ok[i] = its[i].seek(t);
                }
                return choose();
            }
            if (current >= 0 && its[current].atT() >= t) {
                return true;
            }
            for (int i = 0; i < its.length; i++) {
                if (ok[i]) {
                    ok[i] = its[i].seek(t);
                }
            }
            return choose();
        }

        @Override
        public long atT() {
            return its[current].atT();
        }

        @Override
        public double atV() {
            return its[current].atV();
        }

        @Override
        public Exception err() {
            for (SampleIterator it : its) {
                if (it.err() != null) {
                    return it.err();
                }
            }
            return null;
        }
    }
}
