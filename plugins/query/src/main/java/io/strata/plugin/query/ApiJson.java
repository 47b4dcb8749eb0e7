package io.strata.plugin.query;

import com.fasterxml.jackson.core.JsonGenerator;
import io.strata.api.labels.Labels;
import java.io.IOException;
import java.math.BigDecimal;

/** Prometheus's JSON spellings of timestamps, sample values and label sets. */
final class ApiJson {
    private ApiJson() {
    }

    /** Per-thread room for one {@code [t, "v"]} point: the longest is a 26-character value and a 21-character time. */
    private static final ThreadLocal<char[]> POINT = ThreadLocal.withInitial(() -> new char[64]);

    /** Milliseconds as Prometheus writes them: unix seconds with up to three decimals, as a JSON number. */
    static void timestamp(JsonGenerator g, long millis) throws IOException {
        char[] buf = POINT.get();
        g.writeNumber(buf, 0, timestampChars(millis, buf, 0));
    }

    /**
     * Milliseconds as Prometheus writes an exemplar's time: unix seconds and, unless it is zero, a
     * three-digit fraction ({@code 1700000000.250}, where a sample's time would be {@code .25}).
     */
    static void exemplarTimestamp(JsonGenerator g, long millis) throws IOException {
        long abs = Math.abs(millis);
        long fraction = abs % 1000;
        String text = (millis < 0 ? "-" : "") + abs / 1000 + (fraction == 0 ? "" : fraction < 10 ? ".00" + fraction
                : fraction < 100 ? ".0" + fraction : "." + fraction);
        g.writeNumber(text);
    }

    static String timestampText(long millis) {
        char[] buf = new char[24];
        return new String(buf, 0, timestampChars(millis, buf, 0));
    }

    /** Writes the seconds form of {@code millis} at {@code pos}; returns the position after it. */
    private static int timestampChars(long millis, char[] buf, int pos) {
        if (millis == Long.MIN_VALUE) {
            String s = BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
            s.getChars(0, s.length(), buf, pos);
            return pos + s.length();
        }
        if (millis < 0) {
            buf[pos++] = '-';
            millis = -millis;
        }
        pos = digits(millis / 1000, buf, pos);
        int frac = (int) (millis % 1000);
        if (frac != 0) {
            buf[pos++] = '.';
            buf[pos++] = (char) ('0' + frac / 100);
            if (frac % 100 != 0) {
                buf[pos++] = (char) ('0' + frac / 10 % 10);
                if (frac % 10 != 0) {
                    buf[pos++] = (char) ('0' + frac % 10);
                }
            }
        }
        return pos;
    }

    /** The decimal digits of {@code v >= 0} at {@code pos}; returns the position after them. */
    private static int digits(long v, char[] buf, int pos) {
        int n = 1;
        for (long x = v; x >= 10; x /= 10) {
            n++;
        }
        int end = pos + n;
        for (int i = end - 1; i >= pos; i--) {
            buf[i] = (char) ('0' + v % 10);
            v /= 10;
        }
        return end;
    }

    /**
     * A sample value as Prometheus writes it: Go's strconv.FormatFloat with the shortest digits,
     * in 'f' form, or 'e' form (1e+300, 1.5e-07) below 1e-6 and from 1e21 on.
     */
    static String value(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return Double.doubleToRawLongBits(v) == 0 ? "0" : "-0";
        }
        double abs = Math.abs(v);
        // fast paths, no BigDecimal: whole numbers, and plain decimals Double.toString already
        // prints with its shortest digits (up to 15 significant digits there is nothing shorter)
        if (abs < 1e15 && v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        if (abs >= 1e-3 && abs < 1e7) {
            String plain = Double.toString(v);
            if (significantDigits(plain) <= 15) {
                return plain;
            }
        }
        return valueExact(v);
    }

    /** Go's strconv.FormatFloat(v, 'f', -1, 64): the shortest digits, never in 'e' form. */
    static String plainValue(double v) {
        double abs = Math.abs(v);
        if (Double.isNaN(v) || Double.isInfinite(v) || v == 0 || (abs >= 1e-6 && abs < 1e21)) {
            return value(v);
        }
        return shortest(v).toPlainString();
    }

    /** The same as {@link #value} for finite non-zero values, always through the exact decimal. */
    static String valueExact(double v) {
        double abs = Math.abs(v);
        BigDecimal d = shortest(v);
        if (abs >= 1e-6 && abs < 1e21) {
            return d.toPlainString();
        }
        String digits = d.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - d.scale();
        StringBuilder sb = new StringBuilder(digits.length() + 8);
        if (v < 0) {
            sb.append('-');
        }
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        sb.append('e').append(exponent < 0 ? '-' : '+');
        int e = Math.abs(exponent);
        if (e < 10) {
            sb.append('0');
        }
        return sb.append(e).toString();
    }

    private static int significantDigits(String plain) {
        int n = 0;
        boolean leading = true;
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            if (c >= '0' && c <= '9') {
                if (c == '0' && leading) {
                    continue;
                }
                leading = false;
                n++;
            }
        }
        return n;
    }

    /**
     * The shortest decimal that reads back as {@code v}, as Go prints it. Java 17's
     * Double.toString sometimes gives one digit too many (1.2344999999999999E21 for 1.2345e21), so
     * long results are checked against shorter roundings of the exact value.
     */
    static BigDecimal shortest(double v) {
        BigDecimal d = new BigDecimal(Double.toString(v));
        if (d.precision() >= 16 || Math.abs(v) < Double.MIN_NORMAL) {
            // round-tripping is monotonic in the number of digits: binary search the fewest
            BigDecimal exact = new BigDecimal(v);
            int lo = 1;
            int hi = d.precision();
            BigDecimal best = d;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                BigDecimal r = exact.round(new java.math.MathContext(mid, java.math.RoundingMode.HALF_EVEN));
                if (r.doubleValue() == v) {
                    best = r;
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            d = best.precision() <= lo ? best : exact.round(new java.math.MathContext(lo, java.math.RoundingMode.HALF_EVEN));
        }
        return d.stripTrailingZeros();
    }

    static void labels(JsonGenerator g, Labels labels) throws IOException {
        g.writeStartObject();
        for (int i = 0; i < labels.size(); i++) {
            g.writeStringField(labels.name(i), labels.value(i));
        }
        g.writeEndObject();
    }

    /** {@code [t, "v"]}, written as one raw value: a range result holds millions of them. */
    static void point(JsonGenerator g, long t, double v) throws IOException {
        char[] buf = POINT.get();
        buf[0] = '[';
        int pos = timestampChars(t, buf, 1);
        buf[pos++] = ',';
        buf[pos++] = '"';
        if (v == Math.rint(v) && Math.abs(v) < 1e15 && (v != 0 || Double.doubleToRawLongBits(v) == 0)) {
            // whole numbers, the most common values, without a String
            long whole = (long) v;
            if (whole < 0) {
                buf[pos++] = '-';
                whole = -whole;
            }
            pos = digits(whole, buf, pos);
        } else {
            String text = value(v);
            text.getChars(0, text.length(), buf, pos);
            pos += text.length();
        }
        buf[pos++] = '"';
        buf[pos++] = ']';
        g.writeRawValue(buf, 0, pos);
    }
}
