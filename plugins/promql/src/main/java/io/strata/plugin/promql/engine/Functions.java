package io.strata.plugin.promql.engine;

import io.strata.api.labels.Labels;
import io.strata.plugin.promql.functions.ClassicHistograms;
import io.strata.plugin.promql.functions.FloatMath;
import io.strata.plugin.promql.functions.RangeFunction;
import io.strata.plugin.promql.parser.Expr;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.regex.Pattern;

/** Evaluation of function calls. */
final class Functions {
    private Functions() {
    }

    static Object evaluate(Evaluator ev, Expr.Call call, Grid g) {
        String name = call.function().name();
        List<Expr> args = call.args();
        int steps = g.steps();
        RangeFunction rf = RangeFunction.byName(name);
        if (rf != null) {
            int rangeIndex = rf == RangeFunction.QUANTILE_OVER_TIME ? 1 : 0;
            checkExtension(name, args.get(rangeIndex));
            List<double[]> scalars = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                if (i != rangeIndex) {
                    scalars.add(ev.evalScalar(args.get(i), g));
                }
            }
            if (rf == RangeFunction.QUANTILE_OVER_TIME) {
                double[] q = scalars.get(0);
                for (double v : q) {
                    if (!(v >= 0 && v <= 1)) {
                        ev.annotations.warn("quantile value should be between 0 and 1, got " + formatG(v), call.argPositions().get(0));
                        break;
                    }
                }
            }
            if (rf == RangeFunction.DOUBLE_EXPONENTIAL_SMOOTHING) {
                for (int i = 0; i < steps; i++) {
                    double sf = scalars.get(0)[i];
                    double tf = scalars.get(1)[i];
                    if (!(sf > 0 && sf < 1)) {
                        throw Evaluator.error("invalid smoothing factor. Expected: 0 < sf < 1, got: " + String.format("%f", sf));
                    }
                    if (!(tf > 0 && tf < 1)) {
                        throw Evaluator.error("invalid trend factor. Expected: 0 < tf < 1, got: " + String.format("%f", tf));
                    }
                }
            }
            return ev.applyRangeFunction(rf, args.get(rangeIndex), scalars.toArray(new double[0][]), g,
                    call.argPositions().get(rangeIndex));
        }
        switch (name) {
            case "absent_over_time":
                return ev.absentOverTime(args.get(0), g, Evaluator.absentLabels(args.get(0)));
            case "time": {
                double[] out = new double[steps];
                for (int i = 0; i < steps; i++) {
                    out[i] = g.time(i) / 1000.0;
                }
                return out;
            }
            case "step", "range": {
                double[] out = new double[steps];
                Arrays.fill(out, (name.equals("step") ? ev.queryStep : ev.queryEnd - ev.queryStart) / 1000.0);
                return out;
            }
            case "min_of", "max_of": {
                double[] a = ev.evalScalar(args.get(0), g);
                double[] b = ev.evalScalar(args.get(1), g);
                double[] out = new double[steps];
                for (int i = 0; i < steps; i++) {
                    out[i] = Double.isNaN(a[i]) || Double.isNaN(b[i]) ? Double.NaN
                            : name.equals("min_of") ? Math.min(a[i], b[i]) : Math.max(a[i], b[i]);
                }
                return out;
            }
            case "start", "end": {
                double[] out = new double[steps];
                Arrays.fill(out, (name.equals("start") ? ev.queryStart : ev.queryEnd) / 1000.0);
                return out;
            }
            case "pi": {
                double[] out = new double[steps];
                Arrays.fill(out, Math.PI);
                return out;
            }
            case "vector": {
                double[] s = ev.evalScalar(args.get(0), g);
                StepVector out = new StepVector(steps);
                StepVector.Column c = new StepVector.Column(Labels.EMPTY, steps);
                for (int i = 0; i < steps; i++) {
                    c.set(i, s[i]);
                }
                out.columns.add(c);
                return out;
            }
            case "scalar": {
                StepVector v = ev.evalVector(args.get(0), g);
                double[] out = new double[steps];
                for (int i = 0; i < steps; i++) {
                    int count = 0;
                    double value = Double.NaN;
                    for (StepVector.Column c : v.columns) {
                        if (c.present[i]) {
                            count++;
                            value = c.values[i];
                        }
                    }
                    out[i] = count == 1 ? value : Double.NaN;
                }
                return out;
            }
            case "timestamp": {
                Expr arg = Evaluator.unwrap(args.get(0));
                StepVector v;
                if (arg instanceof Expr.VectorSelector vs) {
                    v = ev.selectInstant(vs, g, true);
                } else {
                    v = ev.evalVector(args.get(0), g);
                    for (StepVector.Column c : v.columns) {
                        for (int i = 0; i < steps; i++) {
                            c.values[i] = g.time(i) / 1000.0;
                        }
                    }
                }
                for (StepVector.Column c : v.columns) {
                    c.dropName = true;
                }
                return v;
            }
            case "absent": {
                StepVector v = ev.evalVector(args.get(0), g);
                StepVector out = new StepVector(steps);
                StepVector.Column c = new StepVector.Column(Evaluator.absentLabels(args.get(0)), steps);
                for (int i = 0; i < steps; i++) {
                    boolean any = false;
                    for (StepVector.Column in : v.columns) {
                        if (in.present[i]) {
                            any = true;
                            break;
                        }
                    }
                    if (!any) {
                        c.set(i, 1);
                    }
                }
                if (c.any()) {
                    out.columns.add(c);
                }
                return out;
            }
            case "sort", "sort_desc":
                return sort(ev, call, g, name.equals("sort_desc"));
            case "sort_by_label", "sort_by_label_desc":
                return sortByLabel(ev, call, g, name.endsWith("_desc"));
            case "label_replace":
                return labelReplace(ev, call, g);
            case "label_join":
                return labelJoin(ev, call, g);
            case "info":
                return info(ev, call, g);
            case "histogram_quantile":
                return HistogramFunctions.quantile(ev, call, g);
            case "histogram_quantiles":
                return HistogramFunctions.quantiles(ev, call, g);
            case "histogram_fraction":
                return HistogramFunctions.fraction(ev, call, g);
            case "histogram_count", "histogram_sum", "histogram_avg", "histogram_stddev", "histogram_stdvar": {
                ev.evalVector(args.get(0), g);
                return new StepVector(steps);
            }
            case "clamp": {
                double[] min = ev.evalScalar(args.get(1), g);
                double[] max = ev.evalScalar(args.get(2), g);
                StepVector v = ev.evalVector(args.get(0), g);
                for (StepVector.Column c : v.columns) {
                    c.dropName = true;
                    for (int i = 0; i < steps; i++) {
                        if (max[i] < min[i]) {
                            c.present[i] = false;
                        }
                        c.values[i] = Math.max(min[i], Math.min(max[i], c.values[i]));
                    }
                }
                return dropEmpty(v);
            }
            case "clamp_min", "clamp_max": {
                double[] bound = ev.evalScalar(args.get(1), g);
                StepVector v = ev.evalVector(args.get(0), g);
                boolean isMin = name.equals("clamp_min");
                for (StepVector.Column c : v.columns) {
                    c.dropName = true;
                    for (int i = 0; i < steps; i++) {
                        c.values[i] = isMin ? Math.max(bound[i], c.values[i]) : Math.min(bound[i], c.values[i]);
                    }
                }
                return v;
            }
            case "round": {
                double[] toNearest = args.size() > 1 ? ev.evalScalar(args.get(1), g) : null;
                StepVector v = ev.evalVector(args.get(0), g);
                for (StepVector.Column c : v.columns) {
                    c.dropName = true;
                    for (int i = 0; i < steps; i++) {
                        double inverse = 1.0 / (toNearest == null ? 1.0 : toNearest[i]);
                        c.values[i] = Math.floor(c.values[i] * inverse + 0.5) / inverse;
                    }
                }
                return v;
            }
            case "day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year":
                return dateFunction(ev, call, g, name);
            default:
                break;
        }
        DoubleUnaryOperator op = mathFunction(name);
        if (op != null) {
            StepVector v = ev.evalVector(args.get(0), g);
            for (StepVector.Column c : v.columns) {
                c.dropName = true;
                for (int i = 0; i < steps; i++) {
                    c.values[i] = op.applyAsDouble(c.values[i]);
                }
            }
            return v;
        }
        throw Evaluator.error("function \"" + name + "\" is not supported");
    }

    private static void checkExtension(String name, Expr arg) {
        Expr e = Evaluator.unwrap(arg);
        if (!(e instanceof Expr.MatrixSelector ms)) {
            return;
        }
        Expr.Extension x = ms.selector().extension();
        if (x == Expr.Extension.SMOOTHED && !List.of("delta", "increase", "rate").contains(name)) {
            throw Evaluator.error("smoothed modifier can only be used with: delta, increase, rate - not with " + name);
        }
        if (x == Expr.Extension.ANCHORED && !List.of("changes", "delta", "increase", "rate", "resets").contains(name)) {
            throw Evaluator.error("anchored modifier can only be used with: changes, delta, increase, rate, resets - not with " + name);
        }
    }

    static String formatG(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        String s = Double.toString(v);
        if (s.endsWith(".0")) {
            s = s.substring(0, s.length() - 2);
        }
        return s;
    }

    static StepVector dropEmpty(StepVector v) {
        v.columns.removeIf(c -> !c.any());
        return v;
    }

    private static DoubleUnaryOperator mathFunction(String name) {
        return switch (name) {
            case "abs" -> Math::abs;
            case "ceil" -> Math::ceil;
            case "floor" -> Math::floor;
            case "exp" -> Math::exp;
            case "sqrt" -> Math::sqrt;
            case "ln" -> Math::log;
            case "log2" -> x -> Math.log(x) / Math.log(2);
            case "log10" -> Math::log10;
            case "sgn" -> x -> Double.isNaN(x) ? x : Math.signum(x);
            case "deg" -> x -> x * 180 / Math.PI;
            case "rad" -> x -> x * Math.PI / 180;
            case "acos" -> Math::acos;
            case "asin" -> Math::asin;
            case "atan" -> Math::atan;
            case "cos" -> Math::cos;
            case "sin" -> Math::sin;
            case "tan" -> Math::tan;
            case "cosh" -> Math::cosh;
            case "sinh" -> Math::sinh;
            case "tanh" -> Math::tanh;
            case "acosh" -> x -> Math.log(x + Math.sqrt(x * x - 1));
            case "asinh" -> x -> Double.isInfinite(x) ? x : Math.log(x + Math.sqrt(x * x + 1));
            case "atanh" -> x -> 0.5 * Math.log((1 + x) / (1 - x));
            default -> null;
        };
    }

    private static StepVector dateFunction(Evaluator ev, Expr.Call call, Grid g, String name) {
        int steps = g.steps();
        StepVector v;
        if (call.args().isEmpty()) {
            v = new StepVector(steps);
            StepVector.Column c = new StepVector.Column(Labels.EMPTY, steps);
            for (int i = 0; i < steps; i++) {
                c.set(i, g.time(i) / 1000.0);
            }
            v.columns.add(c);
        } else {
            v = ev.evalVector(call.args().get(0), g);
        }
        for (StepVector.Column c : v.columns) {
            c.dropName = true;
            for (int i = 0; i < steps; i++) {
                double x = c.values[i];
                if (Double.isNaN(x) || Double.isInfinite(x)) {
                    c.values[i] = Double.NaN;
                    continue;
                }
                ZonedDateTime t = Instant.ofEpochSecond((long) x).atZone(ZoneOffset.UTC);
                c.values[i] = switch (name) {
                    case "day_of_month" -> t.getDayOfMonth();
                    case "day_of_week" -> t.getDayOfWeek().getValue() % 7;
                    case "day_of_year" -> t.getDayOfYear();
                    case "days_in_month" -> t.toLocalDate().lengthOfMonth();
                    case "hour" -> t.getHour();
                    case "minute" -> t.getMinute();
                    case "month" -> t.getMonthValue();
                    case "year" -> t.getYear();
                    default -> throw new IllegalStateException(name);
                };
            }
        }
        return v;
    }

    private static StepVector sort(Evaluator ev, Expr.Call call, Grid g, boolean descending) {
        StepVector v = ev.evalVector(call.args().get(0), g);
        if (g.steps() > 1) {
            ev.annotations.warn("sort is ineffective for range queries since results are always ordered by labels", call.position());
            return v;
        }
        Comparator<StepVector.Column> byValue = (a, b) -> {
            double x = a.values[0];
            double y = b.values[0];
            if (Double.isNaN(x)) {
                return Double.isNaN(y) ? 0 : 1;
            }
            if (Double.isNaN(y)) {
                return -1;
            }
            return descending ? Double.compare(y, x) : Double.compare(x, y);
        };
        v.columns.sort(byValue);
        return v;
    }

    private static StepVector sortByLabel(Evaluator ev, Expr.Call call, Grid g, boolean descending) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i < call.args().size(); i++) {
            names.add((String) ev.eval(call.args().get(i), g));
        }
        StepVector v = ev.evalVector(call.args().get(0), g);
        if (g.steps() > 1) {
            ev.annotations.warn("sort is ineffective for range queries since results are always ordered by labels", call.position());
            return v;
        }
        Comparator<StepVector.Column> cmp = (a, b) -> {
            for (String n : names) {
                int c = FloatMath.naturalCompare(a.labels.get(n), b.labels.get(n));
                if (c != 0) {
                    return c;
                }
            }
            return a.labels.compareTo(b.labels);
        };
        v.columns.sort(descending ? cmp.reversed() : cmp);
        return v;
    }

    static boolean isValidLabelName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        return name.codePoints().allMatch(cp -> cp != 0xFFFD) && java.nio.charset.StandardCharsets.UTF_8.newEncoder().canEncode(name);
    }

    private static StepVector labelReplace(Evaluator ev, Expr.Call call, Grid g) {
        String dst = (String) ev.eval(call.args().get(1), g);
        String replacement = (String) ev.eval(call.args().get(2), g);
        String src = (String) ev.eval(call.args().get(3), g);
        String regex = (String) ev.eval(call.args().get(4), g);
        Pattern pattern;
        try {
            pattern = io.strata.api.labels.Re2.compile(regex);
        } catch (IllegalArgumentException e) {
            throw Evaluator.error("invalid regular expression in label_replace(): " + regex);
        }
        if (!isValidLabelName(dst)) {
            throw Evaluator.error("invalid destination label name in label_replace(): " + dst);
        }
        StepVector v = ev.evalVector(call.args().get(0), g);
        for (StepVector.Column c : v.columns) {
            String value = c.labels.get(src);
            java.util.regex.Matcher m = pattern.matcher(value);
            if (m.matches()) {
                String result = expand(replacement, m);
                c.labels = c.labels.toBuilder().set(dst, result).build();
                if (dst.equals(Labels.METRIC_NAME)) {
                    c.dropName = false;
                }
            }
        }
        return mergeSameLabels(v);
    }

    /** Expands $1, ${1}, $name and ${name} as Go's regexp.Expand does; $$ is a literal dollar. */
    static String expand(String template, java.util.regex.Matcher m) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '$' || i + 1 >= template.length()) {
                sb.append(c);
                i++;
                continue;
            }
            char next = template.charAt(i + 1);
            if (next == '$') {
                sb.append('$');
                i += 2;
                continue;
            }
            String name;
            int end;
            if (next == '{') {
                int close = template.indexOf('}', i + 2);
                if (close < 0) {
                    sb.append(c);
                    i++;
                    continue;
                }
                name = template.substring(i + 2, close);
                end = close + 1;
            } else {
                int j = i + 1;
                while (j < template.length() && (Character.isLetterOrDigit(template.charAt(j)) || template.charAt(j) == '_')) {
                    j++;
                }
                name = template.substring(i + 1, j);
                end = j;
            }
            if (name.isEmpty()) {
                sb.append(c);
                i++;
                continue;
            }
            String value = "";
            if (name.chars().allMatch(Character::isDigit)) {
                int group = Integer.parseInt(name);
                if (group <= m.groupCount() && m.group(group) != null) {
                    value = m.group(group);
                }
            } else {
                try {
                    String gv = m.group(name);
                    value = gv == null ? "" : gv;
                } catch (IllegalArgumentException e) {
                    value = "";
                }
            }
            sb.append(value);
            i = end;
        }
        return sb.toString();
    }

    private static StepVector labelJoin(Evaluator ev, Expr.Call call, Grid g) {
        String dst = (String) ev.eval(call.args().get(1), g);
        String sep = (String) ev.eval(call.args().get(2), g);
        List<String> srcs = new ArrayList<>();
        for (int i = 3; i < call.args().size(); i++) {
            String s = (String) ev.eval(call.args().get(i), g);
            if (!isValidLabelName(s)) {
                throw Evaluator.error("invalid source label name in label_join(): " + s);
            }
            srcs.add(s);
        }
        if (!isValidLabelName(dst)) {
            throw Evaluator.error("invalid destination label name in label_join(): " + dst);
        }
        StepVector v = ev.evalVector(call.args().get(0), g);
        for (StepVector.Column c : v.columns) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < srcs.size(); i++) {
                if (i > 0) {
                    sb.append(sep);
                }
                sb.append(c.labels.get(srcs.get(i)));
            }
            c.labels = c.labels.toBuilder().set(dst, sb.toString()).build();
            if (dst.equals(Labels.METRIC_NAME)) {
                c.dropName = false;
            }
        }
        return mergeSameLabels(v);
    }

    private static final String INSTANCE = "instance";
    private static final String JOB = "job";

    /**
     * info(v, selector): adds the data labels of info series (target_info by default) that share the identifying
     * labels instance and job, step by step.
     */
    private static StepVector info(Evaluator ev, Expr.Call call, Grid g) {
        int steps = g.steps();
        StepVector base = ev.evalVector(call.args().get(0), g);
        List<io.strata.api.labels.Matcher> nameMatchers = new ArrayList<>();
        List<io.strata.api.labels.Matcher> dataMatchers = new ArrayList<>();
        if (call.args().size() > 1) {
            for (io.strata.api.labels.Matcher m : ((Expr.VectorSelector) call.args().get(1)).matchers()) {
                (m.name().equals(Labels.METRIC_NAME) ? nameMatchers : dataMatchers).add(m);
            }
        }
        if (nameMatchers.isEmpty()) {
            nameMatchers.add(io.strata.api.labels.Matcher.equal(Labels.METRIC_NAME, "target_info"));
        } else if (nameMatchers.stream().noneMatch(m -> m.type() == io.strata.api.labels.MatchType.EQUAL
                || m.type() == io.strata.api.labels.MatchType.REGEX)) {
            nameMatchers.add(io.strata.api.labels.Matcher.regex(Labels.METRIC_NAME, ".+_info"));
        }
        boolean dropWithoutInfo = false;
        java.util.Set<String> dataLabelNames = new java.util.HashSet<>();
        for (io.strata.api.labels.Matcher m : dataMatchers) {
            dataLabelNames.add(m.name());
            if (!m.matchesEmpty()) {
                dropWithoutInfo = true;
            }
        }
        List<io.strata.api.labels.Matcher> all = new ArrayList<>(nameMatchers);
        all.addAll(dataMatchers);
        long[] timing = referenceTiming(call.args().get(0));
        Expr.VectorSelector infoSelector = new Expr.VectorSelector(null, all, timing[2],
                timing[0] == 1 ? Expr.At.TIMESTAMP : Expr.At.NONE, timing[1]);
        StepVector infoValues = ev.selectInstant(infoSelector, g, true);
        Map<Labels, List<StepVector.Column>> byIdentity = new HashMap<>();
        for (StepVector.Column c : infoValues.columns) {
            Labels key = Labels.of(INSTANCE, c.labels.get(INSTANCE), JOB, c.labels.get(JOB));
            byIdentity.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
        }
        Map<Labels, StepVector.Column> out = new LinkedHashMap<>();
        for (StepVector.Column c : base.columns) {
            boolean isInfo = true;
            for (io.strata.api.labels.Matcher m : nameMatchers) {
                if (!m.matches(c.labels.get(Labels.METRIC_NAME))) {
                    isInfo = false;
                    break;
                }
            }
            List<StepVector.Column> candidates = isInfo ? List.of()
                    : byIdentity.getOrDefault(Labels.of(INSTANCE, c.labels.get(INSTANCE), JOB, c.labels.get(JOB)), List.of());
            for (int i = 0; i < steps; i++) {
                if (!c.present[i]) {
                    continue;
                }
                Labels labels = c.labels;
                if (!isInfo) {
                    Map<String, StepVector.Column> latestByName = new HashMap<>();
                    for (StepVector.Column info : candidates) {
                        if (!info.present[i]) {
                            continue;
                        }
                        String name = info.labels.get(Labels.METRIC_NAME);
                        StepVector.Column best = latestByName.get(name);
                        if (best == null || info.values[i] > best.values[i]) {
                            latestByName.put(name, info);
                        }
                    }
                    if (latestByName.isEmpty()) {
                        if (dropWithoutInfo) {
                            continue;
                        }
                    } else {
                        Labels.Builder b = c.labels.toBuilder();
                        List<String> names = new ArrayList<>(latestByName.keySet());
                        java.util.Collections.sort(names);
                        for (String name : names) {
                            Labels infoLabels = latestByName.get(name).labels;
                            for (int k = 0; k < infoLabels.size(); k++) {
                                String ln = infoLabels.name(k);
                                if (ln.equals(Labels.METRIC_NAME) || ln.equals(INSTANCE) || ln.equals(JOB) || c.labels.has(ln)
                                        || (!dataLabelNames.isEmpty() && !dataLabelNames.contains(ln))) {
                                    continue;
                                }
                                String existing = b.get(ln);
                                if (existing.isEmpty()) {
                                    b.set(ln, infoLabels.value(k));
                                } else if (!existing.equals(infoLabels.value(k))) {
                                    throw Evaluator.error("conflicting label: " + ln + " has values \"" + existing + "\" and \""
                                            + infoLabels.value(k) + "\" in different info metrics");
                                }
                            }
                        }
                        labels = b.build();
                    }
                }
                StepVector.Column oc = out.get(labels);
                if (oc == null) {
                    oc = new StepVector.Column(labels, steps);
                    oc.dropName = c.dropName;
                    out.put(labels, oc);
                }
                if (oc.present[i]) {
                    throw Evaluator.error("vector cannot contain metrics with the same labelset");
                }
                oc.set(i, c.values[i]);
            }
        }
        return new StepVector(steps, new ArrayList<>(out.values()));
    }

    /**
     * The time at which the first selector of an expression reads its samples: {hasAt, atMillis, offsetMillis}.
     * Offsets along the path add up; an {@code @} fixes the time and discards the offsets outside it.
     */
    private static long[] referenceTiming(Expr e) {
        long[] timing = {0, 0, 0};
        Expr node = e;
        while (node != null) {
            if (node instanceof Expr.Subquery sq) {
                applyTiming(timing, sq.at(), sq.atMillis(), sq.offsetMillis());
                node = sq.expr();
            } else if (node instanceof Expr.MatrixSelector ms) {
                node = ms.selector();
            } else if (node instanceof Expr.VectorSelector vs) {
                applyTiming(timing, vs.at(), vs.atMillis(), vs.offsetMillis());
                return timing;
            } else if (node instanceof Expr.Paren p) {
                node = p.expr();
            } else if (node instanceof Expr.Unary u) {
                node = u.expr();
            } else if (node instanceof Expr.Call c) {
                node = c.args().stream().filter(a -> a.type() == io.strata.plugin.promql.parser.ValueType.VECTOR
                        || a.type() == io.strata.plugin.promql.parser.ValueType.MATRIX).findFirst().orElse(null);
            } else if (node instanceof Expr.Aggregate a) {
                node = a.expr();
            } else if (node instanceof Expr.Binary b) {
                node = b.lhs().type() == io.strata.plugin.promql.parser.ValueType.VECTOR ? b.lhs() : b.rhs();
            } else {
                node = null;
            }
        }
        return new long[] {0, 0, 0};
    }

    private static void applyTiming(long[] timing, Expr.At at, long atMillis, long offset) {
        if (at != Expr.At.NONE) {
            timing[0] = 1;
            timing[1] = atMillis;
            timing[2] = offset;
        } else {
            timing[2] += offset;
        }
    }

    /** Merges columns whose labels became equal; two values at one step are an error. */
    static StepVector mergeSameLabels(StepVector v) {
        Map<Labels, StepVector.Column> byLabels = new LinkedHashMap<>();
        boolean merged = false;
        for (StepVector.Column c : v.columns) {
            StepVector.Column existing = byLabels.get(c.labels);
            if (existing == null) {
                byLabels.put(c.labels, c);
                continue;
            }
            merged = true;
            for (int i = 0; i < v.steps; i++) {
                if (c.present[i]) {
                    if (existing.present[i]) {
                        throw Evaluator.error("vector cannot contain metrics with the same labelset");
                    }
                    existing.set(i, c.values[i]);
                }
            }
            existing.dropName |= c.dropName;
        }
        if (!merged) {
            return v;
        }
        return new StepVector(v.steps, new ArrayList<>(byLabels.values()));
    }

    static Map<Labels, Integer> index(List<Labels> keys) {
        Map<Labels, Integer> m = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            m.putIfAbsent(keys.get(i), i);
        }
        return m;
    }
}
