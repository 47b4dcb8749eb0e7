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
    private final List<String> replicaLabels;
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
        private final List<EndpointStream> selections = new ArrayList<>();

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
                    Throwable cause = e instanceof ExecutionException ? e.getCause() : timedOut();
                    EndpointException failure = failure(address, cause, warnings);
                    if (failure != null) {
                        throw failure;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EndpointException("interrupted while waiting for " + address, e);
                }
            }
            return results;
        }

        /**
         * A failing endpoint: under partial response a warning naming it (null is returned), otherwise
         * the exception that ends the query.
         */
        private EndpointException failure(String address, Throwable cause, List<String> warnings) {
            String message = "endpoint " + address + ": " + (cause.getMessage() == null ? cause.toString() : cause.getMessage());
            if (!partialResponse) {
                return new EndpointException(message, cause);
            }
            synchronized (warnings) {
                warnings.add(message);
            }
            return null;
        }

        private TimeoutException timedOut() {
            return new TimeoutException("timed out after " + timeoutMillis + "ms");
        }

        /** The series without the replica labels (itself when it has none). */
        private Series withoutReplicaLabels(Series s) {
            Labels l = s.labels().without(replicaLabels);
            return l == s.labels() ? s : relabeled(s, l);
        }

        @Override
        public SeriesSet<Series> select(boolean sorted, SelectHints hints, Matcher... matchers) {
            long start = hints == null ? minTime : hints.start();
            long end = hints == null ? maxTime : hints.end();
            boolean dedup = deduplicator != null && !replicaLabels.isEmpty();
            List<Endpoint> targets = targets(start, end, matchers);
            if (targets.size() == 1 && (!dedup || removesLabelsSorted(targets.get(0)))) {
                // one endpoint whose answer needs no sorting: read it where the query runs (the client
                // already decodes ahead on gRPC's threads; its deadline is the endpoint timeout)
                SeriesSet<Series> one = direct(targets.get(0), dedup, hints, matchers);
                return dedup ? deduplicator.deduplicate(one, hints) : one;
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            List<EndpointStream> streams = new ArrayList<>(targets.size());
            for (Endpoint e : targets) {
                EndpointStream stream = new EndpointStream(e.address(), streams.size());
                streams.add(stream);
                stream.task = executor.submit(() -> produce(e, stream, dedup, hints, matchers));
            }
            synchronized (open) {
                selections.addAll(streams);
            }
            MergedSeriesSet merged = new MergedSeriesSet(streams, deadline);
            if (dedup) {
                return deduplicator.deduplicate(merged, hints);
            }
            // one sorted stream has no equal neighbours to merge; several may share series
            return streams.size() <= 1 ? merged : sameSeriesMerger.deduplicate(merged, hints);
        }

        private boolean removesLabelsSorted(Endpoint e) {
            return e.queryable() instanceof ReplicaLabelQueryable r && r.removesLabelsSorted();
        }

        /** One endpoint's answer as its querier gives it; a failure becomes a warning or {@link SeriesSet#err()}. */
        private SeriesSet<Series> direct(Endpoint e, boolean dedup, SelectHints hints, Matcher[] matchers) {
            List<String> warnings = new ArrayList<>();
            SeriesSet<Series> set;
            try {
                Querier q = dedup ? ((ReplicaLabelQueryable) e.queryable()).querier(minTime, maxTime, replicaLabels, !partialResponse)
                        : e.queryable().querier(minTime, maxTime);
                synchronized (open) {
                    open.add(q);
                }
                set = q.select(true, hints, matchers);
            } catch (RuntimeException ex) {
                set = failedSet(ex);
            }
            SeriesSet<Series> source = set;
            return new SeriesSet<>() {
                private Exception err;
                private boolean done;

                @Override
                public boolean next() {
                    if (done) {
                        return false;
                    }
                    try {
                        if (source.next()) {
                            return true;
                        }
                        finish(source.err());
                    } catch (RuntimeException ex) {
                        finish(ex);
                    }
                    return false;
                }

                private void finish(Exception failure) {
                    done = true;
                    warnings.addAll(source.warnings());
                    if (failure != null) {
                        err = failure(e.address(), failure, warnings);
                    }
                }

                @Override
                public Series at() {
                    return dedup ? withoutReplicaLabels(source.at()) : source.at();
                }

                @Override
                public Exception err() {
                    return err;
                }

                @Override
                public List<String> warnings() {
                    return warnings;
                }
            };
        }

        private static SeriesSet<Series> failedSet(RuntimeException failure) {
            return new SeriesSet<>() {
                @Override
                public boolean next() {
                    return false;
                }

                @Override
                public Series at() {
                    throw new IllegalStateException("no series");
                }

                @Override
                public Exception err() {
                    return failure;
                }
            };
        }

        /**
         * Reads one endpoint's answer into its stream, on an executor thread, so that endpoints are read in
         * parallel and while the query consumes. The answer must reach the stream sorted: with
         * deduplication the replica labels are removed by the endpoint when it can (its answer stays
         * sorted), else here, and the answer is then sorted before it is handed over.
         */
        private void produce(Endpoint e, EndpointStream stream, boolean dedup, SelectHints hints, Matcher[] matchers) {
            SeriesSet<Series> set = null;
            try {
                Querier q;
                boolean dropsLabels = dedup && e.queryable() instanceof ReplicaLabelQueryable r && r.removesLabelsSorted();
                if (dropsLabels) {
                    q = ((ReplicaLabelQueryable) e.queryable()).querier(minTime, maxTime, replicaLabels, !partialResponse);
                } else {
                    q = e.queryable().querier(minTime, maxTime);
                }
                synchronized (open) {
                    open.add(q);
                }
                set = q.select(true, hints, matchers);
                boolean relabel = dedup && !dropsLabels;
                List<Series> batch = new ArrayList<>(BATCH);
                Labels previous = null;
                boolean inOrder = true;
                while (set.next()) {
                    Series s = set.at();
                    if (dedup) {
                        s = withoutReplicaLabels(s);
                    }
                    if (relabel) {
                        // hold everything back: removing labels may have changed the order
                        inOrder &= previous == null || previous.compareTo(s.labels()) <= 0;
                        previous = s.labels();
                        batch.add(s);
                        continue;
                    }
                    batch.add(s);
                    if (batch.size() == BATCH) {
                        stream.publish(batch);
                        batch = new ArrayList<>(BATCH);
                    }
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException();
                    }
                }
                if (relabel && !inOrder) {
                    // stable: replicas of one series keep the endpoint's order
                    batch.sort((x, y) -> x.labels().compareTo(y.labels()));
                }
                stream.publish(batch);
                stream.finish(set.err(), set.warnings());
            } catch (InterruptedException ex) {
                stream.finish(ex, List.of());
            } catch (RuntimeException ex) {
                stream.finish(ex, set == null ? List.of() : set.warnings());
            }
        }

        /**
         * A k-way merge of the endpoints' sorted streams (series with equal labels stay adjacent, in
         * endpoint order). A failing endpoint becomes a warning, or with partial responses off ends the
         * set with {@link #err()}.
         */
        private final class MergedSeriesSet implements SeriesSet<Series> {
            private final List<EndpointStream> streams;
            private final long deadline;
            private final java.util.PriorityQueue<EndpointStream> heads;
            private final List<String> warnings = new ArrayList<>();
            private boolean started;
            private Series current;
            private Exception err;

            MergedSeriesSet(List<EndpointStream> streams, long deadline) {
                this.streams = streams;
                this.deadline = deadline;
                this.heads = new java.util.PriorityQueue<>(Math.max(1, streams.size()), (a, b) -> {
                    int c = a.head.labels().compareTo(b.head.labels());
                    return c != 0 ? c : Integer.compare(a.index, b.index);
                });
            }

            @Override
            public boolean next() {
                if (err != null) {
                    return false;
                }
                if (streams.size() == 1) {
                    current = advance(streams.get(0));
                    return current != null;
                }
                if (!started) {
                    started = true;
                    for (EndpointStream s : streams) {
                        if (advance(s) != null) {
                            heads.add(s);
                        }
                    }
                } else if (current != null) {
                    // the stream that gave the current series moves on
                    EndpointStream last = heads.poll();
                    if (last != null && advance(last) != null) {
                        heads.add(last);
                    }
                }
                if (err != null || heads.isEmpty()) {
                    current = null;
                    return false;
                }
                current = heads.peek().head;
                return true;
            }

            /** The stream's next series (also kept as its head), or null at its end or failure. */
            private Series advance(EndpointStream s) {
                if (s.drained) {
                    return null;
                }
                try {
                    s.head = s.take(deadline);
                    if (s.head == null && s.failure != null) {
                        fail(s, s.failure);
                    }
                } catch (TimeoutException e) {
                    s.task.cancel(true);
                    s.head = null;
                    fail(s, timedOut());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    s.head = null;
                    err = new EndpointException("interrupted while waiting for " + s.address, e);
                }
                if (s.head == null) {
                    s.drained = true;
                    warnings.addAll(s.warnings);
                }
                return s.head;
            }

            private void fail(EndpointStream s, Exception cause) {
                EndpointException failure = failure(s.address, cause, warnings);
                if (failure != null) {
                    err = failure;
                }
            }

            @Override
            public Series at() {
                return current;
            }

            @Override
            public Exception err() {
                return err;
            }

            @Override
            public List<String> warnings() {
                return warnings;
            }
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
                for (EndpointStream s : selections) {
                    s.task.cancel(true);
                }
                selections.clear();
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

    /** Series per hand-over from a producing thread to the merge. */
    private static final int BATCH = 128;

    /**
     * One endpoint's answer on its way from the thread reading it to the merge: batches are handed over
     * under a lock, then read without one. Unbounded, so a producer never waits for the merge (a
     * bounded fan-out pool could otherwise deadlock); it holds no more than a fully read answer would.
     */
    private static final class EndpointStream {
        final String address;
        final int index;
        Future<?> task;
        Series head;
        boolean drained;
        private List<Series> pending = new ArrayList<>();
        private boolean finished;
        private List<Series> local = List.of();
        private int localNext;
        Exception failure;
        List<String> warnings = List.of();

        EndpointStream(String address, int index) {
            this.address = address;
            this.index = index;
        }

        synchronized void publish(List<Series> batch) {
            if (!batch.isEmpty()) {
                pending.addAll(batch);
                notifyAll();
            }
        }

        synchronized void finish(Exception failure, List<String> warnings) {
            if (!finished) {
                this.failure = failure;
                this.warnings = List.copyOf(warnings);
                finished = true;
                notifyAll();
            }
        }

        /** The next series, or null at the end (with {@link #failure} set when it failed). */
        Series take(long deadlineNanos) throws InterruptedException, TimeoutException {
            if (localNext < local.size()) {
                return local.get(localNext++);
            }
            synchronized (this) {
                while (pending.isEmpty() && !finished) {
                    long wait = deadlineNanos - System.nanoTime();
                    if (wait <= 0) {
                        throw new TimeoutException();
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, wait);
                }
                if (pending.isEmpty()) {
                    return null;
                }
                local = pending;
                pending = new ArrayList<>();
            }
            localNext = 1;
            return local.get(0);
        }
    }
}
