package io.strata.plugin.promql.engine;

import io.strata.api.labels.Labels;
import io.strata.plugin.promql.functions.ClassicHistograms;
import io.strata.plugin.promql.parser.Expr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** histogram_quantile, histogram_quantiles and histogram_fraction over classic ({@code le}) buckets. */
final class HistogramFunctions {
    private HistogramFunctions() {
    }

    /** Bucket series grouped by their labels without {@code le}. */
    private static final class Groups {
        final List<Labels> labels = new ArrayList<>();
        final List<List<StepVector.Column>> members = new ArrayList<>();
        final List<List<Double>> bounds = new ArrayList<>();
        int maxMembers;
    }

    private static Groups group(Evaluator ev, StepVector v, int position) {
        Groups groups = new Groups();
        Map<Labels, Integer> index = new HashMap<>();
        for (StepVector.Column c : v.columns) {
            String le = c.labels.get("le");
            double bound;
            try {
                bound = parseBound(le);
            } catch (NumberFormatException e) {
                ev.annotations.warn("bucket label \"le\" is missing or has a malformed value of \"" + le
                        + "\" for metric name \"" + c.labels.get(Labels.METRIC_NAME) + "\"", position);
                continue;
            }
            Labels key = c.labels.without(Set.of("le"));
            Integer gi = index.get(key);
            if (gi == null) {
                gi = groups.labels.size();
                index.put(key, gi);
                groups.labels.add(key);
                groups.members.add(new ArrayList<>());
                groups.bounds.add(new ArrayList<>());
            }
            groups.members.get(gi).add(c);
            groups.bounds.get(gi).add(bound);
            groups.maxMembers = Math.max(groups.maxMembers, groups.members.get(gi).size());
        }
        return groups;
    }

    static double parseBound(String le) {
        if (le.isEmpty()) {
            throw new NumberFormatException("empty");
        }
        String s = le.trim();
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "+inf", "inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "nan" -> {
                return Double.NaN;
            }
            default -> {
                if (!s.equals(le) || s.endsWith("d") || s.endsWith("f") || s.endsWith("D") || s.endsWith("F")) {
                    throw new NumberFormatException(le);
                }
                return Double.parseDouble(s);
            }
        }
    }

    private interface Estimator {
        double estimate(int step, double[] upper, double[] counts, int n, int[] flags);
    }

    private static StepVector compute(Evaluator ev, Groups groups, int steps, Estimator estimator, String function, int position,
                                      Labels.Builder extra) {
        StepVector out = new StepVector(steps);
        double[] upper = new double[Math.max(1, groups.maxMembers)];
        double[] counts = new double[upper.length];
        int[] flags = new int[1];
        for (int gi = 0; gi < groups.labels.size(); gi++) {
            List<StepVector.Column> members = groups.members.get(gi);
            List<Double> bounds = groups.bounds.get(gi);
            StepVector.Column col = null;
            for (int i = 0; i < steps; i++) {
                int n = 0;
                for (int m = 0; m < members.size(); m++) {
                    StepVector.Column c = members.get(m);
                    if (c.present[i]) {
                        upper[n] = bounds.get(m);
                        counts[n] = c.values[i];
                        n++;
                    }
                }
                if (n == 0) {
                    continue;
                }
                double value = estimator.estimate(i, upper, counts, n, flags);
                if ((flags[0] & ClassicHistograms.FORCED_MONOTONIC) != 0) {
                    ev.annotations.info("input to " + function + " needed to be fixed for monotonicity (see "
                            + "https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name \""
                            + members.get(0).labels.get(Labels.METRIC_NAME) + "\"", position);
                }
                if (col == null) {
                    Labels labels = groups.labels.get(gi);
                    if (extra != null) {
                        Labels.Builder b = labels.toBuilder();
                        extra.build().forEach(b::set);
                        labels = b.build();
                    }
                    col = new StepVector.Column(labels, steps);
                    col.dropName = true;
                }
                col.set(i, value);
            }
            if (col != null) {
                out.columns.add(col);
            }
        }
        return out;
    }

    private static void warnQuantile(Evaluator ev, double[] q, int position) {
        for (double v : q) {
            if (!(v >= 0 && v <= 1)) {
                ev.annotations.warn("quantile value should be between 0 and 1, got " + Functions.formatG(v), position);
                return;
            }
        }
    }

    static StepVector quantile(Evaluator ev, Expr.Call call, Grid g) {
        double[] q = ev.evalScalar(call.args().get(0), g);
        StepVector v = ev.evalVector(call.args().get(1), g);
        int position = call.argPositions().get(1);
        warnQuantile(ev, q, call.argPositions().get(0));
        Groups groups = group(ev, v, position);
        return compute(ev, groups, g.steps(), (i, upper, counts, n, flags) -> ClassicHistograms.quantile(q[i], upper, counts, n, flags),
                "histogram_quantile", position, null);
    }

    static StepVector quantiles(Evaluator ev, Expr.Call call, Grid g) {
        StepVector v = ev.evalVector(call.args().get(0), g);
        String label = (String) ev.eval(call.args().get(1), g);
        int position = call.argPositions().get(0);
        Groups groups = group(ev, v, position);
        StepVector out = new StepVector(g.steps());
        for (int a = 2; a < call.args().size(); a++) {
            double[] q = ev.evalScalar(call.args().get(a), g);
            warnQuantile(ev, q, call.argPositions().get(a));
            Labels.Builder extra = new Labels.Builder().set(label, formatQuantile(q[0]));
            StepVector part = compute(ev, groups, g.steps(),
                    (i, upper, counts, n, flags) -> ClassicHistograms.quantile(q[i], upper, counts, n, flags),
                    "histogram_quantile", position, extra);
            out.columns.addAll(part.columns);
        }
        for (int i = 0; i < out.columns.size(); i++) {
            for (int j = i + 1; j < out.columns.size(); j++) {
                if (out.columns.get(i).labels.equals(out.columns.get(j).labels)) {
                    throw Evaluator.error("vector cannot contain metrics with the same labelset");
                }
            }
        }
        return out;
    }

    static String formatQuantile(double q) {
        if (q == Math.rint(q) && !Double.isInfinite(q)) {
            return String.format("%.1f", q);
        }
        return Functions.formatG(q);
    }

    static StepVector fraction(Evaluator ev, Expr.Call call, Grid g) {
        double[] lower = ev.evalScalar(call.args().get(0), g);
        double[] upperLimit = ev.evalScalar(call.args().get(1), g);
        StepVector v = ev.evalVector(call.args().get(2), g);
        int position = call.argPositions().get(2);
        Groups groups = group(ev, v, position);
        return compute(ev, groups, g.steps(),
                (i, upper, counts, n, flags) -> ClassicHistograms.fraction(lower[i], upperLimit[i], upper, counts, n),
                "histogram_fraction", position, null);
    }
}
