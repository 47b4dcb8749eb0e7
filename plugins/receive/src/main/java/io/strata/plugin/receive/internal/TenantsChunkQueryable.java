package io.strata.plugin.receive.internal;

import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkQuerier;
import io.strata.api.storage.ChunkQueryable;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.LabelHints;
import io.strata.api.storage.SelectHints;
import io.strata.api.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * All tenants' TSDBs as one {@link ChunkQueryable}: each series gets its tenant label
 * ({@code tenant_id}), matchers on that label pick the tenants, and the tenants' sorted series are
 * merged into one sorted stream.
 */
public final class TenantsChunkQueryable implements ChunkQueryable {
    private final Supplier<? extends Iterable<TenantStorage.Tenant>> tenants;
    private final String tenantLabel;

    public TenantsChunkQueryable(Supplier<? extends Iterable<TenantStorage.Tenant>> tenants, String tenantLabel) {
        this.tenants = Objects.requireNonNull(tenants, "tenants");
        if (tenantLabel == null || tenantLabel.isEmpty()) {
            throw new IllegalArgumentException("the tenant label name is required");
        }
        this.tenantLabel = tenantLabel;
    }

    @Override
    public ChunkQuerier chunkQuerier(long minTime, long maxTime) {
        List<String> ids = new ArrayList<>();
        List<ChunkQuerier> queriers = new ArrayList<>();
        for (TenantStorage.Tenant t : tenants.get()) {
            ids.add(t.id());
            queriers.add(t.db().chunkQuerier(minTime, maxTime));
        }
        return new MergedQuerier(ids, queriers);
    }

    private final class MergedQuerier implements ChunkQuerier {
        private final List<String> ids;
        private final List<ChunkQuerier> queriers;

        MergedQuerier(List<String> ids, List<ChunkQuerier> queriers) {
            this.ids = ids;
            this.queriers = queriers;
        }

        /** The matchers other than the tenant label's, or null when the tenant does not match. */
        private Matcher[] forTenant(String id, Matcher[] matchers) {
            List<Matcher> rest = new ArrayList<>(matchers.length);
            for (Matcher m : matchers) {
                if (m.name().equals(tenantLabel)) {
                    if (!m.matches(id)) {
                        return null;
                    }
                } else {
                    rest.add(m);
                }
            }
            return rest.toArray(new Matcher[0]);
        }

        @Override
        public SeriesSet<ChunkSeries> select(boolean sorted, SelectHints hints, Matcher... matchers) {
            PriorityQueue<Cursor> queue = new PriorityQueue<>((a, b) -> a.current.labels().compareTo(b.current.labels()));
            List<Exception> errors = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                Matcher[] rest = forTenant(ids.get(i), matchers);
                if (rest == null) {
                    continue;
                }
                Cursor c = new Cursor(ids.get(i), queriers.get(i).select(true, hints, rest));
                if (c.advance()) {
                    queue.add(c);
                } else if (c.set.err() != null) {
                    errors.add(c.set.err());
                }
            }
            return new SeriesSet<>() {
                private ChunkSeries at;
                private Cursor pending;

                @Override
                public boolean next() {
                    if (pending != null) {
                        if (pending.advance()) {
                            queue.add(pending);
                        } else if (pending.set.err() != null) {
                            errors.add(pending.set.err());
                        }
                        pending = null;
                    }
                    Cursor c = queue.poll();
                    if (c == null) {
                        return false;
                    }
                    at = c.current;
                    pending = c;
                    return true;
                }

                @Override
                public ChunkSeries at() {
                    return at;
                }

                @Override
                public Exception err() {
                    return errors.isEmpty() ? null : errors.get(0);
                }
            };
        }

        @Override
        public List<String> labelValues(String name, LabelHints hints, Matcher... matchers) {
            TreeSet<String> out = new TreeSet<>(Labels::compareUtf8);
            for (int i = 0; i < ids.size(); i++) {
                Matcher[] rest = forTenant(ids.get(i), matchers);
                if (rest == null) {
                    continue;
                }
                if (name.equals(tenantLabel)) {
                    if (!queriers.get(i).labelNames(LabelHints.NONE, rest).isEmpty()) {
                        out.add(ids.get(i));
                    }
                } else {
                    out.addAll(queriers.get(i).labelValues(name, hints, rest));
                }
            }
            return limit(out, hints);
        }

        @Override
        public List<String> labelNames(LabelHints hints, Matcher... matchers) {
            TreeSet<String> out = new TreeSet<>(Labels::compareUtf8);
            for (int i = 0; i < ids.size(); i++) {
                Matcher[] rest = forTenant(ids.get(i), matchers);
                if (rest == null) {
                    continue;
                }
                List<String> names = queriers.get(i).labelNames(hints, rest);
                if (!names.isEmpty()) {
                    out.addAll(names);
                    out.add(tenantLabel);
                }
            }
            return limit(out, hints);
        }

        private static List<String> limit(TreeSet<String> values, LabelHints hints) {
            List<String> list = new ArrayList<>(values);
            return hints != null && hints.limit() > 0 && list.size() > hints.limit() ? list.subList(0, hints.limit()) : list;
        }

        @Override
        public void close() {
            for (ChunkQuerier q : queriers) {
                q.close();
            }
        }
    }

    /** One tenant's series set, with the tenant label added to the series at its head. */
    private final class Cursor {
        final String tenant;
        final SeriesSet<ChunkSeries> set;
        ChunkSeries current;

        Cursor(String tenant, SeriesSet<ChunkSeries> set) {
            this.tenant = tenant;
            this.set = set;
        }

        boolean advance() {
            if (!set.next()) {
                current = null;
                return false;
            }
            ChunkSeries s = set.at();
            Labels labels = s.labels().toBuilder().set(tenantLabel, tenant).build();
            current = new ChunkSeries() {
                @Override
                public Labels labels() {
                    return labels;
                }

                @Override
                public ChunkIterator chunks(ChunkIterator reuse) {
                    return s.chunks(reuse);
                }
            };
            return true;
        }
    }
}
