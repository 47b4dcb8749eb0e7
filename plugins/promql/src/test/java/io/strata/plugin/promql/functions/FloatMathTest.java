package io.strata.plugin.promql.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FloatMathTest {
    @Test
    void formatsLikeGoStrconv() {
        assertEquals("1", FloatMath.formatPlain(1.0));
        assertEquals("0.5", FloatMath.formatPlain(0.5));
        assertEquals("1000000000000000000000", FloatMath.formatPlain(1e21));
        assertEquals("+Inf", FloatMath.formatPlain(Double.POSITIVE_INFINITY));
        assertEquals("NaN", FloatMath.formatPlain(Double.NaN));
    }

    @Test
    void quantileSortsNaNFirst() {
        double[] v = {Double.NaN, 1, 2, 3};
        assertEquals(2.4, FloatMath.quantile(0.8, v, 4), 1e-12);
        assertTrue(Double.isNaN(FloatMath.quantile(0.1, new double[] {Double.NaN, 1, 2, 3}, 4)));
    }

    @Test
    void naturalOrderComparesDigitRunsAsNumbers() {
        assertTrue(FloatMath.naturalCompare("a2", "a10") < 0);
        assertTrue(FloatMath.naturalCompare("b", "a10") > 0);
        assertEquals(0, FloatMath.naturalCompare("x01", "x1"));
    }

    @Test
    void kahanSumKeepsSmallTerms() {
        double[] c = {0};
        double sum = FloatMath.kahanSum(1e100, 0, c);
        sum = FloatMath.kahanSum(1, sum, c);
        sum = FloatMath.kahanSum(-1e100, sum, c);
        assertEquals(1.0, sum + c[0]);
    }
}
