package io.strata.plugin.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parsesCompoundDurationsLargestUnitFirst() {
        assertEquals(5_400_000, Durations.parse("1h30m"));
        assertEquals(250, Durations.parse("250ms"));
        assertEquals(365L * 86_400_000 + 7L * 86_400_000, Durations.parse("1y1w"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("30m1h"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("5x"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(""));
    }

    @Test
    void formatsAsPrometheusDoes() {
        assertEquals("1h30m", Durations.format(5_400_000));
        assertEquals("0s", Durations.format(0));
        assertEquals("-5m", Durations.format(-300_000));
        assertEquals("1d1ms", Durations.format(86_400_001));
    }

    @Test
    void durationExpressionsResolveStepAndRange() {
        Expr.MatrixSelector ms = (Expr.MatrixSelector) ((Expr.Call) Parser.parse("rate(x[step() * 2 + 1s])")).args().get(0);
        assertEquals(21.0, DurationExpressions.evaluateSeconds(ms.rangeExpression(), 10_000, 0));
        Expr.MatrixSelector constant = (Expr.MatrixSelector) ((Expr.Call) Parser.parse("rate(x[1h / 2])")).args().get(0);
        assertEquals(1_800_000, constant.rangeMillis());
        assertEquals(null, constant.rangeExpression());
    }
}
