package io.strata.plugin.promql.parser;

import io.strata.api.labels.Labels;
import io.strata.api.labels.MatchType;
import io.strata.api.labels.Matcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A recursive-descent PromQL parser with Prometheus's precedence rules and type checks. */
public final class Parser {
    private static final int UNARY_OPERAND_PRECEDENCE = BinaryOp.POW.precedence();

    private final String input;
    private final List<Token> tokens;
    private int index;
    /** While parsing info() arguments, selectors may consist of matchers that all match the empty string. */
    private boolean lenientSelectors;

    private Parser(String input) {
        this.input = input;
        this.tokens = new Lexer(input).tokens();
    }

    /** Parses and type-checks an expression. */
    public static Expr parse(String input) {
        Parser p = new Parser(input);
        if (p.peek().kind() == Token.Kind.EOF) {
            throw new ParseException(0, 0, "no expression found in input", input);
        }
        Expr e = p.expression(0);
        Token t = p.peek();
        if (t.kind() != Token.Kind.EOF) {
            throw p.error(t, "unexpected " + t.describe());
        }
        return e;
    }

    /** Parses a label matcher list such as {@code {a="b"}} or a bare series selector. */
    public static List<Matcher> parseSelector(String input) {
        Expr e = parse(input);
        if (e instanceof Expr.VectorSelector vs) {
            return vs.matchers();
        }
        throw new ParseException(0, input.length(), "expected a vector selector", input);
    }

    // ---- token helpers

    private Token peek() {
        return tokens.get(index);
    }

    private Token peekAt(int ahead) {
        return tokens.get(Math.min(index + ahead, tokens.size() - 1));
    }

    private Token advance() {
        Token t = tokens.get(index);
        if (t.kind() != Token.Kind.EOF) {
            index++;
        }
        return t;
    }

    private ParseException error(Token t, String message) {
        return new ParseException(t.start(), t.end(), message, input);
    }

    private Token expect(Token.Kind kind, String context) {
        Token t = peek();
        if (t.kind() == Token.Kind.EOF && kind == Token.Kind.RIGHT_PAREN) {
            throw error(t, "unclosed left parenthesis");
        }
        if (t.kind() == Token.Kind.EOF && kind == Token.Kind.RIGHT_BRACKET) {
            throw error(t, "unclosed left bracket");
        }
        if (t.kind() != kind) {
            throw error(t, "unexpected " + t.describe() + " in " + context + ", expected " + new Token(kind, kind == Token.Kind.IDENTIFIER ? "" : "", 0, 0).describe().replace("identifier \"\"", "identifier"));
        }
        return advance();
    }

    private boolean isKeyword(Token t, String keyword) {
        return t.kind() == Token.Kind.IDENTIFIER && t.text().equalsIgnoreCase(keyword);
    }

    private BinaryOp binaryOperator(Token t) {
        if (t.kind() == Token.Kind.OPERATOR) {
            return BinaryOp.fromSymbol(t.text());
        }
        if (t.kind() == Token.Kind.MATCH_NOT_EQUAL) {
            return BinaryOp.NEQ;
        }
        if (t.kind() == Token.Kind.IDENTIFIER) {
            String w = t.text().toLowerCase(Locale.ROOT);
            return switch (w) {
                case "and" -> BinaryOp.AND;
                case "or" -> BinaryOp.OR;
                case "unless" -> BinaryOp.UNLESS;
                case "atan2" -> BinaryOp.ATAN2;
                default -> null;
            };
        }
        return null;
    }

    // ---- expressions

    private Expr expression(int minPrecedence) {
        Expr lhs = unary();
        while (true) {
            Token t = peek();
            BinaryOp op = binaryOperator(t);
            if (op == null || op.precedence() < minPrecedence) {
                return lhs;
            }
            advance();
            boolean returnBool = false;
            if (isKeyword(peek(), "bool")) {
                advance();
                returnBool = true;
            }
            List<String> matchingLabels = List.of();
            boolean on = false;
            boolean haveMatching = false;
            if (isKeyword(peek(), "on") || isKeyword(peek(), "ignoring")) {
                on = isKeyword(advance(), "on");
                matchingLabels = labelList();
                haveMatching = true;
            }
            Expr.Cardinality card = null;
            List<String> include = List.of();
            if (isKeyword(peek(), "group_left") || isKeyword(peek(), "group_right")) {
                Token g = advance();
                card = isKeyword(g, "group_left") ? Expr.Cardinality.MANY_TO_ONE : Expr.Cardinality.ONE_TO_MANY;
                if (peek().kind() == Token.Kind.LEFT_PAREN) {
                    include = labelList();
                }
                if (!haveMatching) {
                    throw error(g, "unexpected <group_left/group_right> without on/ignoring");
                }
            }
            Double fillLeft = null;
            Double fillRight = null;
            Token fillToken = null;
            while ((isKeyword(peek(), "fill") || isKeyword(peek(), "fill_left") || isKeyword(peek(), "fill_right"))
                    && peekAt(1).kind() == Token.Kind.LEFT_PAREN) {
                fillToken = advance();
                advance();
                double v = fillValue();
                expect(Token.Kind.RIGHT_PAREN, "fill modifier");
                String w = fillToken.text().toLowerCase(Locale.ROOT);
                if (!w.equals("fill_right")) {
                    fillLeft = v;
                }
                if (!w.equals("fill_left")) {
                    fillRight = v;
                }
            }
            Expr rhs = expression(op.rightAssociative() ? op.precedence() : op.precedence() + 1);
            lhs = binary(t, op, lhs, rhs, returnBool, on, matchingLabels, card, include, haveMatching);
            if (fillToken != null) {
                Expr.Binary b = (Expr.Binary) lhs;
                if (b.matching() == null || op.isSetOperator()) {
                    throw error(fillToken, "fill modifiers are only allowed in arithmetic and comparison operations between instant vectors");
                }
                Expr.VectorMatching m = b.matching();
                lhs = new Expr.Binary(op, b.lhs(), b.rhs(), new Expr.VectorMatching(m.cardinality(), m.matchingLabels(), m.on(),
                        m.include(), fillLeft, fillRight), b.returnBool());
            }
        }
    }

    private double fillValue() {
        boolean negative = false;
        Token t = peek();
        if (t.kind() == Token.Kind.OPERATOR && (t.text().equals("-") || t.text().equals("+"))) {
            negative = t.text().equals("-");
            advance();
            t = peek();
        }
        double v;
        if (t.kind() == Token.Kind.NUMBER) {
            v = parseNumber(t);
        } else if (isKeyword(t, "inf") || isKeyword(t, "nan")) {
            v = isKeyword(t, "inf") ? Double.POSITIVE_INFINITY : Double.NaN;
        } else {
            throw error(t, "unexpected " + t.describe() + " in fill modifier, expected number");
        }
        advance();
        return negative ? -v : v;
    }

    private Expr binary(Token opToken, BinaryOp op, Expr lhs, Expr rhs, boolean returnBool, boolean on,
                        List<String> matchingLabels, Expr.Cardinality card, List<String> include, boolean haveMatching) {
        ValueType lt = lhs.type();
        ValueType rt = rhs.type();
        if (returnBool && !op.isComparison()) {
            throw error(opToken, "bool modifier can only be used on comparison operators");
        }
        if (op.isComparison() && !returnBool && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
            throw error(opToken, "comparisons between scalars must use BOOL modifier");
        }
        if ((lt != ValueType.SCALAR && lt != ValueType.VECTOR) || (rt != ValueType.SCALAR && rt != ValueType.VECTOR)) {
            throw error(opToken, "binary expression must contain only scalar and instant vector types");
        }
        if (op.isSetOperator() && (lt == ValueType.SCALAR || rt == ValueType.SCALAR)) {
            throw error(opToken, "set operator \"" + op.symbol() + "\" not allowed in binary scalar expression");
        }
        Expr.VectorMatching matching = null;
        if (lt == ValueType.VECTOR && rt == ValueType.VECTOR) {
            Expr.Cardinality c = card;
            if (op.isSetOperator()) {
                if (card != null) {
                    throw error(opToken, "no grouping allowed for \"" + op.symbol() + "\" operation");
                }
                c = Expr.Cardinality.MANY_TO_MANY;
            } else if (c == null) {
                c = Expr.Cardinality.ONE_TO_ONE;
            }
            if (card != null) {
                for (String l : matchingLabels) {
                    if (on && include.contains(l)) {
                        throw error(opToken, "label \"" + l + "\" must not occur in ON and GROUP clause at once");
                    }
                }
            }
            matching = new Expr.VectorMatching(c, matchingLabels, on, include);
        } else if (haveMatching || card != null) {
            throw error(opToken, "vector matching only allowed between instant vectors");
        }
        return new Expr.Binary(op, lhs, rhs, matching, returnBool);
    }

    private Expr unary() {
        Token t = peek();
        if (t.kind() == Token.Kind.OPERATOR && (t.text().equals("-") || t.text().equals("+"))) {
            advance();
            boolean negate = t.text().equals("-");
            Expr operand = expression(UNARY_OPERAND_PRECEDENCE);
            if (operand instanceof Expr.NumberLiteral n) {
                return negate ? n.negate() : n;
            }
            if (operand.type() != ValueType.SCALAR && operand.type() != ValueType.VECTOR) {
                throw error(t, "unary expression only allowed on expressions of type scalar or instant vector, got \""
                        + operand.type() + "\"");
            }
            return new Expr.Unary(negate, operand);
        }
        return postfix(primary());
    }

    private Expr primary() {
        Token t = peek();
        switch (t.kind()) {
            case NUMBER -> {
                advance();
                return new Expr.NumberLiteral(parseNumber(t));
            }
            case DURATION -> {
                advance();
                return new Expr.NumberLiteral(Durations.parse(t.text()) / 1000.0, true);
            }
            case STRING -> {
                advance();
                return new Expr.StringLiteral(t.text());
            }
            case LEFT_PAREN -> {
                advance();
                Expr inner = expression(0);
                expect(Token.Kind.RIGHT_PAREN, "paren expression");
                return new Expr.Paren(inner);
            }
            case LEFT_BRACE -> {
                return selector(null, t);
            }
            case IDENTIFIER -> {
                String word = t.text();
                String lower = word.toLowerCase(Locale.ROOT);
                if (lower.equals("inf") || lower.equals("nan")) {
                    advance();
                    return new Expr.NumberLiteral(lower.equals("inf") ? Double.POSITIVE_INFINITY : Double.NaN);
                }
                AggregateOp agg = AggregateOp.fromKeyword(word);
                if (agg != null && (peekAt(1).kind() == Token.Kind.LEFT_PAREN || isKeyword(peekAt(1), "by")
                        || isKeyword(peekAt(1), "without"))) {
                    return aggregate(agg);
                }
                if (peekAt(1).kind() == Token.Kind.LEFT_PAREN) {
                    return call();
                }
                if (binaryOperator(t) != null || isKeyword(t, "bool") || isKeyword(t, "offset")) {
                    throw error(t, "unexpected " + t.describe());
                }
                advance();
                return selector(word, t);
            }
            case EOF -> throw error(t, "unexpected end of input");
            default -> throw error(t, "unexpected " + t.describe());
        }
    }

    private double parseNumber(Token t) {
        String s = t.text();
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return Long.parseUnsignedLong(s.substring(2), 16);
            }
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw error(t, "bad number or duration syntax: \"" + s + "\"");
        }
    }

    private Expr postfix(Expr e) {
        while (true) {
            Token t = peek();
            if (t.kind() == Token.Kind.LEFT_BRACKET) {
                e = rangeOrSubquery(e);
            } else if (isKeyword(t, "offset")) {
                advance();
                DurationValue offset = offsetDuration();
                e = applyOffset(t, e, offset);
            } else if (t.kind() == Token.Kind.AT) {
                advance();
                e = applyAt(t, e);
            } else if (isKeyword(t, "anchored") || isKeyword(t, "smoothed")) {
                advance();
                Expr.Extension x = isKeyword(t, "anchored") ? Expr.Extension.ANCHORED : Expr.Extension.SMOOTHED;
                if (e instanceof Expr.VectorSelector vs && vs.extension() == Expr.Extension.NONE) {
                    if (x == Expr.Extension.ANCHORED) {
                        throw error(t, "anchored modifier is only allowed on range vector selectors");
                    }
                    e = vs.withExtension(x);
                } else if (e instanceof Expr.MatrixSelector ms && ms.selector().extension() == Expr.Extension.NONE) {
                    e = ms.withSelector(ms.selector().withExtension(x));
                } else {
                    throw error(t, t.text() + " modifier must be preceded by a vector selector or range vector selector");
                }
            } else {
                return e;
            }
        }
    }

    private long signedDuration() {
        Token t = peek();
        boolean negative = false;
        if (t.kind() == Token.Kind.OPERATOR && (t.text().equals("-") || t.text().equals("+"))) {
            negative = t.text().equals("-");
            advance();
        }
        long d = duration("offset");
        return negative ? -d : d;
    }

    private long duration(String context) {
        Token t = peek();
        if (t.kind() == Token.Kind.DURATION) {
            advance();
            try {
                return Durations.parse(t.text());
            } catch (IllegalArgumentException | ArithmeticException ex) {
                throw error(t, ex.getMessage());
            }
        }
        if (t.kind() == Token.Kind.NUMBER) {
            advance();
            double seconds = parseNumber(t);
            if (Double.isNaN(seconds) || Double.isInfinite(seconds) || Math.abs(seconds) > 9.2e15) {
                throw error(t, "duration out of range");
            }
            return Math.round(seconds * 1000);
        }
        throw error(t, "unexpected " + t.describe() + " in " + context + ", expected duration");
    }

    private Expr rangeOrSubquery(Expr e) {
        Token open = advance();
        DurationValue range = durationExpression();
        if (peek().kind() == Token.Kind.COLON) {
            advance();
            DurationValue step = new DurationValue(0, null);
            if (peek().kind() != Token.Kind.RIGHT_BRACKET) {
                step = durationExpression();
                if (step.expression() == null && step.millis() <= 0) {
                    throw error(open, "step must be greater than 0");
                }
            }
            expect(Token.Kind.RIGHT_BRACKET, "subquery selector");
            if (range.expression() == null && range.millis() <= 0) {
                throw error(open, "range must be greater than 0");
            }
            if (e.type() != ValueType.VECTOR) {
                throw error(open, "subquery is only allowed on instant vector, got " + e.type() + " instead");
            }
            return new Expr.Subquery(e, range.millis(), step.millis(), 0, Expr.At.NONE, 0, range.expression(), step.expression(),
                    null);
        }
        expect(Token.Kind.RIGHT_BRACKET, "matrix selector");
        if (!(e instanceof Expr.VectorSelector vs)) {
            throw error(open, "ranges only allowed for vector selectors");
        }
        if (vs.offsetMillis() != 0 || vs.offsetExpression() != null || vs.at() != Expr.At.NONE
                || vs.extension() != Expr.Extension.NONE) {
            throw error(open, "no offset, @, anchored or smoothed modifiers allowed before range");
        }
        if (range.expression() == null && range.millis() <= 0) {
            throw error(open, "range must be greater than 0");
        }
        return new Expr.MatrixSelector(vs, range.millis(), range.expression());
    }

    /** A duration: its value, and the expression when it depends on the query's step or range (else null). */
    record DurationValue(long millis, Expr expression) {
    }

    /** A full duration expression, as inside brackets: arithmetic over durations, numbers, step(), range(), min_of, max_of. */
    private DurationValue durationExpression() {
        Token start = peek();
        Expr e = durationSum();
        return durationValue(start, e);
    }

    /** An offset: a signed literal, or a signed parenthesised expression or duration function call. */
    private DurationValue offsetDuration() {
        Token start = peek();
        boolean negate = false;
        Token t = peek();
        if (t.kind() == Token.Kind.OPERATOR && (t.text().equals("-") || t.text().equals("+"))) {
            negate = t.text().equals("-");
            advance();
        }
        Expr e = durationPrimary();
        if (negate) {
            e = e instanceof Expr.NumberLiteral n ? n.negate() : new Expr.Unary(true, e);
        }
        return durationValue(start, e);
    }

    private DurationValue durationValue(Token start, Expr e) {
        boolean dynamic = Rewriter.any(e, n -> n instanceof Expr.Call c
                && (c.function().name().equals("step") || c.function().name().equals("range")));
        if (dynamic) {
            return new DurationValue(0, e);
        }
        double seconds = DurationExpressions.evaluateSeconds(e, 0, 0);
        if (Double.isNaN(seconds) || Double.isInfinite(seconds) || Math.abs(seconds) > 9.2e15) {
            throw error(start, "duration out of range");
        }
        return new DurationValue(Math.round(seconds * 1000), null);
    }

    private Expr durationSum() {
        Expr lhs = durationProduct();
        while (peek().kind() == Token.Kind.OPERATOR && (peek().text().equals("+") || peek().text().equals("-"))) {
            BinaryOp op = BinaryOp.fromSymbol(advance().text());
            lhs = new Expr.Binary(op, lhs, durationProduct(), null, false);
        }
        return lhs;
    }

    private Expr durationProduct() {
        Expr lhs = durationUnary();
        while (peek().kind() == Token.Kind.OPERATOR
                && (peek().text().equals("*") || peek().text().equals("/") || peek().text().equals("%"))) {
            BinaryOp op = BinaryOp.fromSymbol(advance().text());
            lhs = new Expr.Binary(op, lhs, durationUnary(), null, false);
        }
        return lhs;
    }

    private Expr durationUnary() {
        Token t = peek();
        if (t.kind() == Token.Kind.OPERATOR && (t.text().equals("-") || t.text().equals("+"))) {
            advance();
            Expr operand = durationUnary();
            if (!t.text().equals("-")) {
                return operand;
            }
            return operand instanceof Expr.NumberLiteral n ? n.negate() : new Expr.Unary(true, operand);
        }
        return durationPower();
    }

    private Expr durationPower() {
        Expr base = durationPrimary();
        if (peek().kind() == Token.Kind.OPERATOR && peek().text().equals("^")) {
            advance();
            return new Expr.Binary(BinaryOp.POW, base, durationUnary(), null, false);
        }
        return base;
    }

    private Expr durationPrimary() {
        Token t = peek();
        switch (t.kind()) {
            case NUMBER -> {
                advance();
                return new Expr.NumberLiteral(parseNumber(t));
            }
            case DURATION -> {
                advance();
                try {
                    return new Expr.NumberLiteral(Durations.parse(t.text()) / 1000.0, true);
                } catch (IllegalArgumentException | ArithmeticException ex) {
                    throw error(t, ex.getMessage());
                }
            }
            case LEFT_PAREN -> {
                advance();
                Expr inner = durationSum();
                expect(Token.Kind.RIGHT_PAREN, "duration expression");
                return new Expr.Paren(inner);
            }
            case IDENTIFIER -> {
                String name = t.text().toLowerCase(Locale.ROOT);
                if ((name.equals("step") || name.equals("range") || name.equals("min_of") || name.equals("max_of"))
                        && peekAt(1).kind() == Token.Kind.LEFT_PAREN) {
                    advance();
                    List<Integer> positions = new ArrayList<>();
                    expect(Token.Kind.LEFT_PAREN, "duration expression");
                    List<Expr> args = new ArrayList<>();
                    while (peek().kind() != Token.Kind.RIGHT_PAREN) {
                        positions.add(peek().start());
                        args.add(durationSum());
                        if (peek().kind() == Token.Kind.COMMA) {
                            advance();
                        } else if (peek().kind() != Token.Kind.RIGHT_PAREN) {
                            throw error(peek(), "unexpected " + peek().describe() + " in duration expression");
                        }
                    }
                    advance();
                    FunctionSignature f = FunctionSignature.lookup(name);
                    if (args.size() != f.argTypes().size()) {
                        throw error(t, "expected " + f.argTypes().size() + " argument(s) in call to \"" + name + "\", got "
                                + args.size());
                    }
                    return new Expr.Call(f, args, t.start(), positions);
                }
                throw error(t, "unexpected " + t.describe() + " in duration expression, expected duration");
            }
            default -> throw error(t, "unexpected " + t.describe() + ", expected duration");
        }
    }

    private Expr applyOffset(Token t, Expr e, DurationValue offset) {
        if (e instanceof Expr.VectorSelector vs) {
            if (vs.offsetMillis() != 0 || vs.offsetExpression() != null) {
                throw error(t, "offset may not be set multiple times");
            }
            return vs.withOffset(offset.millis(), offset.expression());
        }
        if (e instanceof Expr.MatrixSelector ms) {
            if (ms.selector().offsetMillis() != 0) {
                throw error(t, "offset may not be set multiple times");
            }
            return ms.withSelector(ms.selector().withOffset(offset.millis(), offset.expression()));
        }
        if (e instanceof Expr.Subquery sq) {
            if (sq.offsetMillis() != 0) {
                throw error(t, "offset may not be set multiple times");
            }
            return sq.withOffset(offset.millis(), offset.expression());
        }
        throw error(t, "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    }

    private Expr applyAt(Token t, Expr e) {
        Expr.At kind;
        long millis = 0;
        Token v = peek();
        if (isKeyword(v, "start") || isKeyword(v, "end")) {
            advance();
            expect(Token.Kind.LEFT_PAREN, "@ modifier");
            expect(Token.Kind.RIGHT_PAREN, "@ modifier");
            kind = isKeyword(v, "start") ? Expr.At.START : Expr.At.END;
        } else {
            boolean negative = false;
            if (v.kind() == Token.Kind.OPERATOR && (v.text().equals("-") || v.text().equals("+"))) {
                negative = v.text().equals("-");
                advance();
                v = peek();
            }
            double seconds;
            if (v.kind() == Token.Kind.NUMBER) {
                seconds = parseNumber(v);
            } else if (isKeyword(v, "inf") || isKeyword(v, "nan")) {
                seconds = isKeyword(v, "inf") ? Double.POSITIVE_INFINITY : Double.NaN;
            } else if (v.kind() == Token.Kind.DURATION) {
                seconds = Durations.parse(v.text()) / 1000.0;
            } else {
                throw error(v, "unexpected " + v.describe() + " in @, expected timestamp");
            }
            advance();
            if (negative) {
                seconds = -seconds;
            }
            double ms = seconds * 1000;
            if (Double.isNaN(ms) || Double.isInfinite(ms) || ms >= 9.223372036854775807E18 || ms <= -9.223372036854775807E18) {
                throw error(v, "timestamp out of bounds for @ modifier: " + seconds);
            }
            millis = Math.round(ms);
            kind = Expr.At.TIMESTAMP;
        }
        if (e instanceof Expr.VectorSelector vs) {
            if (vs.at() != Expr.At.NONE) {
                throw error(t, "@ <timestamp> may not be set multiple times");
            }
            return vs.withAt(kind, millis);
        }
        if (e instanceof Expr.MatrixSelector ms) {
            if (ms.selector().at() != Expr.At.NONE) {
                throw error(t, "@ <timestamp> may not be set multiple times");
            }
            return ms.withSelector(ms.selector().withAt(kind, millis));
        }
        if (e instanceof Expr.Subquery sq) {
            if (sq.at() != Expr.At.NONE) {
                throw error(t, "@ <timestamp> may not be set multiple times");
            }
            return sq.withAt(kind, millis);
        }
        throw error(t, "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery");
    }

    // ---- selectors

    private Expr selector(String name, Token at) {
        List<Matcher> matchers = new ArrayList<>();
        String metricName = name;
        if (peek().kind() == Token.Kind.LEFT_BRACE) {
            advance();
            while (peek().kind() != Token.Kind.RIGHT_BRACE) {
                if (peek().kind() == Token.Kind.EOF) {
                    throw error(peek(), "unexpected end of input inside braces");
                }
                Token labelToken = advance();
                String label;
                if (labelToken.kind() == Token.Kind.IDENTIFIER) {
                    label = labelToken.text();
                } else if (labelToken.kind() == Token.Kind.STRING) {
                    label = labelToken.text();
                    Token.Kind next = peek().kind();
                    if (next == Token.Kind.COMMA || next == Token.Kind.RIGHT_BRACE) {
                        if (metricName != null) {
                            throw error(labelToken, "metric name must not be set twice: \"" + metricName + "\" or \"" + label + "\"");
                        }
                        metricName = label;
                        matchers.add(Matcher.equal(Labels.METRIC_NAME, label));
                        if (peek().kind() == Token.Kind.COMMA) {
                            advance();
                        }
                        continue;
                    }
                } else {
                    throw error(labelToken, "unexpected " + labelToken.describe() + " in label matching, expected label matching operator");
                }
                Token opToken = advance();
                MatchType type = switch (opToken.kind()) {
                    case ASSIGN -> MatchType.EQUAL;
                    case MATCH_NOT_EQUAL -> MatchType.NOT_EQUAL;
                    case MATCH_REGEX -> MatchType.REGEX;
                    case MATCH_NOT_REGEX -> MatchType.NOT_REGEX;
                    default -> throw error(opToken, "unexpected " + opToken.describe()
                            + " in label matching, expected one of \"=\", \"!=\", \"=~\" or \"!~\"");
                };
                Token valueToken = advance();
                if (valueToken.kind() != Token.Kind.STRING) {
                    throw error(valueToken, "unexpected " + valueToken.describe() + " in label matching, expected string");
                }
                try {
                    matchers.add(Matcher.of(type, label, valueToken.text()));
                } catch (IllegalArgumentException ex) {
                    throw error(valueToken, "invalid regular expression: " + ex.getMessage());
                }
                if (peek().kind() == Token.Kind.COMMA) {
                    advance();
                } else if (peek().kind() != Token.Kind.RIGHT_BRACE) {
                    Token bad = peek();
                    throw error(bad, "unexpected " + bad.describe() + " in label matching, expected \",\" or \"}\"");
                }
            }
            advance();
        }
        if (name != null) {
            for (Matcher m : matchers) {
                if (m.name().equals(Labels.METRIC_NAME)) {
                    throw error(at, "metric name must not be set twice: \"" + name + "\" or \"" + m.value() + "\"");
                }
            }
            matchers.add(0, Matcher.equal(Labels.METRIC_NAME, name));
        }
        boolean nonEmpty = false;
        for (Matcher m : matchers) {
            if (!m.matchesEmpty()) {
                nonEmpty = true;
                break;
            }
        }
        if (!nonEmpty && !lenientSelectors) {
            throw error(at, "vector selector must contain at least one non-empty matcher");
        }
        return new Expr.VectorSelector(metricName, matchers, 0, Expr.At.NONE, 0);
    }

    private List<String> labelList() {
        expect(Token.Kind.LEFT_PAREN, "grouping opts");
        List<String> labels = new ArrayList<>();
        while (peek().kind() != Token.Kind.RIGHT_PAREN) {
            Token t = advance();
            if (t.kind() == Token.Kind.IDENTIFIER || t.kind() == Token.Kind.STRING) {
                if (t.kind() == Token.Kind.IDENTIFIER && t.text().indexOf(':') >= 0) {
                    throw error(t, "unexpected " + t.describe() + " in grouping opts, expected label");
                }
                labels.add(t.text());
            } else {
                throw error(t, "unexpected " + t.describe() + " in grouping opts, expected label");
            }
            if (peek().kind() == Token.Kind.COMMA) {
                advance();
            } else if (peek().kind() != Token.Kind.RIGHT_PAREN) {
                Token bad = peek();
                throw error(bad, "unexpected " + bad.describe() + " in grouping opts, expected \",\" or \")\"");
            }
        }
        advance();
        return labels;
    }

    // ---- aggregations and calls

    private Expr aggregate(AggregateOp op) {
        Token opToken = advance();
        List<String> grouping = List.of();
        boolean without = false;
        boolean haveGrouping = false;
        if (isKeyword(peek(), "by") || isKeyword(peek(), "without")) {
            without = isKeyword(advance(), "without");
            grouping = labelList();
            haveGrouping = true;
        }
        List<Expr> args = arguments("aggregation");
        if (isKeyword(peek(), "by") || isKeyword(peek(), "without")) {
            if (haveGrouping) {
                throw error(peek(), "unexpected <by/without> in aggregation");
            }
            without = isKeyword(advance(), "without");
            grouping = labelList();
        }
        int want = op.parameterType() == null ? 1 : 2;
        if (args.size() != want) {
            throw error(opToken, "wrong number of arguments for aggregate expression provided, expected " + want
                    + ", got " + args.size());
        }
        Expr param = want == 2 ? args.get(0) : null;
        Expr expr = args.get(want - 1);
        if (expr.type() != ValueType.VECTOR) {
            throw error(opToken, "expected type instant vector in aggregation expression, got " + expr.type());
        }
        if (param != null && param.type() != op.parameterType()) {
            throw error(opToken, "expected type " + op.parameterType() + " in aggregation parameter, got " + param.type());
        }
        return new Expr.Aggregate(op, expr, param, grouping, without, opToken.start());
    }

    private List<Expr> arguments(String context) {
        return arguments(context, new ArrayList<>());
    }

    private List<Expr> arguments(String context, List<Integer> positions) {
        expect(Token.Kind.LEFT_PAREN, context);
        List<Expr> args = new ArrayList<>();
        if (peek().kind() == Token.Kind.RIGHT_PAREN) {
            advance();
            return args;
        }
        while (true) {
            positions.add(peek().start());
            args.add(expression(0));
            Token t = peek();
            if (t.kind() == Token.Kind.COMMA) {
                advance();
                if (peek().kind() == Token.Kind.RIGHT_PAREN) {
                    advance();
                    return args;
                }
            } else if (t.kind() == Token.Kind.RIGHT_PAREN) {
                advance();
                return args;
            } else if (t.kind() == Token.Kind.EOF) {
                throw error(t, "unclosed left parenthesis");
            } else {
                throw error(t, "unexpected " + t.describe() + " in " + context + ", expected \",\" or \")\"");
            }
        }
    }

    private Expr call() {
        Token nameToken = advance();
        FunctionSignature f = FunctionSignature.lookup(nameToken.text());
        if (f == null) {
            throw error(nameToken, "unknown function with name \"" + nameToken.text() + "\"");
        }
        List<Integer> positions = new ArrayList<>();
        boolean savedLenient = lenientSelectors;
        lenientSelectors = f.name().equals("info");
        List<Expr> args;
        try {
            args = arguments("function call", positions);
        } finally {
            lenientSelectors = savedLenient;
        }
        if (f.name().equals("info") && args.size() > 1 && !(args.get(1) instanceof Expr.VectorSelector)) {
            throw error(nameToken, "expected label selectors as the second argument to \"info\" function, got " + args.get(1).type());
        }
        int declared = f.argTypes().size();
        if (f.variadic() == 0) {
            if (args.size() != declared) {
                throw error(nameToken, "expected " + declared + " argument(s) in call to \"" + f.name() + "\", got " + args.size());
            }
        } else if (f.variadic() > 0) {
            int min = declared - f.variadic();
            if (args.size() < min || args.size() > declared) {
                throw error(nameToken, "expected at most " + declared + " argument(s) in call to \"" + f.name() + "\", got " + args.size());
            }
        } else {
            if (args.size() < declared - 1) {
                throw error(nameToken, "expected at least " + (declared - 1) + " argument(s) in call to \"" + f.name() + "\", got " + args.size());
            }
        }
        for (int i = 0; i < args.size(); i++) {
            ValueType want = f.argTypes().get(Math.min(i, declared - 1));
            ValueType got = args.get(i).type();
            if (want != got) {
                throw error(nameToken, "expected type " + want + " in call to function \"" + f.name() + "\", got " + got);
            }
        }
        return new Expr.Call(f, args, nameToken.start(), positions);
    }
}
