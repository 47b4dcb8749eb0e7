package io.strata.plugin.tsdb.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.strata.api.storage.StaleMarker;
import org.junit.jupiter.api.Test;

class GoFloatFormatTest {
    private static void check(String want, double v) {
        assertEquals(want, GoFloatFormat.formatG(v), "formatting " + v);
    }

    @Test
    void matchesGoPercentG() {
        check("1e+06", 1e6);
        check("123456", 123456);
        check("1.234567e+06", 1234567);
        check("1.5", 1.5);
        check("NaN", Double.NaN);
        check("NaN", StaleMarker.VALUE);
        check("+Inf", Double.POSITIVE_INFINITY);
        check("-Inf", Double.NEGATIVE_INFINITY);
        check("1e-05", 1e-5);
        check("0.0001", 1e-4);
        check("0", 0.0);
        check("-0", -0.0);
        check("-3", -3);
        check("12000", 12000);
        check("1e+300", 1e300);
        check("0.1", 0.1);
        check("0.30000000000000004", 0.1 + 0.2);
        check("2.82879384806159e+17", 2.82879384806159E17);
        check("5e-324", Double.MIN_VALUE);
        check("1.7976931348623157e+308", Double.MAX_VALUE);
        check("100000", 1e5);
        check("1.2345e-05", 1.2345e-5);
        check("1e+23", 1e23);
    }
}
