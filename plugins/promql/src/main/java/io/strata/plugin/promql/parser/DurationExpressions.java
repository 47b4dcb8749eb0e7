package io.strata.plugin.promql.parser;

/**
 * Evaluates duration expressions (arithmetic over seconds with {@code step()}, {@code range()}, {@code min_of},
 * {@code max_of}), as written in ranges, subquery steps and offsets.
 */
public final class DurationExpressions {
    private DurationExpressions() {
    }

    /** The value in seconds, given the query's step and range in milliseconds. */
    public static double evaluateSeconds(Expr e, long stepMillis, long rangeMillis) {
        if (e instanceof Expr.NumberLiteral n) {
            return n.value();
        }
        if (e instanceof Expr.Paren p) {
            return evaluateSeconds(p.expr(), stepMillis, rangeMillis);
        }
        if (e instanceof Expr.Unary u) {
            double v = evaluateSeconds(u.expr(), stepMillis, rangeMillis);
            return u.negate() ? -v : v;
        }
        if (e instanceof Expr.Binary b) {
            double l = evaluateSeconds(b.lhs(), stepMillis, rangeMillis);
            double r = evaluateSeconds(b.rhs(), stepMillis, rangeMillis);
            return switch (b.op()) {
                case ADD -> l + r;
                case SUB -> l - r;
                case MUL -> l * r;
                case DIV -> l / r;
                case MOD -> l % r;
                case POW -> Math.pow(l, r);
                default -> throw new IllegalArgumentException("operator " + b.op().symbol() + " not allowed in a duration");
            };
        }
        if (e instanceof Expr.Call c) {
            switch (c.function().name()) {
                case "step":
                    return stepMillis / 1000.0;
                case "range":
                    return rangeMillis / 1000.0;
                case "min_of":
                case "max_of": {
                    double a = evaluateSeconds(c.args().get(0), stepMillis, rangeMillis);
                    double b = evaluateSeconds(c.args().get(1), stepMillis, rangeMillis);
                    if (Double.isNaN(a) || Double.isNaN(b)) {
                        return Double.NaN;
                    }
                    return c.function().name().equals("min_of") ? Math.min(a, b) : Math.max(a, b);
                }
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("not a duration expression: " + Printer.print(e));
    }

    /** Milliseconds, rounded. */
    public static long evaluateMillis(Expr e, long stepMillis, long rangeMillis) {
        double seconds = evaluateSeconds(e, stepMillis, rangeMillis);
        if (Double.isNaN(seconds) || Double.isInfinite(seconds) || Math.abs(seconds) > 9.2e15) {
            throw new IllegalArgumentException("duration out of range: " + seconds + "s");
        }
        return Math.round(seconds * 1000);
    }
}
