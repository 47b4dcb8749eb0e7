package io.strata.plugin.tsdb.tools;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats doubles as Go's {@code fmt} verb {@code %g} does: the shortest decimal that reads back as
 * the same double, in %e form when the exponent is below -4 or at least 6 ({@code 1e+06},
 * {@code 1e-05}), otherwise in %f form ({@code 0.0001}, {@code 123456}); {@code NaN}, {@code +Inf},
 * {@code -Inf}.
 */
public final class GoFloatFormat {
    private GoFloatFormat() {
    }

    public static String formatG(double v) {
        StringBuilder sb = new StringBuilder(24);
        appendG(sb, v);
        return sb.toString();
    }

    public static void appendG(StringBuilder sb, double v) {
        if (Double.isNaN(v)) {
            sb.append("NaN");
            return;
        }
        if (Double.isInfinite(v)) {
            sb.append(v > 0 ? "+Inf" : "-Inf");
            return;
        }
        boolean neg = Double.doubleToRawLongBits(v) < 0;
        if (neg) {
            sb.append('-');
        }
        double a = Math.abs(v);
        if (a == 0) {
            sb.append('0');
            return;
        }
        BigDecimal shortest = shortest(a);
        String digits = shortest.unscaledValue().toString();
        int nd = digits.length();
        int dp = nd - shortest.scale(); // position of the decimal point relative to the digits
        int exp = dp - 1;
        if (exp < -4 || exp >= 6) {
            sb.append(digits.charAt(0));
            if (nd > 1) {
                sb.append('.').append(digits, 1, nd);
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int e = Math.abs(exp);
            if (e < 10) {
                sb.append('0');
            }
            sb.append(e);
            return;
        }
        if (dp <= 0) {
            sb.append("0.");
            for (int i = 0; i < -dp; i++) {
                sb.append('0');
            }
            sb.append(digits);
        } else if (dp >= nd) {
            sb.append(digits);
            for (int i = nd; i < dp; i++) {
                sb.append('0');
            }
        } else {
            sb.append(digits, 0, dp).append('.').append(digits, dp, nd);
        }
    }

    /** The shortest decimal that parses back to {@code a} (> 0), the closest one among equals. */
    private static BigDecimal shortest(double a) {
        BigDecimal exact = new BigDecimal(a);
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == a) {
                return r.stripTrailingZeros();
            }
            BigDecimal up = exact.round(new MathContext(p, RoundingMode.UP));
            if (up.doubleValue() == a) {
                return up.stripTrailingZeros();
            }
            BigDecimal down = exact.round(new MathContext(p, RoundingMode.DOWN));
            if (down.doubleValue() == a) {
                return down.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }
}
