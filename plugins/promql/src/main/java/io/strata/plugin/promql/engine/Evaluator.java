package io.strata.plugin.promql.engine;

import io.strata.api.labels.Labels;
import io.strata.api.labels.MatchType;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.Querier;
import io.strata.api.storage.Queryable;
import io.strata.api.storage.SampleIterator;
import io.strata.api.storage.SelectHints;
import io.strata.api.storage.Series;
import io.strata.api.storage.SeriesSet;
import io.strata.api.storage.StaleMarker;
import io.strata.plugin.promql.functions.RangeFunction;
import io.strata.plugin.promql.functions.Window;
import io.strata.plugin.promql.parser.Expr;
import io.strata.plugin.promql.parser.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates an expression over a {@link Grid}. Instant vectors are {@link StepVector}s, scalars are
 * {@code double[]} (one value per step), strings are {@link String}.
 */
final class Evaluator {
    final Queryable queryable;
    final QueryOptions options;
    final Annotations annotations;
    final String query;
    private final long deadlineNanos;
    private final List<Querier> queriers = new ArrayList<>();
    private int checkCounter;

    /** Samples currently held by finished sub-results of the evaluation. */
    private long liveSamples;

    /** Samples looked at: one per instant-selector point, the window size per range-function step. */
    long totalSamples;

    /** The top-level query's start and end, for start() and end(). */
    long queryStart;
    long queryEnd;
    long queryStep;

    // hints for the selector being evaluated
    private String hintFunction = "";
    private List<String> hintGrouping = List.of();
    private boolean hintBy;
    /** The step of the grid a range selector is evaluated over, for its hints. */
    private long hintStep;

    // reusable sample buffers
    long[] bufT = new long[256];
    double[] bufV = new double[256];
    private SampleIterator reusableIterator;
    final Window window = new Window();

    Evaluator(Queryable queryable, QueryOptions options, Annotations annotations, String query, long startNanos) {
        this.queryable = queryable;
        this.options = options;
        this.annotations = annotations;
        this.query = query;
        this.deadlineNanos = options.timeoutMillis() > 0 ? startNanos + options.timeoutMillis() * 1_000_000L : Long.MAX_VALUE;
    }

    void close() {
        for (Querier q : queriers) {
            try {
                q.close();
            } catch (RuntimeException e) {
                // closing is best effort
            }
        }
        queriers.clear();
    }

    static QueryException error(String message) {
        return new QueryException(QueryException.Kind.EXECUTION, message);
    }

    /** Checks the time budget and cancellation; cheap enough to call per series or per step. */
    void check() {
        if ((++checkCounter & 63) != 0) {
            return;
        }
        checkNow();
    }

    void checkNow() {
        if (options.cancelled().getAsBoolean()) {
            throw new QueryException(QueryException.Kind.CANCELED, "query was canceled in query execution");
        }
        if (System.nanoTime() > deadlineNanos) {
            throw new QueryException(QueryException.Kind.TIMEOUT, "query timed out in query execution");
        }
    }

    /** Fails when {@code n} samples would exceed the query's limit. */
    void checkSamples(long n) {
        if (n > options.maxSamples()) {
            throw error("query processing would load too many samples into memory in query execution");
        }
    }

    // ------------------------------------------------------------------ dispatch

    /**
     * Evaluates a node. Sample accounting follows Prometheus's in-memory view: while a node evaluates, the results of
     * its finished siblings stay live; once it returns, its children's samples are released and its own count.
     */
    Object eval(Expr e, Grid g) {
        long before = liveSamples;
        Object v = evalNode(e, g);
        liveSamples = before + (v instanceof StepVector sv ? sv.points() : v instanceof double[] d ? d.length : 0);
        checkSamples(liveSamples);
        return v;
    }

    private Object evalNode(Expr e, Grid g) {
        check();
        if (e instanceof Expr.NumberLiteral n) {
            double[] out = new double[g.steps()];
            Arrays.fill(out, n.value());
            return out;
        }
        if (e instanceof Expr.StringLiteral s) {
            return s.value();
        }
        if (e instanceof Expr.Paren p) {
            return eval(p.expr(), g);
        }
        if (e instanceof Expr.Unary u) {
            Object v = eval(u.expr(), g);
            if (!u.negate()) {
                return v;
            }
            if (v instanceof double[] d) {
                double[] out = new double[d.length];
                for (int i = 0; i < d.length; i++) {
                    out[i] = -d[i];
                }
                return out;
            }
            StepVector sv = (StepVector) v;
            for (StepVector.Column c : sv.columns) {
                for (int i = 0; i < sv.steps; i++) {
                    c.values[i] = -c.values[i];
                }
                c.dropName = true;
            }
            return sv;
        }
        if (e instanceof Expr.VectorSelector vs) {
            return selectInstant(vs, g, false);
        }
        if (e instanceof Expr.Binary b) {
            return BinaryOperations.evaluate(this, b, g);
        }
        if (e instanceof Expr.Aggregate a) {
            String savedFunction = hintFunction;
            List<String> savedGrouping = hintGrouping;
            boolean savedBy = hintBy;
            hintFunction = a.op().keyword();
            hintGrouping = a.grouping();
            hintBy = !a.without();
            try {
                return Aggregations.evaluate(this, a, g);
            } finally {
                hintFunction = savedFunction;
                hintGrouping = savedGrouping;
                hintBy = savedBy;
            }
        }
        if (e instanceof Expr.Call c) {
            String savedFunction = hintFunction;
            hintFunction = c.function().name();
            try {
                return Functions.evaluate(this, c, g);
            } finally {
                hintFunction = savedFunction;
            }
        }
        throw error("unexpected expression of type " + e.type() + " where an instant value was expected: " + e);
    }

    StepVector evalVector(Expr e, Grid g) {
        return (StepVector) eval(e, g);
    }

    double[] evalScalar(Expr e, Grid g) {
        return (double[]) eval(e, g);
    }

    // ------------------------------------------------------------------ storage access

    private SeriesSet<Series> select(Expr.VectorSelector vs, long mint, long maxt, long step, long range) {
        Querier q = queryable.querier(mint, maxt);
        queriers.add(q);
        SelectHints hints = new SelectHints(mint, maxt, step, hintFunction, hintGrouping, hintBy, range, 0);
        SeriesSet<Series> set = q.select(false, hints, vs.matchers().toArray(new Matcher[0]));
        checkNow();
        return set;
    }

    /** After a set was read to its end: its warnings (complete only now, for streaming sets) and its error. */
    private void checkSeriesSet(SeriesSet<?> set) {
        for (String w : set.warnings()) {
            annotations.storageWarning(w);
        }
        Exception err = set.err();
        if (err != null) {
            throw new QueryException(QueryException.Kind.INTERNAL, "error querying storage: " + err.getMessage(), err);
        }
    }

    /** Loads the samples of a series with {@code mint <= t <= maxt} into the buffers; returns the count. */
    int load(Series s, long mint, long maxt, boolean dropStale) {
        SampleIterator it = s.iterator(reusableIterator);
        reusableIterator = it;
        int n = 0;
        if (!it.seek(mint)) {
            checkIterator(it);
            return 0;
        }
        do {
            long t = it.atT();
            if (t > maxt) {
                break;
            }
            double v = it.atV();
            if (dropStale && StaleMarker.isStale(v)) {
                continue;
            }
            if (n == bufT.length) {
                bufT = Arrays.copyOf(bufT, n * 2);
                bufV = Arrays.copyOf(bufV, n * 2);
            }
            bufT[n] = t;
            bufV[n] = v;
            n++;
        } while (it.next());
        checkIterator(it);
        checkSamples(liveSamples + n);
        return n;
    }

    private static void checkIterator(SampleIterator it) {
        Exception err = it.err();
        if (err != null) {
            throw new QueryException(QueryException.Kind.INTERNAL, "error reading samples: " + err.getMessage(), err);
        }
    }

    /** The reference time of step i for a selector with the given modifiers. */
    static long referenceTime(Grid g, int i, Expr.At at, long atMillis, long offset) {
        long base = at == Expr.At.NONE ? g.time(i) : atMillis;
        return base - offset;
    }

    // ------------------------------------------------------------------ instant selectors

    /** Evaluates an instant selector; with {@code timestamps} the values are the sample times in seconds. */
    StepVector selectInstant(Expr.VectorSelector vs, Grid g, boolean timestamps) {
        int steps = g.steps();
        long minRef = Long.MAX_VALUE;
        long maxRef = Long.MIN_VALUE;
        long[] refs = new long[steps];
        for (int i = 0; i < steps; i++) {
            refs[i] = referenceTime(g, i, vs.at(), vs.atMillis(), vs.offsetMillis());
            minRef = Math.min(minRef, refs[i]);
            maxRef = Math.max(maxRef, refs[i]);
        }
        long lookback = options.lookbackDeltaMillis();
        long mint = minRef - lookback + 1;
        if (vs.extension() == Expr.Extension.SMOOTHED) {
            return selectSmoothed(vs, g, refs, mint, maxRef + lookback);
        }
        SeriesSet<Series> set = select(vs, mint, maxRef, g.step(), 0);
        StepVector out = new StepVector(steps);
        long points = 0;
        while (set.next()) {
            check();
            Series s = set.at();
            int n = load(s, mint, maxRef, false);
            if (n == 0) {
                continue;
            }
            long[] bt = bufT;
            double[] bv = bufV;
            StepVector.Column col = null;
            int added = 0;
            int j = 0;
            for (int i = 0; i < steps; i++) {
                long ref = refs[i];
                if (i > 0 && ref < refs[i - 1]) {
                    j = 0;
                }
                while (j < n && bt[j] <= ref) {
                    j++;
                }
                if (j == 0) {
                    continue;
                }
                long t = bt[j - 1];
                double v = bv[j - 1];
                if (t <= ref - lookback || StaleMarker.isStale(v)) {
                    continue;
                }
                if (col == null) {
                    col = new StepVector.Column(s.labels(), steps);
                }
                col.set(i, timestamps ? t / 1000.0 : v);
                added++;
            }
            if (col != null) {
                out.columns.add(col);
                totalSamples += added;
                points += added;
            }
        }
        checkSeriesSet(set);
        checkSamples(points);
        return out;
    }

    /** A smoothed instant selector: the value at each step interpolated between the samples around it. */
    private StepVector selectSmoothed(Expr.VectorSelector vs, Grid g, long[] refs, long mint, long maxt) {
        int steps = g.steps();
        long lookback = options.lookbackDeltaMillis();
        SeriesSet<Series> set = select(vs, mint, maxt, g.step(), 0);
        StepVector out = new StepVector(steps);
        while (set.next()) {
            check();
            Series s = set.at();
            int n = load(s, mint, maxt, true);
            if (n == 0) {
                continue;
            }
            StepVector.Column col = null;
            for (int i = 0; i < steps; i++) {
                long ref = refs[i];
                int j = upperBound(bufT, n, ref);
                if (j == 0 || bufT[j - 1] <= ref - lookback) {
                    continue;
                }
                double value;
                if (bufT[j - 1] == ref || j == n || bufT[j] >= ref + lookback) {
                    value = bufV[j - 1];
                } else {
                    value = RangeFunction.interpolate(bufT[j - 1], bufV[j - 1], bufT[j], bufV[j], ref, false, false);
                }
                if (col == null) {
                    col = new StepVector.Column(s.labels(), steps);
                }
                col.set(i, value);
                totalSamples++;
            }
            if (col != null) {
                out.columns.add(col);
            }
        }
        checkSeriesSet(set);
        checkSamples(out.points());
        return out;
    }

    /** The number of timestamps in {@code ts[0..n)} that are at or before {@code t}. */
    static int upperBound(long[] ts, int n, long t) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    // ------------------------------------------------------------------ range vectors

    /** Receives the samples of one series of a range vector, in the shared buffers. */
    interface RangeConsumer {
        void accept(Labels labels, long[] ts, double[] vs, int n);
    }

    /** The range argument of a function: its range, offset and @, and how to produce its series. */
    record RangeSpec(long range, long offset, Expr.At at, long atMillis, Expr.Extension extension) {
    }

    static RangeSpec rangeSpec(Expr e) {
        if (e instanceof Expr.MatrixSelector ms) {
            return new RangeSpec(ms.rangeMillis(), ms.selector().offsetMillis(), ms.selector().at(), ms.selector().atMillis(),
                    ms.selector().extension());
        }
        if (e instanceof Expr.Subquery sq) {
            return new RangeSpec(sq.rangeMillis(), sq.offsetMillis(), sq.at(), sq.atMillis(), Expr.Extension.NONE);
        }
        if (e instanceof Expr.Paren p) {
            return rangeSpec(p.expr());
        }
        throw error("expected a range vector, got " + e.type());
    }

    /**
     * Produces every series of a range-vector expression with all samples in {@code (minRef - range, maxRef]},
     * stale markers removed. Series come one at a time through the shared buffers.
     */
    void forEachRangeSeries(Expr e, long minRef, long maxRef, RangeConsumer consumer) {
        if (e instanceof Expr.Paren p) {
            forEachRangeSeries(p.expr(), minRef, maxRef, consumer);
            return;
        }
        if (e instanceof Expr.MatrixSelector ms) {
            Expr.Extension x = ms.selector().extension();
            long mint = minRef - ms.rangeMillis() + 1 - (x != Expr.Extension.NONE ? options.lookbackDeltaMillis() : 0);
            long maxt = maxRef + (x == Expr.Extension.SMOOTHED ? options.lookbackDeltaMillis() : 0);
            SeriesSet<Series> set = select(ms.selector(), mint, maxt, hintStep, ms.rangeMillis());
            while (set.next()) {
                check();
                Series s = set.at();
                int n = load(s, mint, maxt, true);
                consumer.accept(s.labels(), bufT, bufV, n);
            }
            checkSeriesSet(set);
            return;
        }
        if (e instanceof Expr.Subquery sq) {
            long step = sq.stepMillis() > 0 ? sq.stepMillis() : options.defaultSubqueryStepMillis();
            long lowest = minRef - sq.rangeMillis();
            long start = step * (lowest / step);
            if (start <= lowest) {
                start += step;
            }
            if (start > maxRef) {
                return;
            }
            long end = maxRef;
            Grid inner = new Grid(start, start + ((end - start) / step) * step, step);
            checkSamples(liveSamples + (end - start) / step + 1);
            Object v = eval(sq.expr(), inner);
            StepVector sv = (StepVector) v;
            int steps = inner.steps();
            long[] ts = new long[steps];
            double[] vs = new double[steps];
            for (StepVector.Column c : sv.columns) {
                check();
                int n = 0;
                for (int i = 0; i < steps; i++) {
                    if (c.present[i]) {
                        ts[n] = inner.time(i);
                        vs[n] = c.values[i];
                        n++;
                    }
                }
                consumer.accept(c.finalLabels(), ts, vs, n);
            }
            return;
        }
        throw error("expected a range vector, got " + e.type());
    }

    /** The reference times of a range argument over the grid. */
    static long[] referenceTimes(Grid g, RangeSpec spec) {
        int steps = g.steps();
        long[] refs = new long[steps];
        for (int i = 0; i < steps; i++) {
            refs[i] = referenceTime(g, i, spec.at(), spec.atMillis(), spec.offset());
        }
        return refs;
    }

    /** Evaluates a top-level range vector at one time, for instant queries returning a matrix. */
    List<QueryResult.SeriesPoints> rangeVectorAt(Expr e, long time) {
        RangeSpec spec = rangeSpec(e);
        long ref = referenceTime(new Grid(time, time, 0), 0, spec.at(), spec.atMillis(), spec.offset());
        List<QueryResult.SeriesPoints> out = new ArrayList<>();
        forEachRangeSeries(e, ref, ref, (labels, ts, vs, n) -> {
            int from = 0;
            while (from < n && ts[from] <= ref - spec.range()) {
                from++;
            }
            int to = from;
            while (to < n && ts[to] <= ref) {
                to++;
            }
            if (to > from) {
                out.add(new QueryResult.SeriesPoints(labels, Arrays.copyOfRange(ts, from, to), Arrays.copyOfRange(vs, from, to)));
            }
        });
        return out;
    }

    /** Applies a range function to every series and step. */
    StepVector applyRangeFunction(RangeFunction f, Expr rangeArg, double[][] scalarArgs, Grid g, int argPosition) {
        RangeSpec spec = rangeSpec(rangeArg);
        long[] refs = referenceTimes(g, spec);
        long minRef = Arrays.stream(refs).min().orElseThrow();
        long maxRef = Arrays.stream(refs).max().orElseThrow();
        int steps = g.steps();
        StepVector out = new StepVector(steps);
        Window w = window;
        hintStep = g.step();
        boolean counterCheck = f == RangeFunction.RATE || f == RangeFunction.INCREASE;
        Map<String, Boolean> warnedNames = counterCheck ? new HashMap<>() : null;
        forEachRangeSeries(rangeArg, minRef, maxRef, (labels, ts, vs, n) -> {
            if (n == 0) {
                return;
            }
            StepVector.Column col = null;
            w.ts = ts;
            w.values = vs;
            w.resetsPrepared = false;
            if (counterCheck && spec.extension() == Expr.Extension.NONE) {
                w.prepareResets(n);
            }
            int lo = 0;
            int hi = 0;
            for (int i = 0; i < steps; i++) {
                long ref = refs[i];
                long start = ref - spec.range();
                if (i > 0 && ref < refs[i - 1]) {
                    lo = 0;
                    hi = 0;
                }
                while (lo < n && ts[lo] <= start) {
                    lo++;
                }
                if (hi < lo) {
                    hi = lo;
                }
                while (hi < n && ts[hi] <= ref) {
                    hi++;
                }
                int from = lo;
                int to = hi;
                if (spec.extension() != Expr.Extension.NONE) {
                    long lookback = options.lookbackDeltaMillis();
                    if (from > 0 && ts[from - 1] > start - lookback) {
                        from--;
                    }
                    if (spec.extension() == Expr.Extension.SMOOTHED && to < n && ts[to] < ref + lookback) {
                        to++;
                    }
                }
                if (to == from || (spec.extension() != Expr.Extension.NONE && (ts[from] > ref || ts[to - 1] <= start))) {
                    continue;
                }
                w.from = from;
                w.to = to;
                w.extension = spec.extension();
                totalSamples += to - from;
                w.rangeStart = start;
                w.rangeEnd = ref;
                w.stepTime = g.time(i);
                for (int a = 0; a < scalarArgs.length; a++) {
                    w.scalars[a] = scalarArgs[a][i];
                }
                double v = f.apply(w);
                if (!w.produced) {
                    continue;
                }
                if (col == null) {
                    col = new StepVector.Column(labels, steps);
                    col.dropName = f.dropsMetricName();
                }
                col.set(i, v);
            }
            if (counterCheck && col != null) {
                String name = labels.get(Labels.METRIC_NAME);
                if (!name.isEmpty() && !(name.endsWith("_total") || name.endsWith("_sum") || name.endsWith("_count")
                        || name.endsWith("_bucket")) && warnedNames.putIfAbsent(name, Boolean.TRUE) == null) {
                    annotations.info("metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \""
                            + name + "\"", argPosition);
                }
            }
            if (col != null) {
                out.columns.add(col);
            }
        });
        checkSamples(out.points());
        return out;
    }

    /** absent_over_time: 1 at the steps where no series has a sample in the window. */
    StepVector absentOverTime(Expr rangeArg, Grid g, Labels absentLabels) {
        RangeSpec spec = rangeSpec(rangeArg);
        long[] refs = referenceTimes(g, spec);
        long minRef = Arrays.stream(refs).min().orElseThrow();
        long maxRef = Arrays.stream(refs).max().orElseThrow();
        int steps = g.steps();
        boolean[] seen = new boolean[steps];
        forEachRangeSeries(rangeArg, minRef, maxRef, (labels, ts, vs, n) -> {
            for (int i = 0; i < steps; i++) {
                long ref = refs[i];
                long start = ref - spec.range();
                for (int j = 0; j < n; j++) {
                    if (ts[j] > start && ts[j] <= ref) {
                        seen[i] = true;
                        break;
                    }
                }
            }
        });
        StepVector out = new StepVector(steps);
        StepVector.Column col = new StepVector.Column(absentLabels, steps);
        for (int i = 0; i < steps; i++) {
            if (!seen[i]) {
                col.set(i, 1);
            }
        }
        if (col.any()) {
            out.columns.add(col);
        }
        return out;
    }

    /** The labels absent() reports: the equality matchers of a selector, when unambiguous. */
    static Labels absentLabels(Expr arg) {
        Expr e = arg;
        while (e instanceof Expr.Paren p) {
            e = p.expr();
        }
        List<Matcher> matchers;
        if (e instanceof Expr.VectorSelector vs) {
            matchers = vs.matchers();
        } else if (e instanceof Expr.MatrixSelector ms) {
            matchers = ms.selector().matchers();
        } else if (e instanceof Expr.Subquery sq && unwrap(sq.expr()) instanceof Expr.VectorSelector vs) {
            matchers = vs.matchers();
        } else {
            return Labels.EMPTY;
        }
        Labels.Builder b = new Labels.Builder();
        Map<String, Integer> seen = new HashMap<>();
        for (Matcher m : matchers) {
            if (m.name().equals(Labels.METRIC_NAME)) {
                continue;
            }
            seen.merge(m.name(), 1, Integer::sum);
            if (m.type() == MatchType.EQUAL) {
                b.set(m.name(), m.value());
            }
        }
        for (Map.Entry<String, Integer> en : seen.entrySet()) {
            if (en.getValue() > 1) {
                b.delete(en.getKey());
            }
        }
        return b.build();
    }

    static Expr unwrap(Expr e) {
        while (e instanceof Expr.Paren p) {
            e = p.expr();
        }
        return e;
    }

    static boolean isRangeType(Expr e) {
        return e.type() == ValueType.MATRIX;
    }
}
