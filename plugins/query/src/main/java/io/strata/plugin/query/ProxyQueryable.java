package io.strata.plugin.query;

import io.strata.api.dedup.Deduplicator;
import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.LabelHints;
import io.strata.api.storage.Querier;
import io.strata.api.storage.Queryable;
import io.strata.api.storage.SampleIterator;
import io.strata.api.storage.SelectHints;
import io.strata.api.storage.Series;
import io.strata.api.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The global view: one {@link Queryable} over many endpoints. A selection goes, in parallel, to
 * the endpoints whose time range and external labels can match; their sorted answers are merged
 * (series with equal labels from different endpoints become one, their samples unioned); with
 * deduplication on, replica labels are dropped and the replicas merged by the {@link Deduplicator}.
 * A failing endpoint becomes a warning (partial response) or fails the query.
 */
public final class ProxyQueryable implements Queryable {
    private final Supplier<List<Endpoint>> endpoints;
    private final ExecutorService executor;
    private final Deduplicator deduplicator;
    private final Deduplicator sameSeriesMerger;
    private final Collection<String> replicaLabels;
    private final boolean partialResponse;
    private final long timeoutMillis;

    /**
     * @param endpoints      the healthy endpoints at the time of the query
     * @param executor       runs the per-endpoint selections (bounded: it limits fan-out concurrency)
     * @param deduplicator   merges replicas, or null for no deduplication
     * @param sameSeriesMerger merges series with equal labels from different endpoints (the chain deduplicator)
     * @param replicaLabels  labels that tell replicas apart (dropped when deduplicating)
     * @param partialResponse true: failing endpoints become warnings; false: they fail the query
     * @param timeoutMillis  the longest wait for one endpoint
     */
    public ProxyQueryable(Supplier<List<Endpoint>> endpoints, ExecutorService executor, Deduplicator deduplicator,
                          Deduplicator sameSeriesMerger, Collection<String> replicaLabels, boolean partialResponse,
                          long timeoutMillis) {
        this.endpoints = endpoints;
        this.executor = executor;
        this.deduplicator = deduplicator;
        this.sameSeriesMerger = java.util.Objects.requireNonNull(sameSeriesMerger, "sameSeriesMerger");
        this.replicaLabels = List.copyOf(replicaLabels);
        this.partialResponse = partialResponse;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public Querier querier(long minTime, long maxTime) {
        return new ProxyQuerier(minTime, maxTime);
    }

    /** An endpoint failed and partial responses are off. */
    public static final class EndpointException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EndpointException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final class ProxyQuerier implements Querier {
        private final long minTime;
        private final long maxTime;
        private final List<Querier> open = new ArrayList<>();

        ProxyQuerier(long minTime, long maxTime) {
            this.minTime = minTime;
            this.maxTime = maxTime;
        }

        private List<Endpoint> targets(long start, long end, Matcher[] matchers) {
            List<Endpoint> out = new ArrayList<>();
            for (Endpoint e : endpoints.get()) {
                if (e.overlaps(start, end) && e.mayMatch(matchers)) {
                    out.add(e);
                }
            }
            return out;
        }

        /** Runs {@code work} against each target in parallel; failures become warnings or an error. */
        private <T> List<T> fanOut(List<Endpoint> targets, EndpointWork<T> work, List<String> warnings) {
            List<Future<T>> futures = new ArrayList<>();
            for (Endpoint e : targets) {
                futures.add(executor.submit(() -> {
                    Querier q = e.queryable().querier(minTime, maxTime);
                    synchronized (open) {
                        open.add(q);
                    }
                    return work.apply(e, q);
                }));
            }
            List<T> results = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                String address = targets.get(i).address();
                try {
                    results.add(futures.get(i).get(timeoutMillis, TimeUnit.MILLISECONDS));
                } catch (ExecutionException | TimeoutException e) {
                    futures.get(i).cancel(true);
                    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                    String message = "endpoint " + address + ": " + (cause instanceof TimeoutException
                            ? "timed out after " + timeoutMillis + "ms" : String.valueOf(cause.getMessage()));
                    if (!partialResponse) {
                        throw new EndpointException(message, cause);
                    }
                    warnings.add(message);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EndpointException("interrupted while waiting for " + address, e);
                }
            }
            return results;
        }

        @Override
        public SeriesSet<Series> select(boolean sorted, SelectHints hints, Matcher... matchers) {
            long start = hints == null ? minTime : hints.start();
            long end = hints == null ? maxTime : hints.end();
            List<String> warnings = new ArrayList<>();
            boolean dedup = deduplicator != null && !replicaLabels.isEmpty();
            List<List<Series>> answers = fanOut(targets(start, end, matchers), (e, q) -> {
                SeriesSet<Series> set = q.select(true, hints, matchers);
                List<Series> list = new ArrayList<>();
                while (set.next()) {
                    Series s = set.at();
                    list.add(dedup ? relabeled(s, s.labels().without(replicaLabels)) : s);
                }
                if (set.err() != null) {
                    throw set.err();
                }
                synchronized (warnings) {
                    warnings.addAll(set.warnings());
                }
                return list;
            }, warnings);
            List<Series> all = new ArrayList<>();
            for (List<Series> a : answers) {
                all.addAll(a);
            }
            // stable sort: replicas of one series stay in endpoint order
            all.sort((x, y) -> x.labels().compareTo(y.labels()));
            SeriesSet<Series> merged = withWarnings(SeriesSet.of(all), warnings);
            return dedup ? deduplicator.deduplicate(merged, hints) : sameSeriesMerger.deduplicate(merged, hints);
        }

        @Override
        public List<String> labelValues(String name, LabelHints hints, Matcher... matchers) {
            TreeSet<String> out = new TreeSet<>();
            List<String> warnings = new ArrayList<>();
            for (List<String> v : fanOut(targets(minTime, maxTime, matchers), (e, q) -> q.labelValues(name, hints, matchers), warnings)) {
                out.addAll(v);
            }
            return new ArrayList<>(out);
        }

        @Override
        public List<String> labelNames(LabelHints hints, Matcher... matchers) {
            TreeSet<String> out = new TreeSet<>();
            List<String> warnings = new ArrayList<>();
            for (List<String> v : fanOut(targets(minTime, maxTime, matchers), (e, q) -> q.labelNames(hints, matchers), warnings)) {
                out.addAll(v);
            }
            return new ArrayList<>(out);
        }

        @Override
        public void close() {
            synchronized (open) {
                for (Querier q : open) {
                    q.close();
                }
                open.clear();
            }
        }
    }

    @FunctionalInterface
    private interface EndpointWork<T> {
        T apply(Endpoint endpoint, Querier querier) throws Exception;
    }

    private static Series relabeled(Series s, Labels labels) {
        return new Series() {
            @Override
            public Labels labels() {
                return labels;
            }

            @Override
            public SampleIterator iterator(SampleIterator reuse) {
                return s.iterator(reuse);
            }
        };
    }

    private static SeriesSet<Series> withWarnings(SeriesSet<Series> set, List<String> warnings) {
        return new SeriesSet<>() {
            @Override
            public boolean next() {
                return set.next();
            }

            @Override
            public Series at() {
                return set.at();
            }

            @Override
            public List<String> warnings() {
                return warnings;
            }
        };
    }
}
