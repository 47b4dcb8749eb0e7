package io.strata.plugin.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import io.strata.api.labels.Labels;
import io.strata.api.labels.MatchType;
import io.strata.api.labels.Matcher;
import io.strata.plugin.promql.parser.Expr;
import io.strata.plugin.promql.parser.FunctionSignature;
import io.strata.plugin.promql.parser.ValueType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A PromQL syntax tree as {@code /api/v1/parse_query} returns it: the node objects of Prometheus's web API
 * (as of v3.13: {@code aggregation}, {@code binaryExpr}, {@code call}, {@code matrixSelector}, {@code subquery},
 * {@code numberLiteral}, {@code parenExpr}, {@code stringLiteral}, {@code unaryExpr}, {@code vectorSelector}, and
 * {@code durationExpr} inside ranges, steps and offsets). Durations and timestamps are integer milliseconds, float
 * literals are strings. Each node is built as a sorted map and then written, because Go's encoder writes map keys
 * in sorted order and escapes {@code <}, {@code >} and {@code &}: for the same tree the bytes match Prometheus's.
 */
final class AstJson {
    private static final CharacterEscapes GO_ESCAPES = new GoEscapes();

    private AstJson() {
    }

    /** Writes the tree of {@code e} as the next value of {@code g}. */
    static void write(JsonGenerator g, Expr e) throws IOException {
        CharacterEscapes previous = g.getCharacterEscapes();
        g.setCharacterEscapes(GO_ESCAPES);
        try {
            value(g, node(e));
        } finally {
            g.setCharacterEscapes(previous);
        }
    }

    /** A float written as a bare JSON number, as Go's encoder writes a float64 ({@code 1e+21}, {@code 1e-7}). */
    private record JsonNumber(String text) {
    }

    private static Map<String, Object> node(Expr e) {
        if (e instanceof Expr.NumberLiteral n) {
            Map<String, Object> m = object("numberLiteral");
            m.put("val", ApiJson.plainValue(n.value()));
            return m;
        }
        if (e instanceof Expr.StringLiteral s) {
            Map<String, Object> m = object("stringLiteral");
            m.put("val", s.value());
            return m;
        }
        if (e instanceof Expr.VectorSelector vs) {
            return selector(object("vectorSelector"), vs);
        }
        if (e instanceof Expr.MatrixSelector ms) {
            Map<String, Object> m = selector(object("matrixSelector"), ms.selector());
            duration(m, "range", ms.rangeMillis(), ms.rangeExpression());
            return m;
        }
        if (e instanceof Expr.Subquery sq) {
            Map<String, Object> m = object("subquery");
            m.put("expr", node(sq.expr()));
            duration(m, "range", sq.rangeMillis(), sq.rangeExpression());
            duration(m, "step", sq.stepMillis(), sq.stepExpression());
            duration(m, "offset", sq.offsetMillis(), sq.offsetExpression());
            at(m, sq.at(), sq.atMillis());
            return m;
        }
        if (e instanceof Expr.Paren p) {
            Map<String, Object> m = object("parenExpr");
            m.put("expr", node(p.expr()));
            return m;
        }
        if (e instanceof Expr.Unary u) {
            Map<String, Object> m = object("unaryExpr");
            m.put("op", u.negate() ? "-" : "+");
            m.put("expr", node(u.expr()));
            return m;
        }
        if (e instanceof Expr.Binary b) {
            Map<String, Object> m = object("binaryExpr");
            m.put("op", b.op().symbol());
            m.put("lhs", node(b.lhs()));
            m.put("rhs", node(b.rhs()));
            m.put("matching", b.matching() == null ? null : matching(b.matching()));
            m.put("bool", b.returnBool());
            return m;
        }
        if (e instanceof Expr.Aggregate a) {
            Map<String, Object> m = object("aggregation");
            m.put("op", a.op().keyword());
            m.put("expr", node(a.expr()));
            m.put("param", a.param() == null ? null : node(a.param()));
            m.put("grouping", a.grouping());
            m.put("without", a.without());
            return m;
        }
        Expr.Call c = (Expr.Call) e;
        Map<String, Object> m = object("call");
        m.put("func", function(c.function()));
        List<Object> args = new ArrayList<>();
        for (Expr arg : c.args()) {
            args.add(node(arg));
        }
        m.put("args", args);
        return m;
    }

    private static Map<String, Object> object(String type) {
        Map<String, Object> m = new TreeMap<>();
        m.put("type", type);
        return m;
    }

    private static Map<String, Object> selector(Map<String, Object> m, Expr.VectorSelector vs) {
        m.put("name", vs.name() == null ? "" : vs.name());
        m.put("matchers", matchers(vs));
        duration(m, "offset", vs.offsetMillis(), vs.offsetExpression());
        at(m, vs.at(), vs.atMillis());
        m.put("anchored", vs.extension() == Expr.Extension.ANCHORED);
        m.put("smoothed", vs.extension() == Expr.Extension.SMOOTHED);
        return m;
    }

    /**
     * Prometheus lists the matchers as written and appends the one for a metric name given before the braces; the
     * parser here puts that one first.
     */
    private static List<Object> matchers(Expr.VectorSelector vs) {
        List<Matcher> all = vs.matchers();
        int nameAt = -1;
        if (vs.name() != null && !all.isEmpty()) {
            Matcher first = all.get(0);
            if (first.name().equals(Labels.METRIC_NAME) && first.type() == MatchType.EQUAL && first.value().equals(vs.name())) {
                nameAt = 0;
            }
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (i != nameAt) {
                out.add(matcher(all.get(i)));
            }
        }
        if (nameAt >= 0) {
            out.add(matcher(all.get(nameAt)));
        }
        return out;
    }

    private static Map<String, Object> matcher(Matcher matcher) {
        Map<String, Object> m = new TreeMap<>();
        m.put("type", matcher.type().operator());
        m.put("name", matcher.name());
        m.put("value", matcher.value());
        return m;
    }

    /** {@code key} in milliseconds and {@code keyExpr}; the expression is null when the duration is a constant. */
    private static void duration(Map<String, Object> m, String key, long millis, Expr expression) {
        m.put(key, millis);
        m.put(key + "Expr", expression == null ? null : durationNode(expression));
    }

    private static void at(Map<String, Object> m, Expr.At at, long atMillis) {
        m.put("timestamp", at == Expr.At.TIMESTAMP ? (Object) atMillis : null);
        m.put("startOrEnd", switch (at) {
            case START -> "start";
            case END -> "end";
            default -> null;
        });
    }

    /**
     * A node of a duration expression. Prometheus folds parentheses into a {@code wrapped} flag (a parenthesised
     * literal stays a literal), writes unary minus as an operation without a left side, and {@code step()},
     * {@code range()}, {@code min_of} and {@code max_of} as operations named after them.
     */
    private static Map<String, Object> durationNode(Expr e) {
        if (e instanceof Expr.NumberLiteral n) {
            Map<String, Object> m = node(n);
            m.put("duration", n.duration());
            return m;
        }
        if (e instanceof Expr.Paren p) {
            Map<String, Object> m = durationNode(p.expr());
            if (m.get("type").equals("durationExpr")) {
                m.put("wrapped", true);
            }
            return m;
        }
        if (e instanceof Expr.Unary u) {
            return u.negate() ? durationOp("-", null, u.expr()) : durationNode(u.expr());
        }
        if (e instanceof Expr.Binary b) {
            return durationOp(b.op().symbol(), b.lhs(), b.rhs());
        }
        if (e instanceof Expr.Call c && c.args().size() == 2) {
            return durationOp(c.function().name(), c.args().get(0), c.args().get(1));
        }
        if (e instanceof Expr.Call c && c.args().isEmpty()) {
            return durationOp(c.function().name(), null, null);
        }
        throw new IllegalArgumentException("not a duration expression: " + e);
    }

    private static Map<String, Object> durationOp(String op, Expr lhs, Expr rhs) {
        Map<String, Object> m = object("durationExpr");
        m.put("op", op);
        m.put("lhs", lhs == null ? null : durationNode(lhs));
        m.put("rhs", rhs == null ? null : durationNode(rhs));
        m.put("wrapped", false);
        return m;
    }

    private static Map<String, Object> matching(Expr.VectorMatching vm) {
        Map<String, Object> m = new TreeMap<>();
        m.put("card", switch (vm.cardinality()) {
            case ONE_TO_ONE -> "one-to-one";
            case MANY_TO_ONE -> "many-to-one";
            case ONE_TO_MANY -> "one-to-many";
            case MANY_TO_MANY -> "many-to-many";
        });
        m.put("labels", vm.matchingLabels());
        m.put("on", vm.on());
        m.put("include", vm.include());
        Map<String, Object> fill = new TreeMap<>();
        fill.put("lhs", fillValue(vm.fillLeft()));
        fill.put("rhs", fillValue(vm.fillRight()));
        m.put("fillValues", fill);
        return m;
    }

    /**
     * Go's encoder writes a float64 in 'e' form below 1e-6 and from 1e21 on, with at least two exponent digits
     * only for positive exponents. It cannot write NaN or infinities (Prometheus then fails the request); those are
     * written as strings here.
     */
    private static Object fillValue(Double v) {
        if (v == null) {
            return null;
        }
        String text = ApiJson.value(v);
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return text;
        }
        int n = text.length();
        if (n >= 4 && text.startsWith("e-0", n - 4)) {
            text = text.substring(0, n - 2) + text.charAt(n - 1);
        }
        return new JsonNumber(text);
    }

    private static Map<String, Object> function(FunctionSignature f) {
        Map<String, Object> m = new TreeMap<>();
        m.put("name", f.name());
        List<Object> types = new ArrayList<>();
        for (ValueType t : f.argTypes()) {
            types.add(t.apiName());
        }
        m.put("argTypes", types);
        m.put("variadic", f.variadic());
        m.put("returnType", f.returnType().apiName());
        return m;
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof JsonNumber n) {
            g.writeNumber(n.text());
        } else if (v instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                g.writeFieldName((String) entry.getKey());
                value(g, entry.getValue());
            }
            g.writeEndObject();
        } else {
            g.writeStartArray();
            for (Object item : (List<?>) v) {
                value(g, item);
            }
            g.writeEndArray();
        }
    }

    /**
     * Go's encoder escapes {@code <}, {@code >}, {@code &}, U+2028 and U+2029 too, and writes hex digits in lower
     * case ({@code \}{@code u001f}).
     */
    private static final class GoEscapes extends CharacterEscapes {
        private final int[] ascii = standardAsciiEscapesForJSON();

        GoEscapes() {
            for (int c = 0; c < 0x20; c++) {
                if (ascii[c] == ESCAPE_STANDARD) {
                    ascii[c] = ESCAPE_CUSTOM;
                }
            }
            ascii['<'] = ESCAPE_CUSTOM;
            ascii['>'] = ESCAPE_CUSTOM;
            ascii['&'] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            boolean escaped = ch < 0x20 || ch == '<' || ch == '>' || ch == '&' || ch == 0x2028 || ch == 0x2029;
            return escaped ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
