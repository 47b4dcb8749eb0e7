package io.strata.plugin.promql.testing;

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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An in-memory float storage for tests and benchmarks: series kept sorted by labels, samples in primitive arrays.
 * Appends must come in timestamp order per series. Not thread-safe for writes.
 */
public final class MemoryStorage implements Queryable {
    private final TreeMap<Labels, SeriesData> series = new TreeMap<>();
    private Labels lastLabels;
    private SeriesData lastSeries;

    /** The samples of one series. */
    private static final class SeriesData {
        long[] ts = new long[16];
        double[] vs = new double[16];
        int n;
    }

    /** Appends a sample; returns false (and stores nothing) when it is not newer than the series' last one. */
    public boolean append(Labels labels, long t, double v) {
        if (labels == null || labels.isEmpty()) {
            throw new IllegalArgumentException("a series needs at least one label");
        }
        SeriesData d = labels == lastLabels ? lastSeries : series.computeIfAbsent(labels, k -> new SeriesData());
        lastLabels = labels;
        lastSeries = d;
        if (d.n > 0 && d.ts[d.n - 1] >= t) {
            return false;
        }
        if (d.n == d.ts.length) {
            d.ts = Arrays.copyOf(d.ts, d.n * 2);
            d.vs = Arrays.copyOf(d.vs, d.n * 2);
        }
        d.ts[d.n] = t;
        d.vs[d.n] = v;
        d.n++;
        return true;
    }

    /** Removes every series. */
    public void clear() {
        series.clear();
        lastLabels = null;
        lastSeries = null;
    }

    public int seriesCount() {
        return series.size();
    }

    @Override
    public Querier querier(long minTime, long maxTime) {
        return new MemoryQuerier(minTime, maxTime);
    }

    private final class MemoryQuerier implements Querier {
        private final long minTime;
        private final long maxTime;

        MemoryQuerier(long minTime, long maxTime) {
            this.minTime = minTime;
            this.maxTime = maxTime;
        }

        private boolean matches(Labels labels, Matcher... matchers) {
            for (Matcher m : matchers) {
                if (!m.matches(labels.get(m.name()))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public SeriesSet<Series> select(boolean sorted, SelectHints hints, Matcher... matchers) {
            List<Series> out = new ArrayList<>();
            for (Map.Entry<Labels, SeriesData> en : series.entrySet()) {
                if (matches(en.getKey(), matchers)) {
                    out.add(new MemorySeries(en.getKey(), en.getValue(), minTime, maxTime));
                }
            }
            return SeriesSet.of(out);
        }

        @Override
        public List<String> labelValues(String name, LabelHints hints, Matcher... matchers) {
            TreeSet<String> values = new TreeSet<>();
            for (Labels l : series.keySet()) {
                if (matches(l, matchers) && l.has(name)) {
                    values.add(l.get(name));
                }
            }
            return new ArrayList<>(values);
        }

        @Override
        public List<String> labelNames(LabelHints hints, Matcher... matchers) {
            TreeSet<String> names = new TreeSet<>();
            for (Labels l : series.keySet()) {
                if (matches(l, matchers)) {
                    names.addAll(l.names());
                }
            }
            return new ArrayList<>(names);
        }

        @Override
        public void close() {
        }
    }

    private record MemorySeries(Labels labels, SeriesData data, long minTime, long maxTime) implements Series {
        @Override
        public SampleIterator iterator(SampleIterator reuse) {
            ArrayIterator it = reuse instanceof ArrayIterator a ? a : new ArrayIterator();
            it.reset(data.ts, data.vs, data.n, minTime, maxTime);
            return it;
        }
    }

    /** A reusable iterator over sample arrays, limited to a time range. */
    private static final class ArrayIterator implements SampleIterator {
        private long[] ts;
        private double[] vs;
        private int start;
        private int end;
        private int i;

        void reset(long[] newTs, double[] newVs, int n, long minTime, long maxTime) {
            ts = newTs;
            vs = newVs;
            int from = lowerBound(newTs, n, minTime);
            end = lowerBound(newTs, n, maxTime == Long.MAX_VALUE ? Long.MAX_VALUE : maxTime + 1);
            start = from;
            i = from - 1;
        }

        private static int lowerBound(long[] a, int n, long t) {
            int lo = 0;
            int hi = n;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (a[mid] < t) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }

        @Override
        public boolean next() {
            if (i < end) {
                i++;
            }
            return i < end;
        }

        @Override
        public boolean seek(long t) {
            if (i < start) {
                i = start;
            }
            if (i < end && ts[i] >= t) {
                return true;
            }
            int lo = i;
            int hi = end;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (ts[mid] < t) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            i = lo;
            return i < end;
        }

        @Override
        public long atT() {
            return ts[i];
        }

        @Override
        public double atV() {
            return vs[i];
        }
    }
}
