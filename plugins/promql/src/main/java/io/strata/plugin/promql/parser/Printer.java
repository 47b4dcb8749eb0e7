package io.strata.plugin.promql.parser;

import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import java.util.List;

/** Renders an expression as PromQL text that parses back to the same tree. */
public final class Printer {
    private Printer() {
    }

    public static String print(Expr e) {
        StringBuilder sb = new StringBuilder();
        print(sb, e);
        return sb.toString();
    }

    private static void print(StringBuilder sb, Expr e) {
        if (e instanceof Expr.NumberLiteral n) {
            sb.append(n.duration() ? Durations.format(Math.round(n.value() * 1000)) : formatNumber(n.value()));
        } else if (e instanceof Expr.StringLiteral s) {
            Labels.quote(sb, s.value());
        } else if (e instanceof Expr.VectorSelector vs) {
            selector(sb, vs);
            modifiers(sb, vs.offsetMillis(), vs.at(), vs.atMillis(), vs.offsetExpression());
            extension(sb, vs.extension());
        } else if (e instanceof Expr.MatrixSelector ms) {
            selector(sb, ms.selector());
            sb.append('[');
            duration(sb, ms.rangeMillis(), ms.rangeExpression());
            sb.append(']');
            modifiers(sb, ms.selector().offsetMillis(), ms.selector().at(), ms.selector().atMillis(), ms.selector().offsetExpression());
            extension(sb, ms.selector().extension());
        } else if (e instanceof Expr.Subquery sq) {
            print(sb, sq.expr());
            sb.append('[');
            duration(sb, sq.rangeMillis(), sq.rangeExpression());
            sb.append(':');
            if (sq.stepMillis() > 0 || sq.stepExpression() != null) {
                duration(sb, sq.stepMillis(), sq.stepExpression());
            }
            sb.append(']');
            modifiers(sb, sq.offsetMillis(), sq.at(), sq.atMillis(), sq.offsetExpression());
        } else if (e instanceof Expr.Paren p) {
            sb.append('(');
            print(sb, p.expr());
            sb.append(')');
        } else if (e instanceof Expr.Unary u) {
            sb.append(u.negate() ? '-' : '+');
            print(sb, u.expr());
        } else if (e instanceof Expr.Binary b) {
            print(sb, b.lhs());
            sb.append(' ').append(b.op().symbol());
            if (b.returnBool()) {
                sb.append(" bool");
            }
            Expr.VectorMatching m = b.matching();
            if (m != null) {
                if (m.on() || !m.matchingLabels().isEmpty()) {
                    sb.append(m.on() ? " on" : " ignoring");
                    labelList(sb, m.matchingLabels());
                }
                if (m.cardinality() == Expr.Cardinality.MANY_TO_ONE || m.cardinality() == Expr.Cardinality.ONE_TO_MANY) {
                    sb.append(m.cardinality() == Expr.Cardinality.MANY_TO_ONE ? " group_left" : " group_right");
                    labelList(sb, m.include());
                }
                if (m.fillLeft() != null && m.fillRight() != null && m.fillLeft().equals(m.fillRight())) {
                    sb.append(" fill(").append(formatNumber(m.fillLeft())).append(')');
                } else {
                    if (m.fillLeft() != null) {
                        sb.append(" fill_left(").append(formatNumber(m.fillLeft())).append(')');
                    }
                    if (m.fillRight() != null) {
                        sb.append(" fill_right(").append(formatNumber(m.fillRight())).append(')');
                    }
                }
            }
            sb.append(' ');
            print(sb, b.rhs());
        } else if (e instanceof Expr.Aggregate a) {
            sb.append(a.op().keyword());
            if (a.without() || !a.grouping().isEmpty()) {
                sb.append(a.without() ? " without" : " by");
                labelList(sb, a.grouping());
                sb.append(' ');
            }
            sb.append('(');
            if (a.param() != null) {
                print(sb, a.param());
                sb.append(", ");
            }
            print(sb, a.expr());
            sb.append(')');
        } else if (e instanceof Expr.Call c) {
            sb.append(c.function().name()).append('(');
            for (int i = 0; i < c.args().size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                print(sb, c.args().get(i));
            }
            sb.append(')');
        }
    }

    private static void labelList(StringBuilder sb, List<String> labels) {
        sb.append(" (");
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            label(sb, labels.get(i));
        }
        sb.append(')');
    }

    private static boolean isIdentifier(String s, boolean allowColon) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allowColon && c == ':')
                    || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        return !(lower.equals("inf") || lower.equals("nan"));
    }

    private static void label(StringBuilder sb, String name) {
        if (isIdentifier(name, false)) {
            sb.append(name);
        } else {
            Labels.quote(sb, name);
        }
    }

    private static boolean isKeyword(String s) {
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        return switch (lower) {
            case "and", "or", "unless", "atan2", "by", "without", "on", "ignoring", "group_left", "group_right", "bool",
                 "offset", "start", "end", "anchored", "smoothed" -> true;
            default -> AggregateOp.fromKeyword(lower) != null;
        };
    }

    private static void selector(StringBuilder sb, Expr.VectorSelector vs) {
        String name = vs.name();
        boolean nameOutside = name != null && isIdentifier(name, true) && !isKeyword(name);
        boolean first = true;
        if (nameOutside) {
            sb.append(name);
        }
        StringBuilder inner = new StringBuilder();
        boolean nameSkipped = false;
        for (Matcher m : vs.matchers()) {
            if (name != null && !nameSkipped && m.name().equals(Labels.METRIC_NAME) && m.type() == io.strata.api.labels.MatchType.EQUAL
                    && m.value().equals(name)) {
                nameSkipped = true;
                if (!nameOutside) {
                    if (!first) {
                        inner.append(", ");
                    }
                    Labels.quote(inner, name);
                    first = false;
                }
                continue;
            }
            if (!first) {
                inner.append(", ");
            }
            label(inner, m.name());
            inner.append(m.type().operator());
            Labels.quote(inner, m.value());
            first = false;
        }
        if (inner.length() > 0 || !nameOutside) {
            sb.append('{').append(inner).append('}');
        }
    }

    private static void extension(StringBuilder sb, Expr.Extension extension) {
        if (extension == Expr.Extension.ANCHORED) {
            sb.append(" anchored");
        } else if (extension == Expr.Extension.SMOOTHED) {
            sb.append(" smoothed");
        }
    }

    private static void duration(StringBuilder sb, long millis, Expr expression) {
        if (expression != null) {
            print(sb, expression);
        } else {
            sb.append(Durations.format(millis));
        }
    }

    private static void modifiers(StringBuilder sb, long offset, Expr.At at, long atMillis, Expr offsetExpression) {
        switch (at) {
            case TIMESTAMP -> sb.append(" @ ").append(formatSeconds(atMillis));
            case START -> sb.append(" @ start()");
            case END -> sb.append(" @ end()");
            default -> {
            }
        }
        if (offsetExpression != null) {
            sb.append(" offset ");
            print(sb, offsetExpression);
        } else if (offset != 0) {
            sb.append(" offset ").append(Durations.format(offset));
        }
    }

    private static String formatSeconds(long millis) {
        return java.math.BigDecimal.valueOf(millis, 3).toPlainString();
    }

    /** Formats a float as PromQL accepts it back: integers plainly, Inf as {@code Inf}, NaN as {@code NaN}. */
    public static String formatNumber(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
