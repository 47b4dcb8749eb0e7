package io.strata.plugin.promql.functions;

/** Numerically careful helpers shared by functions and aggregations. */
public final class FloatMath {
    private FloatMath() {
    }

    /** Neumaier/Kahan summation step: returns the new sum; the compensation goes to {@code c[0]}. */
    public static double kahanSum(double inc, double sum, double[] c) {
        double t = sum + inc;
        if (Double.isInfinite(t)) {
            c[0] = 0;
        } else if (Math.abs(sum) >= Math.abs(inc)) {
            c[0] += (sum - t) + inc;
        } else {
            c[0] += (inc - t) + sum;
        }
        return t;
    }

    /**
     * The compensation after adding {@code inc} to {@code sum} giving {@code t = sum + inc} (Neumaier), starting from
     * compensation {@code c}. Allocation-free form of {@link #kahanSum}.
     */
    public static double compensation(double inc, double sum, double t, double c) {
        if (Double.isInfinite(t)) {
            return 0;
        }
        if (Math.abs(sum) >= Math.abs(inc)) {
            return c + ((sum - t) + inc);
        }
        return c + ((inc - t) + sum);
    }

    /** The q-quantile of {@code values[0..n)} (sorted in place), as Prometheus computes it. */
    public static double quantile(double q, double[] values, int n) {
        if (n == 0 || Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        sortNaNFirst(values, n);
        double rank = q * (n - 1);
        int lower = (int) Math.max(0, Math.floor(rank));
        int upper = Math.min(n - 1, lower + 1);
        double weight = rank - Math.floor(rank);
        return values[lower] * (1 - weight) + values[upper] * weight;
    }

    /** Sorts ascending with NaN first, as Prometheus's quantile does. */
    public static void sortNaNFirst(double[] values, int n) {
        java.util.Arrays.sort(values, 0, n);
        int nans = 0;
        for (int i = n - 1; i >= 0 && Double.isNaN(values[i]); i--) {
            nans++;
        }
        if (nans > 0) {
            System.arraycopy(values, 0, values, nans, n - nans);
            java.util.Arrays.fill(values, 0, nans, Double.NaN);
        }
    }

    /** Go's strconv.FormatFloat(v, 'f', -1, 64). */
    public static String formatPlain(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0" : "0";
        }
        String s = new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
        return s;
    }

    /** Natural-order comparison of strings (digit runs compare numerically), as Prometheus's sort_by_label. */
    public static int naturalCompare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                if (na.length() != nb.length()) {
                    return Integer.compare(na.length(), nb.length());
                }
                int c = na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
