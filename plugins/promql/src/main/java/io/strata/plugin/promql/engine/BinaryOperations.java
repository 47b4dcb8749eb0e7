package io.strata.plugin.promql.engine;

import io.strata.api.labels.Labels;
import io.strata.plugin.promql.parser.BinaryOp;
import io.strata.plugin.promql.parser.Expr;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Evaluation of binary operators between scalars and instant vectors. */
final class BinaryOperations {
    private BinaryOperations() {
    }

    /** The value of an arithmetic operation, or the left operand of a comparison. */
    static double apply(BinaryOp op, double l, double r) {
        return switch (op) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> l / r;
            case MOD -> l % r;
            case POW -> pow(l, r);
            case ATAN2 -> Math.atan2(l, r);
            case EQL, NEQ, GTR, LSS, GTE, LTE -> l;
            default -> throw new IllegalStateException("not an arithmetic or comparison operator: " + op);
        };
    }

    /** Whether a comparison holds; true for arithmetic operators. */
    static boolean holds(BinaryOp op, double l, double r) {
        return switch (op) {
            case EQL -> l == r;
            case NEQ -> l != r;
            case GTR -> l > r;
            case LSS -> l < r;
            case GTE -> l >= r;
            case LTE -> l <= r;
            default -> true;
        };
    }

    /** Go's math.Pow special cases where Java differs. */
    static double pow(double x, double y) {
        if (y == 0) {
            return 1;
        }
        if (x == 1) {
            return 1;
        }
        if (x == -1 && Double.isInfinite(y)) {
            return 1;
        }
        return Math.pow(x, y);
    }

    static Object evaluate(Evaluator ev, Expr.Binary b, Grid g) {
        Object l = ev.eval(b.lhs(), g);
        Object r = ev.eval(b.rhs(), g);
        BinaryOp op = b.op();
        int steps = g.steps();
        {
            if (l instanceof double[] ls && r instanceof double[] rs) {
                double[] out = new double[steps];
                for (int i = 0; i < steps; i++) {
                    double v = apply(op, ls[i], rs[i]);
                    out[i] = op.isComparison() ? (holds(op, ls[i], rs[i]) ? 1 : 0) : v;
                }
                return out;
            }
            if (l instanceof StepVector lv && r instanceof double[] rs) {
                return vectorScalar(op, b.returnBool(), lv, rs, false);
            }
            if (l instanceof double[] ls && r instanceof StepVector rv) {
                return vectorScalar(op, b.returnBool(), rv, ls, true);
            }
            StepVector lv = (StepVector) l;
            StepVector rv = (StepVector) r;
            if (op.isSetOperator()) {
                return setOperation(op, b.matching(), lv, rv);
            }
            return vectorVector(ev, op, b.returnBool(), b.matching(), lv, rv);
        }
    }

    private static StepVector vectorScalar(BinaryOp op, boolean returnBool, StepVector v, double[] s, boolean scalarLeft) {
        boolean comparison = op.isComparison();
        for (StepVector.Column c : v.columns) {
            for (int i = 0; i < v.steps; i++) {
                if (!c.present[i]) {
                    continue;
                }
                double vv = c.values[i];
                double value = scalarLeft ? apply(op, s[i], vv) : apply(op, vv, s[i]);
                boolean keep = scalarLeft ? holds(op, s[i], vv) : holds(op, vv, s[i]);
                if (comparison) {
                    if (returnBool) {
                        value = keep ? 1 : 0;
                    } else if (!keep) {
                        c.present[i] = false;
                        continue;
                    } else {
                        value = vv;
                    }
                }
                c.values[i] = value;
            }
            if (!comparison || returnBool) {
                c.dropName = true;
            }
        }
        return comparison && !returnBool ? Functions.dropEmpty(v) : v;
    }

    static Labels signature(Labels labels, Expr.VectorMatching m, Set<String> ignoring) {
        return m.on() ? labels.keep(m.matchingLabels()) : labels.without(ignoring);
    }

    private static int[] signatures(StepVector v, Expr.VectorMatching m, Set<String> ignoring, Map<Labels, Integer> ids,
                                    List<Labels> sigLabels) {
        int[] out = new int[v.columns.size()];
        for (int c = 0; c < out.length; c++) {
            Labels sig = signature(v.columns.get(c).labels, m, ignoring);
            Integer id = ids.get(sig);
            if (id == null) {
                id = ids.size();
                ids.put(sig, id);
                sigLabels.add(sig);
            }
            out[c] = id;
        }
        return out;
    }

    private static Set<String> ignoringSet(Expr.VectorMatching m) {
        Set<String> s = new HashSet<>(m.matchingLabels());
        s.add(Labels.METRIC_NAME);
        return s;
    }

    private static StepVector setOperation(BinaryOp op, Expr.VectorMatching m, StepVector lv, StepVector rv) {
        Set<String> ignoring = ignoringSet(m);
        Map<Labels, Integer> ids = new HashMap<>();
        List<Labels> sigLabels = new ArrayList<>();
        int[] ls = signatures(lv, m, ignoring, ids, sigLabels);
        int[] rs = signatures(rv, m, ignoring, ids, sigLabels);
        int steps = lv.steps;
        boolean[] seen = new boolean[ids.size()];
        StepVector out = new StepVector(steps);
        switch (op) {
            case AND:
            case UNLESS: {
                boolean and = op == BinaryOp.AND;
                for (int i = 0; i < steps; i++) {
                    Arrays.fill(seen, false);
                    for (int c = 0; c < rs.length; c++) {
                        if (rv.columns.get(c).present[i]) {
                            seen[rs[c]] = true;
                        }
                    }
                    for (int c = 0; c < ls.length; c++) {
                        StepVector.Column col = lv.columns.get(c);
                        if (col.present[i] && seen[ls[c]] != and) {
                            col.present[i] = false;
                        }
                    }
                }
                out.columns.addAll(lv.columns);
                return Functions.dropEmpty(out);
            }
            case OR: {
                for (int i = 0; i < steps; i++) {
                    Arrays.fill(seen, false);
                    for (int c = 0; c < ls.length; c++) {
                        if (lv.columns.get(c).present[i]) {
                            seen[ls[c]] = true;
                        }
                    }
                    for (int c = 0; c < rs.length; c++) {
                        StepVector.Column col = rv.columns.get(c);
                        if (col.present[i] && seen[rs[c]]) {
                            col.present[i] = false;
                        }
                    }
                }
                out.columns.addAll(lv.columns);
                out.columns.addAll(rv.columns);
                return Functions.dropEmpty(out);
            }
            default:
                throw new IllegalStateException("not a set operator: " + op);
        }
    }

    private static StepVector vectorVector(Evaluator ev, BinaryOp op, boolean returnBool, Expr.VectorMatching m, StepVector lv,
                                           StepVector rv) {
        Set<String> ignoring = ignoringSet(m);
        boolean swapped = m.cardinality() == Expr.Cardinality.ONE_TO_MANY;
        StepVector many = swapped ? rv : lv;
        StepVector one = swapped ? lv : rv;
        Map<Labels, Integer> ids = new HashMap<>();
        List<Labels> sigLabels = new ArrayList<>();
        int[] manySigs = signatures(many, m, ignoring, ids, sigLabels);
        int[] oneSigs = signatures(one, m, ignoring, ids, sigLabels);
        int steps = lv.steps;
        int[] oneBySig = new int[ids.size()];
        int[] matchedAt = new int[ids.size()];
        Arrays.fill(matchedAt, -1);
        boolean comparison = op.isComparison();
        boolean dropsName = !comparison || returnBool;
        Map<Long, StepVector.Column> pairColumns = new HashMap<>();
        int[] lastOne = new int[manySigs.length];
        Arrays.fill(lastOne, -1);
        StepVector.Column[] lastOut = new StepVector.Column[manySigs.length];
        Map<Labels, StepVector.Column> outByLabels = new LinkedHashMap<>();
        Set<String> include = new HashSet<>(m.include());
        Double fillMany = m.fillLeft();
        Double fillOne = m.fillRight();
        boolean[] manySigPresent = fillMany == null ? null : new boolean[ids.size()];
        StepVector.Column[] unmatchedManyOut = fillOne == null ? null : new StepVector.Column[manySigs.length];
        StepVector.Column[] unmatchedOneOut = fillMany == null ? null : new StepVector.Column[oneSigs.length];
        for (int i = 0; i < steps; i++) {
            ev.check();
            Arrays.fill(oneBySig, -1);
            if (manySigPresent != null) {
                Arrays.fill(manySigPresent, false);
            }
            for (int c = 0; c < oneSigs.length; c++) {
                if (!one.columns.get(c).present[i]) {
                    continue;
                }
                int sig = oneSigs[c];
                if (oneBySig[sig] >= 0) {
                    throw Evaluator.error("found duplicate series for the match group " + sigLabels.get(sig)
                            + " on the " + (swapped ? "left" : "right") + " hand-side of the operation: ["
                            + one.columns.get(oneBySig[sig]).labels + ", " + one.columns.get(c).labels
                            + "];many-to-many matching not allowed: matching labels must be unique on one side");
                }
                oneBySig[sig] = c;
            }
            for (int c = 0; c < manySigs.length; c++) {
                StepVector.Column mc = many.columns.get(c);
                if (!mc.present[i]) {
                    continue;
                }
                int sig = manySigs[c];
                int o = oneBySig[sig];
                if (manySigPresent != null) {
                    manySigPresent[sig] = true;
                }
                if (o < 0) {
                    if (fillOne != null) {
                        double l = swapped ? fillOne : mc.values[i];
                        double r = swapped ? mc.values[i] : fillOne;
                        if (unmatchedManyOut[c] == null) {
                            unmatchedManyOut[c] = outputColumn(outByLabels, resultLabels(mc.labels, Labels.EMPTY, m, include), steps,
                                    dropsName || mc.dropName);
                        }
                        emit(unmatchedManyOut[c], i, op, returnBool, l, r);
                    }
                    continue;
                }
                StepVector.Column oc = one.columns.get(o);
                double l = swapped ? oc.values[i] : mc.values[i];
                double r = swapped ? mc.values[i] : oc.values[i];
                if (m.cardinality() == Expr.Cardinality.ONE_TO_ONE) {
                    if (matchedAt[sig] == i) {
                        throw Evaluator.error("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
                    }
                    matchedAt[sig] = i;
                }
                double value = apply(op, l, r);
                boolean keep = holds(op, l, r);
                if (comparison) {
                    if (returnBool) {
                        value = keep ? 1 : 0;
                    } else if (!keep) {
                        continue;
                    }
                }
                StepVector.Column out;
                if (lastOne[c] == o) {
                    out = lastOut[c];
                } else {
                    long pairKey = ((long) c << 32) | o;
                    out = pairColumns.get(pairKey);
                }
                if (out == null) {
                    long pairKey = ((long) c << 32) | o;
                    Labels labels = resultLabels(mc.labels, oc.labels, m, include);
                    out = outByLabels.get(labels);
                    if (out == null) {
                        out = new StepVector.Column(labels, steps);
                        out.dropName = dropsName || mc.dropName;
                        outByLabels.put(labels, out);
                    }
                    pairColumns.put(pairKey, out);
                }
                lastOne[c] = o;
                lastOut[c] = out;
                if (out.present[i]) {
                    throw Evaluator.error(m.cardinality() == Expr.Cardinality.ONE_TO_ONE
                            ? "vector cannot contain metrics with the same labelset"
                            : "multiple matches for labels: grouping labels must ensure unique matches");
                }
                out.set(i, value);
            }
            if (fillMany != null) {
                for (int c = 0; c < oneSigs.length; c++) {
                    StepVector.Column oc = one.columns.get(c);
                    if (!oc.present[i] || manySigPresent[oneSigs[c]]) {
                        continue;
                    }
                    double l = swapped ? oc.values[i] : fillMany;
                    double r = swapped ? fillMany : oc.values[i];
                    if (unmatchedOneOut[c] == null) {
                        unmatchedOneOut[c] = outputColumn(outByLabels, sigLabels.get(oneSigs[c]), steps, dropsName || oc.dropName);
                    }
                    emit(unmatchedOneOut[c], i, op, returnBool, l, r);
                }
            }
        }
        return Functions.dropEmpty(new StepVector(steps, new ArrayList<>(outByLabels.values())));
    }

    private static StepVector.Column outputColumn(Map<Labels, StepVector.Column> outByLabels, Labels labels, int steps,
                                                  boolean dropName) {
        StepVector.Column out = outByLabels.get(labels);
        if (out == null) {
            out = new StepVector.Column(labels, steps);
            out.dropName = dropName;
            outByLabels.put(labels, out);
        }
        return out;
    }

    private static void emit(StepVector.Column out, int step, BinaryOp op, boolean returnBool, double l, double r) {
        double value = apply(op, l, r);
        if (op.isComparison()) {
            boolean keep = holds(op, l, r);
            if (returnBool) {
                value = keep ? 1 : 0;
            } else if (!keep) {
                return;
            }
        }
        if (out.present[step]) {
            throw Evaluator.error("vector cannot contain metrics with the same labelset");
        }
        out.set(step, value);
    }

    private static Labels resultLabels(Labels many, Labels one, Expr.VectorMatching m, Set<String> include) {
        Labels.Builder b = many.toBuilder();
        if (m.cardinality() == Expr.Cardinality.ONE_TO_ONE) {
            if (m.on()) {
                Set<String> keep = new HashSet<>(m.matchingLabels());
                for (String name : many.names()) {
                    if (!keep.contains(name)) {
                        b.delete(name);
                    }
                }
            } else {
                for (String name : m.matchingLabels()) {
                    b.delete(name);
                }
            }
        }
        for (String name : include) {
            String v = one.get(name);
            if (v.isEmpty()) {
                b.delete(name);
            } else {
                b.set(name, v);
            }
        }
        return b.build();
    }
}
