package io.strata.plugin.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ParserTest {
    @Test
    void powerIsRightAssociativeAndBindsTighterThanUnaryMinus() {
        Expr e = Parser.parse("-2 ^ 3 ^ 2");
        Expr.Unary u = assertInstanceOf(Expr.Unary.class, e);
        Expr.Binary pow = assertInstanceOf(Expr.Binary.class, u.expr());
        assertEquals(BinaryOp.POW, pow.op());
        assertInstanceOf(Expr.Binary.class, pow.rhs());
    }

    @Test
    void precedenceFollowsPrometheus() {
        Expr.Binary or = assertInstanceOf(Expr.Binary.class, Parser.parse("a or b and c unless d > e + f * g"));
        assertEquals(BinaryOp.OR, or.op());
        Expr.Binary and = assertInstanceOf(Expr.Binary.class, or.rhs());
        assertEquals(BinaryOp.UNLESS, and.op());
    }

    @Test
    void literalsAndDurations() {
        assertEquals(31.0, ((Expr.NumberLiteral) Parser.parse("0x1F")).value());
        assertEquals(-1.5e3, ((Expr.NumberLiteral) Parser.parse("-1.5e3")).value());
        assertTrue(Double.isInfinite(((Expr.NumberLiteral) Parser.parse("+Inf")).value()));
        Expr.MatrixSelector ms = assertInstanceOf(Expr.MatrixSelector.class, Parser.parse("foo[1h30m] offset -5m"));
        assertEquals(5_400_000, ms.rangeMillis());
        assertEquals(-300_000, ms.selector().offsetMillis());
        assertEquals("a\nb", ((Expr.StringLiteral) Parser.parse("\"a\\nb\"")).value());
        assertEquals("a\\nb", ((Expr.StringLiteral) Parser.parse("`a\\nb`")).value());
    }

    @Test
    void aggregationGroupingMayComeBeforeOrAfter() {
        Expr.Aggregate a = assertInstanceOf(Expr.Aggregate.class, Parser.parse("sum by (job) (x)"));
        Expr.Aggregate b = assertInstanceOf(Expr.Aggregate.class, Parser.parse("sum(x) by (job)"));
        assertEquals(a.grouping(), b.grouping());
        Expr.Aggregate t = assertInstanceOf(Expr.Aggregate.class, Parser.parse("topk without (a) (3, x)"));
        assertTrue(t.without());
        assertInstanceOf(Expr.NumberLiteral.class, t.param());
    }

    @Test
    void errorsCarryPositionAndPrometheusWording() {
        ParseException e = assertThrows(ParseException.class, () -> Parser.parse("sum(x) + foo("));
        assertTrue(e.getMessage().startsWith("1:10: parse error: unknown function with name \"foo\""), e.getMessage());
        assertEquals("1:8: parse error: unclosed left parenthesis",
                assertThrows(ParseException.class, () -> Parser.parse("sum(foo")).getMessage());
        assertEquals("1:5: parse error: unexpected end of input inside braces",
                assertThrows(ParseException.class, () -> Parser.parse("foo{")).getMessage());
        assertThrows(ParseException.class, () -> Parser.parse("1 > 2"));
        assertThrows(ParseException.class, () -> Parser.parse("rate(x)"));
        assertThrows(ParseException.class, () -> Parser.parse("{a=\"\"}"));
        assertThrows(ParseException.class, () -> Parser.parse("x and 1"));
        assertThrows(ParseException.class, () -> Parser.parse("foo{a=~\"(\"}"));
    }

    @Test
    void quotedMetricNamesAndAtModifiers() {
        Expr.VectorSelector vs = assertInstanceOf(Expr.VectorSelector.class, Parser.parse("{\"my.metric\", a=\"b\"} @ start()"));
        assertEquals("my.metric", vs.name());
        assertEquals(Expr.At.START, vs.at());
        Expr.Subquery sq = assertInstanceOf(Expr.Subquery.class, Parser.parse("rate(x[5m])[1h:] @ 100.5"));
        assertEquals(100_500, sq.atMillis());
        assertEquals(0, sq.stepMillis());
    }

    @Test
    void durationLiteralsRememberTheirSpellingAndPrintBackAsDurations() {
        Expr.NumberLiteral d = assertInstanceOf(Expr.NumberLiteral.class, Parser.parse("-1m30s"));
        assertEquals(-90.0, d.value());
        assertTrue(d.duration());
        assertEquals("-1m30s", Printer.print(d));
        assertEquals(new Expr.NumberLiteral(90), Parser.parse("90"));
        assertEquals("90", Printer.print(Parser.parse("90")));
        assertEquals("rate(x[step() * 2 + 1s])", Printer.print(Parser.parse("rate(x[step()*2+1s])")));
        assertEquals("x offset -step()", Printer.print(Parser.parse("x offset -step()")));
    }

    /** Every expression of every test script prints to text that parses back to the same printed form. */
    @Test
    void printerRoundTripsEveryExpressionOfTheTestFiles() throws IOException {
        Pattern eval = Pattern.compile("^eval\\S*\\s+(?:instant\\s+at\\s+\\S+|range\\s+from\\s+\\S+\\s+to\\s+\\S+\\s+step\\s+\\S+)\\s+(.+)$");
        List<String> failures = new ArrayList<>();
        int parsed = 0;
        try (Stream<Path> files = Files.list(io.strata.plugin.promql.testing.PromqlTestFilesTest.testdataDirectory())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".test")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    Matcher m = eval.matcher(line.trim());
                    if (!m.matches()) {
                        continue;
                    }
                    String q = m.group(1);
                    Expr first;
                    try {
                        first = Parser.parse(q);
                    } catch (ParseException e) {
                        continue;
                    }
                    parsed++;
                    String printed = Printer.print(first);
                    try {
                        Expr second = Parser.parse(printed);
                        if (!Printer.print(second).equals(printed) || !equalIgnoringPositions(first, second)) {
                            failures.add(q + " -> " + printed + " -> " + Printer.print(second));
                        }
                    } catch (ParseException e) {
                        failures.add(q + " -> " + printed + ": " + e.getMessage());
                    }
                }
            }
        }
        assertTrue(parsed > 1500, "only " + parsed + " expressions parsed");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static boolean equalIgnoringPositions(Expr a, Expr b) {
        return strip(a).equals(strip(b));
    }

    private static Expr stripNullable(Expr e) {
        return e == null ? null : strip(e);
    }

    private static Expr strip(Expr e) {
        return Rewriter.rewrite(e, (n, under) -> {
            if (n instanceof Expr.Call c) {
                List<Integer> zeros = new ArrayList<>();
                c.args().forEach(x -> zeros.add(0));
                return new Expr.Call(c.function(), c.args(), 0, zeros);
            }
            if (n instanceof Expr.Aggregate a) {
                return new Expr.Aggregate(a.op(), a.expr(), a.param(), a.grouping(), a.without(), 0);
            }
            if (n instanceof Expr.VectorSelector vs && vs.offsetExpression() != null) {
                return vs.withOffset(vs.offsetMillis(), strip(vs.offsetExpression()));
            }
            if (n instanceof Expr.MatrixSelector ms && ms.rangeExpression() != null) {
                return new Expr.MatrixSelector(ms.selector(), ms.rangeMillis(), strip(ms.rangeExpression()));
            }
            if (n instanceof Expr.Subquery sq) {
                return new Expr.Subquery(sq.expr(), sq.rangeMillis(), sq.stepMillis(), sq.offsetMillis(), sq.at(), sq.atMillis(),
                        stripNullable(sq.rangeExpression()), stripNullable(sq.stepExpression()), stripNullable(sq.offsetExpression()));
            }
            return n;
        });
    }
}
