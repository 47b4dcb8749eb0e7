package io.strata.plugin.promql.engine;

import io.strata.api.labels.Labels;
import io.strata.plugin.promql.functions.FloatMath;
import io.strata.plugin.promql.parser.AggregateOp;
import io.strata.plugin.promql.parser.Expr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Evaluation of aggregation operators, step by step over groups of columns. */
final class Aggregations {
    private Aggregations() {
    }

    static Labels groupLabels(Labels labels, List<String> grouping, boolean without, Set<String> withoutSet) {
        if (without) {
            return labels.without(withoutSet);
        }
        return labels.keep(grouping);
    }

    static Object evaluate(Evaluator ev, Expr.Aggregate agg, Grid g) {
        int steps = g.steps();
        AggregateOp op = agg.op();
        double[] param = null;
        String stringParam = null;
        if (agg.param() != null) {
            Object p = ev.eval(agg.param(), g);
            if (p instanceof String s) {
                stringParam = s;
            } else {
                param = (double[]) p;
            }
        }
        StepVector input = ev.evalVector(agg.expr(), g);
        Set<String> withoutSet = new HashSet<>(agg.grouping());
        withoutSet.addAll(MetadataLabels.ALL);
        if (op == AggregateOp.COUNT_VALUES) {
            return countValues(ev, agg, input, stringParam, withoutSet);
        }
        // group assignment
        List<StepVector.Column> cols = input.columns;
        int n = cols.size();
        int[] groupOf = new int[n];
        List<Labels> groupKeys = new ArrayList<>();
        Map<Labels, Integer> index = new HashMap<>();
        for (int c = 0; c < n; c++) {
            Labels key = groupLabels(cols.get(c).labels, agg.grouping(), agg.without(), withoutSet);
            Integer gi = index.get(key);
            if (gi == null) {
                gi = groupKeys.size();
                index.put(key, gi);
                groupKeys.add(key);
            }
            groupOf[c] = gi;
        }
        int groups = groupKeys.size();
        // members ordered by group
        int[] groupStart = new int[groups + 1];
        for (int c = 0; c < n; c++) {
            groupStart[groupOf[c] + 1]++;
        }
        for (int i = 0; i < groups; i++) {
            groupStart[i + 1] += groupStart[i];
        }
        int[] members = new int[n];
        int[] fill = Arrays.copyOf(groupStart, groups);
        for (int c = 0; c < n; c++) {
            members[fill[groupOf[c]]++] = c;
        }
        if (op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK) {
            return topK(ev, op, input, param, groups, groupStart, members);
        }
        if (op == AggregateOp.LIMITK || op == AggregateOp.LIMIT_RATIO) {
            return limit(ev, agg, input, param, groups, groupStart, members);
        }
        if (op == AggregateOp.QUANTILE) {
            for (double q : param) {
                if (!(q >= 0 && q <= 1)) {
                    ev.annotations.warn("quantile value should be between 0 and 1, got " + Functions.formatG(q), agg.position());
                    break;
                }
            }
        }
        if (op != AggregateOp.QUANTILE) {
            return reduceByGroup(ev, op, cols, steps, groupKeys, groupStart, members);
        }
        StepVector out = new StepVector(steps);
        StepVector.Column[] outCols = new StepVector.Column[groups];
        double[] scratch = new double[Math.max(1, n)];
        for (int i = 0; i < steps; i++) {
            ev.check();
            for (int gi = 0; gi < groups; gi++) {
                int count = 0;
                for (int m = groupStart[gi]; m < groupStart[gi + 1]; m++) {
                    StepVector.Column col = cols.get(members[m]);
                    if (col.present[i]) {
                        scratch[count++] = col.values[i];
                    }
                }
                if (count == 0) {
                    continue;
                }
                double value = FloatMath.quantile(param[i], scratch, count);
                StepVector.Column oc = outCols[gi];
                if (oc == null) {
                    oc = new StepVector.Column(groupKeys.get(gi), steps);
                    outCols[gi] = oc;
                }
                oc.set(i, value);
            }
        }
        for (int gi = 0; gi < groups; gi++) {
            if (outCols[gi] != null) {
                boolean dropName = false;
                if (outCols[gi].labels.has(Labels.METRIC_NAME)) {
                    for (int m = groupStart[gi]; m < groupStart[gi + 1]; m++) {
                        dropName |= cols.get(members[m]).dropName;
                    }
                }
                outCols[gi].dropName = dropName;
                out.columns.add(outCols[gi]);
            }
        }
        return out;
    }

    /**
     * Reduces each group column by column (cache-friendly: every input column is read sequentially), keeping per-step
     * running state in primitive arrays. Additions happen in member order, as a step-by-step evaluation would.
     */
    private static StepVector reduceByGroup(Evaluator ev, AggregateOp op, List<StepVector.Column> cols, int steps,
                                            List<Labels> groupKeys, int[] groupStart, int[] members) {
        StepVector out = new StepVector(steps);
        int[] count = new int[steps];
        double[] sum = new double[steps];
        double[] comp = new double[steps];
        double[] mean = new double[steps];
        double[] aux = new double[steps];
        double[] compAux = new double[steps];
        boolean[] incremental = new boolean[steps];
        for (int gi = 0; gi < groupKeys.size(); gi++) {
            ev.check();
            java.util.Arrays.fill(count, 0);
            java.util.Arrays.fill(comp, 0);
            java.util.Arrays.fill(mean, 0);
            java.util.Arrays.fill(aux, 0);
            java.util.Arrays.fill(compAux, 0);
            java.util.Arrays.fill(incremental, false);
            boolean dropName = false;
            for (int m = groupStart[gi]; m < groupStart[gi + 1]; m++) {
                StepVector.Column col = cols.get(members[m]);
                dropName |= col.dropName;
                double[] values = col.values;
                boolean[] present = col.present;
                for (int i = 0; i < steps; i++) {
                    if (!present[i]) {
                        continue;
                    }
                    double x = values[i];
                    int k = ++count[i];
                    switch (op) {
                        case SUM: {
                            double t = sum[i] + x;
                            comp[i] = k == 1 ? FloatMath.compensation(x, 0, x, 0) : FloatMath.compensation(x, sum[i], t, comp[i]);
                            sum[i] = k == 1 ? x : t;
                            break;
                        }
                        case MIN:
                            if (k == 1 || sum[i] > x || Double.isNaN(sum[i])) {
                                sum[i] = x;
                            }
                            break;
                        case MAX:
                            if (k == 1 || sum[i] < x || Double.isNaN(sum[i])) {
                                sum[i] = x;
                            }
                            break;
                        case AVG:
                            accumulateAverage(i, k, x, sum, comp, mean, incremental);
                            break;
                        case STDDEV:
                        case STDVAR: {
                            double delta = x - (mean[i] + comp[i]);
                            double inc = delta / k;
                            double nextMean = mean[i] + inc;
                            comp[i] = FloatMath.compensation(inc, mean[i], nextMean, comp[i]);
                            mean[i] = nextMean;
                            double incAux = delta * (x - (mean[i] + comp[i]));
                            double nextAux = aux[i] + incAux;
                            compAux[i] = FloatMath.compensation(incAux, aux[i], nextAux, compAux[i]);
                            aux[i] = nextAux;
                            break;
                        }
                        default:
                            break;
                    }
                }
            }
            StepVector.Column oc = null;
            for (int i = 0; i < steps; i++) {
                int k = count[i];
                if (k == 0) {
                    continue;
                }
                double value = switch (op) {
                    case SUM -> Double.isInfinite(sum[i]) ? sum[i] : sum[i] + comp[i];
                    case COUNT -> k;
                    case GROUP -> 1;
                    case MIN, MAX -> sum[i];
                    case AVG -> incremental[i] ? mean[i] + comp[i] : sum[i] / k + comp[i] / k;
                    case STDVAR -> (aux[i] + compAux[i]) / k;
                    case STDDEV -> Math.sqrt((aux[i] + compAux[i]) / k);
                    default -> throw new IllegalStateException("unhandled aggregation " + op);
                };
                if (oc == null) {
                    oc = new StepVector.Column(groupKeys.get(gi), steps);
                    oc.dropName = dropName && groupKeys.get(gi).has(Labels.METRIC_NAME);
                }
                oc.set(i, value);
            }
            if (oc != null) {
                out.columns.add(oc);
            }
        }
        return out;
    }

    /** One step of Prometheus 3's average: Kahan sum, switching to an incremental mean once the sum overflows. */
    private static void accumulateAverage(int i, int k, double x, double[] sum, double[] comp, double[] mean, boolean[] incremental) {
        if (k == 1) {
            sum[i] = x;
            comp[i] = 0;
            return;
        }
        if (!incremental[i]) {
            double next = sum[i] + x;
            double nextComp = FloatMath.compensation(x, sum[i], next, comp[i]);
            if (!Double.isInfinite(next)) {
                sum[i] = next;
                comp[i] = nextComp;
                return;
            }
            incremental[i] = true;
            mean[i] = sum[i] / (k - 1);
            comp[i] /= k - 1;
        }
        if (Double.isInfinite(mean[i])) {
            if (Double.isInfinite(x) && (mean[i] > 0) == (x > 0)) {
                return;
            }
            if (!Double.isInfinite(x) && !Double.isNaN(x)) {
                return;
            }
        }
        double q = (double) (k - 1) / k;
        double inc = x / k;
        double base = q * mean[i];
        double next = base + inc;
        comp[i] = FloatMath.compensation(inc, base, next, q * comp[i]);
        mean[i] = next;
    }

    private static StepVector topK(Evaluator ev, AggregateOp op, StepVector input, double[] param, int groups, int[] groupStart,
                                   int[] members) {
        int steps = input.steps;
        List<StepVector.Column> cols = input.columns;
        StepVector.Column[] outCols = new StepVector.Column[cols.size()];
        boolean top = op == AggregateOp.TOPK;
        Integer[] order = new Integer[cols.size()];
        List<Integer> emitted = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            ev.check();
            double k = param[i];
            if (Double.isNaN(k)) {
                throw Evaluator.error("Parameter value is NaN");
            }
            long kk = k >= 9.223372036854775807E18 ? Long.MAX_VALUE : (long) k;
            if (kk < 1) {
                continue;
            }
            final int step = i;
            for (int gi = 0; gi < groups; gi++) {
                int count = 0;
                for (int m = groupStart[gi]; m < groupStart[gi + 1]; m++) {
                    if (cols.get(members[m]).present[i]) {
                        order[count++] = members[m];
                    }
                }
                if (kk < count) {
                    selectBest(order, count, (int) kk, cols, step, top);
                } else {
                    sortBest(order, count, cols, step, top);
                }
                int take = (int) Math.min(kk, count);
                for (int r = 0; r < take; r++) {
                    int c = order[r];
                    StepVector.Column oc = outCols[c];
                    if (oc == null) {
                        StepVector.Column src = cols.get(c);
                        oc = new StepVector.Column(src.labels, steps);
                        oc.dropName = src.dropName;
                        outCols[c] = oc;
                        emitted.add(c);
                    }
                    oc.set(i, cols.get(c).values[i]);
                }
            }
        }
        StepVector out = new StepVector(steps);
        for (int c : emitted) {
            out.columns.add(outCols[c]);
        }
        return out;
    }

    /** limitk keeps the first k series of each group; limit_ratio keeps a deterministic, label-hash based share. */
    private static StepVector limit(Evaluator ev, Expr.Aggregate agg, StepVector input, double[] param, int groups,
                                    int[] groupStart, int[] members) {
        int steps = input.steps;
        List<StepVector.Column> cols = input.columns;
        boolean ratio = agg.op() == AggregateOp.LIMIT_RATIO;
        double[] offsets = null;
        if (ratio) {
            offsets = new double[cols.size()];
            for (int c = 0; c < offsets.length; c++) {
                offsets[c] = sampleOffset(cols.get(c).labels);
            }
        }
        StepVector.Column[] outCols = new StepVector.Column[cols.size()];
        List<Integer> emitted = new ArrayList<>();
        boolean warned = false;
        for (int i = 0; i < steps; i++) {
            ev.check();
            double p = param[i];
            if (Double.isNaN(p)) {
                throw Evaluator.error(ratio ? "Ratio value is NaN" : "Parameter value is NaN");
            }
            if (ratio && (p > 1 || p < -1)) {
                double capped = p > 1 ? 1 : -1;
                if (!warned) {
                    ev.annotations.warn("ratio value should be between -1 and 1, got " + Functions.formatG(p) + ", capping to "
                            + Functions.formatG(capped), agg.param() == null ? agg.position() : paramPosition(ev, agg));
                    warned = true;
                }
                p = capped;
            }
            long k = ratio ? Long.MAX_VALUE : (p >= 9.223372036854775807E18 ? Long.MAX_VALUE : (long) p);
            if (!ratio && k < 1) {
                continue;
            }
            for (int gi = 0; gi < groups; gi++) {
                long taken = 0;
                for (int m = groupStart[gi]; m < groupStart[gi + 1] && taken < k; m++) {
                    int c = members[m];
                    StepVector.Column src = cols.get(c);
                    if (!src.present[i]) {
                        continue;
                    }
                    if (ratio && !(p >= 0 ? offsets[c] < p : offsets[c] >= 1 + p)) {
                        continue;
                    }
                    taken++;
                    StepVector.Column oc = outCols[c];
                    if (oc == null) {
                        oc = new StepVector.Column(src.labels, steps);
                        oc.dropName = src.dropName;
                        outCols[c] = oc;
                        emitted.add(c);
                    }
                    oc.set(i, src.values[i]);
                }
            }
        }
        StepVector out = new StepVector(steps);
        for (int c : emitted) {
            out.columns.add(outCols[c]);
        }
        return out;
    }

    private static int paramPosition(Evaluator ev, Expr.Aggregate agg) {
        int open = ev.query.indexOf('(', agg.position());
        int p = open + 1;
        while (p < ev.query.length() && Character.isWhitespace(ev.query.charAt(p))) {
            p++;
        }
        return open < 0 ? agg.position() : p;
    }

    /** A well-spread value in [0, 1) derived from the labels, stable across queries. */
    static double sampleOffset(Labels labels) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < labels.size(); i++) {
            for (String part : new String[] {labels.name(i), labels.value(i)}) {
                for (int j = 0; j < part.length(); j++) {
                    h ^= part.charAt(j);
                    h *= 0x100000001b3L;
                }
                h ^= 0xff;
                h *= 0x100000001b3L;
            }
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }

    /** True when a ranks before b for topk (top) or bottomk; NaN ranks last. */
    private static boolean before(double a, double b, boolean top) {
        if (Double.isNaN(a)) {
            return false;
        }
        if (Double.isNaN(b)) {
            return true;
        }
        return top ? a > b : a < b;
    }

    /** Insertion sort of order[0..count) by rank; stable. */
    private static void sortBest(Integer[] order, int count, List<StepVector.Column> cols, int step, boolean top) {
        for (int i = 1; i < count; i++) {
            Integer x = order[i];
            double v = cols.get(x).values[step];
            int j = i - 1;
            while (j >= 0 && before(v, cols.get(order[j]).values[step], top)) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = x;
        }
    }

    /** Moves the k best of order[0..count) to order[0..k), sorted by rank. */
    private static void selectBest(Integer[] order, int count, int k, List<StepVector.Column> cols, int step, boolean top) {
        int filled = 0;
        for (int i = 0; i < count; i++) {
            Integer x = order[i];
            double v = cols.get(x).values[step];
            if (filled == k && !before(v, cols.get(order[k - 1]).values[step], top)) {
                continue;
            }
            int j = filled == k ? k - 1 : filled;
            if (filled < k) {
                filled++;
            }
            while (j > 0 && before(v, cols.get(order[j - 1]).values[step], top)) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = x;
        }
    }

    private static StepVector countValues(Evaluator ev, Expr.Aggregate agg, StepVector input, String valueLabel,
                                          Set<String> withoutSet) {
        if (!Functions.isValidLabelName(valueLabel)) {
            throw Evaluator.error("invalid label name \"" + valueLabel + "\"");
        }
        int steps = input.steps;
        List<String> grouping = new ArrayList<>(agg.grouping());
        if (!agg.without()) {
            grouping.add(valueLabel);
        }
        Map<Labels, StepVector.Column> out = new LinkedHashMap<>();
        for (int i = 0; i < steps; i++) {
            ev.check();
            for (StepVector.Column c : input.columns) {
                if (!c.present[i]) {
                    continue;
                }
                Labels withValue = c.labels.toBuilder().set(valueLabel, FloatMath.formatPlain(c.values[i])).build();
                Labels key = groupLabels(withValue, grouping, agg.without(), withoutSet);
                StepVector.Column oc = out.computeIfAbsent(key, k -> new StepVector.Column(k, steps));
                if (oc.present[i]) {
                    oc.values[i] += 1;
                } else {
                    oc.set(i, 1);
                }
            }
        }
        return new StepVector(steps, new ArrayList<>(out.values()));
    }
}
