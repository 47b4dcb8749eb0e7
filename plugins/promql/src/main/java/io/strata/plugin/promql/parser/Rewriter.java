package io.strata.plugin.promql.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** Bottom-up rewriting of expression trees. */
public final class Rewriter {
    private Rewriter() {
    }

    /**
     * Rebuilds the tree, applying {@code f} to every node after its children; {@code f} also receives whether the
     * node lies inside a subquery that carries an {@code @} modifier.
     */
    public static Expr rewrite(Expr e, BiFunction<Expr, Boolean, Expr> f) {
        return rewrite(e, f, false, false);
    }

    /** Like {@link #rewrite(Expr, BiFunction)}, but the flag is true inside any subquery. */
    public static Expr rewriteMarkingSubqueries(Expr e, BiFunction<Expr, Boolean, Expr> f) {
        return rewrite(e, f, false, true);
    }

    private static Expr rewrite(Expr e, BiFunction<Expr, Boolean, Expr> f, boolean underAtSubquery) {
        return rewrite(e, f, underAtSubquery, false);
    }

    private static Expr rewrite(Expr e, BiFunction<Expr, Boolean, Expr> f, boolean underAtSubquery, boolean anySubquery) {
        Expr rebuilt;
        if (e instanceof Expr.Paren p) {
            rebuilt = new Expr.Paren(rewrite(p.expr(), f, underAtSubquery, anySubquery));
        } else if (e instanceof Expr.Unary u) {
            rebuilt = new Expr.Unary(u.negate(), rewrite(u.expr(), f, underAtSubquery, anySubquery));
        } else if (e instanceof Expr.Binary b) {
            rebuilt = new Expr.Binary(b.op(), rewrite(b.lhs(), f, underAtSubquery, anySubquery), rewrite(b.rhs(), f, underAtSubquery, anySubquery),
                    b.matching(), b.returnBool());
        } else if (e instanceof Expr.Aggregate a) {
            rebuilt = new Expr.Aggregate(a.op(), rewrite(a.expr(), f, underAtSubquery, anySubquery),
                    a.param() == null ? null : rewrite(a.param(), f, underAtSubquery, anySubquery), a.grouping(), a.without(), a.position());
        } else if (e instanceof Expr.Call c) {
            List<Expr> args = new ArrayList<>();
            for (Expr arg : c.args()) {
                args.add(rewrite(arg, f, underAtSubquery, anySubquery));
            }
            rebuilt = new Expr.Call(c.function(), args, c.position(), c.argPositions());
        } else if (e instanceof Expr.Subquery s) {
            boolean inner = underAtSubquery || s.at() != Expr.At.NONE || anySubquery;
            rebuilt = s.withExpr(rewrite(s.expr(), f, inner, anySubquery));
        } else if (e instanceof Expr.MatrixSelector m) {
            Expr sel = rewrite(m.selector(), f, underAtSubquery, anySubquery);
            rebuilt = m.withSelector((Expr.VectorSelector) sel);
        } else {
            rebuilt = e;
        }
        return f.apply(rebuilt, underAtSubquery);
    }

    /** True when any node satisfies the predicate. */
    public static boolean any(Expr e, java.util.function.Predicate<Expr> p) {
        boolean[] found = {false};
        rewrite(e, (n, under) -> {
            if (p.test(n)) {
                found[0] = true;
            }
            return n;
        });
        return found[0];
    }
}
