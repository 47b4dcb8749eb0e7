package io.strata.plugin.promql.engine;

import io.strata.api.labels.Labels;
import io.strata.api.storage.Queryable;
import io.strata.plugin.promql.parser.DurationExpressions;
import io.strata.plugin.promql.parser.Durations;
import io.strata.plugin.promql.parser.Expr;
import io.strata.plugin.promql.parser.ParseException;
import io.strata.plugin.promql.parser.Parser;
import io.strata.plugin.promql.parser.Rewriter;
import io.strata.plugin.promql.parser.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates PromQL with Prometheus 3 semantics (left-open lookback and ranges, delayed {@code __name__} removal).
 * Stateless and thread-safe; each query gets its own evaluator.
 */
public final class PromqlEngine {
    /** The most points per series a range query may produce, as Prometheus's HTTP API enforces. */
    public static final int MAX_POINTS_PER_SERIES = 11_000;

    public PromqlEngine() {
    }

    /** Parses an expression, turning syntax errors into {@code bad_data} query errors. */
    public static Expr parse(String expr) {
        try {
            return Parser.parse(expr);
        } catch (ParseException e) {
            throw new QueryException(QueryException.Kind.BAD_DATA, e.getMessage(), e);
        }
    }

    /** Evaluates {@code expr} at one time (milliseconds since the epoch). */
    public QueryResult instantQuery(Queryable queryable, String expr, long timeMillis, QueryOptions options) {
        return instantQuery(queryable, expr, parse(expr), timeMillis, options);
    }

    /** Evaluates an already parsed expression at one time; {@code text} is used for annotation positions. */
    public QueryResult instantQuery(Queryable queryable, String text, Expr parsed, long timeMillis, QueryOptions options) {
        checkArguments(queryable, options);
        Expr expr = prepare(parsed, timeMillis, timeMillis, 0);
        Annotations annotations = new Annotations(text);
        Evaluator ev = new Evaluator(queryable, options, annotations, text, System.nanoTime());
        ev.queryStart = timeMillis;
        ev.queryEnd = timeMillis;
        ev.queryStep = 0;
        try {
            ev.checkNow();
            QueryResult.Value value;
            if (expr.type() == ValueType.MATRIX) {
                List<QueryResult.SeriesPoints> series = ev.rangeVectorAt(expr, timeMillis);
                series.sort(Comparator.comparing(QueryResult.SeriesPoints::labels));
                value = new QueryResult.MatrixValue(series);
            } else {
                Grid g = new Grid(timeMillis, timeMillis, 0);
                Object v = ev.eval(expr, g);
                if (v instanceof double[] d) {
                    value = new QueryResult.ScalarValue(timeMillis, d[0]);
                } else if (v instanceof String s) {
                    value = new QueryResult.StringValue(timeMillis, s);
                } else {
                    value = toVector((StepVector) v, timeMillis);
                }
            }
            return new QueryResult(value, annotations.warnings(), annotations.infos(), ev.totalSamples);
        } finally {
            ev.close();
        }
    }

    /** Evaluates {@code expr} at start, start+step, ... up to end (milliseconds). */
    public QueryResult rangeQuery(Queryable queryable, String expr, long startMillis, long endMillis, long stepMillis,
                                  QueryOptions options) {
        return rangeQuery(queryable, expr, parse(expr), startMillis, endMillis, stepMillis, options);
    }

    /** Evaluates an already parsed expression over a range. */
    public QueryResult rangeQuery(Queryable queryable, String text, Expr parsed, long startMillis, long endMillis,
                                  long stepMillis, QueryOptions options) {
        checkArguments(queryable, options);
        if (stepMillis <= 0) {
            throw new QueryException(QueryException.Kind.BAD_DATA,
                    "zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if (endMillis < startMillis) {
            throw new QueryException(QueryException.Kind.BAD_DATA, "end timestamp must not be before start time");
        }
        if ((endMillis - startMillis) / stepMillis >= MAX_POINTS_PER_SERIES) {
            throw new QueryException(QueryException.Kind.BAD_DATA,
                    "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
        }
        if (parsed.type() != ValueType.VECTOR && parsed.type() != ValueType.SCALAR) {
            throw new QueryException(QueryException.Kind.BAD_DATA, "invalid expression type \"" + parsed.type()
                    + "\" for range query, must be Scalar or instant Vector");
        }
        Expr expr = prepare(parsed, startMillis, endMillis, stepMillis);
        Annotations annotations = new Annotations(text);
        Evaluator ev = new Evaluator(queryable, options, annotations, text, System.nanoTime());
        ev.queryStart = startMillis;
        ev.queryEnd = endMillis;
        ev.queryStep = stepMillis;
        try {
            ev.checkNow();
            Grid g = new Grid(startMillis, startMillis + ((endMillis - startMillis) / stepMillis) * stepMillis, stepMillis);
            Object v = ev.eval(expr, g);
            List<QueryResult.SeriesPoints> series = new ArrayList<>();
            int steps = g.steps();
            if (v instanceof double[] d) {
                long[] ts = new long[steps];
                for (int i = 0; i < steps; i++) {
                    ts[i] = g.time(i);
                }
                series.add(new QueryResult.SeriesPoints(Labels.EMPTY, ts, d.clone()));
            } else {
                StepVector sv = (StepVector) v;
                Map<Labels, List<StepVector.Column>> byLabels = new LinkedHashMap<>();
                for (StepVector.Column c : sv.columns) {
                    byLabels.computeIfAbsent(c.finalLabels(), k -> new ArrayList<>()).add(c);
                }
                for (Map.Entry<Labels, List<StepVector.Column>> en : byLabels.entrySet()) {
                    List<StepVector.Column> cols = en.getValue();
                    long[] ts = new long[steps];
                    double[] vs = new double[steps];
                    int n = 0;
                    if (cols.size() == 1) {
                        // the usual case: one column per label set, nothing to check for collisions
                        StepVector.Column c = cols.get(0);
                        boolean[] present = c.present;
                        double[] values = c.values;
                        for (int i = 0; i < steps; i++) {
                            if (present[i]) {
                                ts[n] = g.time(i);
                                vs[n] = values[i];
                                n++;
                            }
                        }
                    } else {
                        for (int i = 0; i < steps; i++) {
                            boolean taken = false;
                            for (int k = 0; k < cols.size(); k++) {
                                StepVector.Column c = cols.get(k);
                                if (c.present[i]) {
                                    if (taken) {
                                        throw Evaluator.error("vector cannot contain metrics with the same labelset");
                                    }
                                    taken = true;
                                    ts[n] = g.time(i);
                                    vs[n] = c.values[i];
                                    n++;
                                }
                            }
                        }
                    }
                    if (n > 0) {
                        series.add(new QueryResult.SeriesPoints(en.getKey(), n == steps ? ts : Arrays.copyOf(ts, n),
                                n == steps ? vs : Arrays.copyOf(vs, n)));
                    }
                }
                series.sort(Comparator.comparing(QueryResult.SeriesPoints::labels));
            }
            return new QueryResult(new QueryResult.MatrixValue(series), annotations.warnings(), annotations.infos(), ev.totalSamples);
        } finally {
            ev.close();
        }
    }

    private static void checkArguments(Queryable queryable, QueryOptions options) {
        if (queryable == null) {
            throw new IllegalArgumentException("queryable must not be null");
        }
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
    }

    private static QueryResult.VectorValue toVector(StepVector v, long time) {
        List<QueryResult.Sample> samples = new ArrayList<>();
        Set<Labels> seen = new HashSet<>();
        for (StepVector.Column c : v.columns) {
            if (!c.present[0]) {
                continue;
            }
            Labels labels = c.finalLabels();
            if (!seen.add(labels)) {
                throw Evaluator.error("vector cannot contain metrics with the same labelset");
            }
            samples.add(new QueryResult.Sample(labels, time, c.values[0]));
        }
        return new QueryResult.VectorValue(samples);
    }

    /** Fixes {@code @ start()}/{@code @ end()} and duration expressions to the query's start, end and step. */
    static Expr prepare(Expr e, long start, long end, long step) {
        Expr resolved = resolveStartEnd(e, start, end);
        if (!Rewriter.any(resolved, n -> (n instanceof Expr.VectorSelector vs && vs.offsetExpression() != null)
                || (n instanceof Expr.MatrixSelector ms && ms.rangeExpression() != null)
                || (n instanceof Expr.Subquery sq && (sq.rangeExpression() != null || sq.stepExpression() != null
                    || sq.offsetExpression() != null)))) {
            return resolved;
        }
        long range = end - start;
        try {
            return Rewriter.rewrite(resolved, (n, under) -> {
                if (n instanceof Expr.VectorSelector vs && vs.offsetExpression() != null) {
                    return vs.withOffset(DurationExpressions.evaluateMillis(vs.offsetExpression(), step, range), vs.offsetExpression());
                }
                if (n instanceof Expr.MatrixSelector ms && ms.rangeExpression() != null) {
                    long r = DurationExpressions.evaluateMillis(ms.rangeExpression(), step, range);
                    if (r <= 0) {
                        throw new IllegalArgumentException("range must be greater than 0, got " + Durations.format(r));
                    }
                    return new Expr.MatrixSelector(ms.selector(), r, ms.rangeExpression());
                }
                if (n instanceof Expr.Subquery sq) {
                    long r = sq.rangeExpression() == null ? sq.rangeMillis()
                            : DurationExpressions.evaluateMillis(sq.rangeExpression(), step, range);
                    long s = sq.stepExpression() == null ? sq.stepMillis()
                            : DurationExpressions.evaluateMillis(sq.stepExpression(), step, range);
                    long o = sq.offsetExpression() == null ? sq.offsetMillis()
                            : DurationExpressions.evaluateMillis(sq.offsetExpression(), step, range);
                    if (r <= 0) {
                        throw new IllegalArgumentException("range must be greater than 0, got " + Durations.format(r));
                    }
                    if (sq.stepExpression() != null && s <= 0) {
                        throw new IllegalArgumentException("step must be greater than 0, got " + Durations.format(s));
                    }
                    return sq.withDurations(r, s, o);
                }
                return n;
            });
        } catch (IllegalArgumentException ex) {
            throw new QueryException(QueryException.Kind.BAD_DATA, ex.getMessage(), ex);
        }
    }

    /** Fixes {@code @ start()} and {@code @ end()} to the query's start and end. */
    static Expr resolveStartEnd(Expr e, long start, long end) {
        if (!Rewriter.any(e, n -> (n instanceof Expr.VectorSelector vs && vs.at() != Expr.At.NONE && vs.at() != Expr.At.TIMESTAMP)
                || (n instanceof Expr.Subquery sq && sq.at() != Expr.At.NONE && sq.at() != Expr.At.TIMESTAMP))) {
            return e;
        }
        return Rewriter.rewrite(e, (n, under) -> {
            if (n instanceof Expr.VectorSelector vs && (vs.at() == Expr.At.START || vs.at() == Expr.At.END)) {
                return vs.withAt(vs.at(), vs.at() == Expr.At.START ? start : end);
            }
            if (n instanceof Expr.Subquery sq && (sq.at() == Expr.At.START || sq.at() == Expr.At.END)) {
                return sq.withAt(sq.at(), sq.at() == Expr.At.START ? start : end);
            }
            return n;
        });
    }
}
