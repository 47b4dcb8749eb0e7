package io.strata.plugin.promql.functions;

/**
 * Quantile and fraction estimation over classic histogram buckets ({@code le} upper bounds with cumulative
 * counts). Arrays are sorted and coalesced in place; {@code n} is the number of buckets used.
 */
public final class ClassicHistograms {
    /** Set by {@link #quantile} when bucket counts had to be made monotonic. */
    public static final int FORCED_MONOTONIC = 1;
    /** Set by {@link #quantile} when tiny precision errors were corrected. */
    public static final int FIXED_PRECISION = 2;

    private ClassicHistograms() {
    }

    private static int sortAndCoalesce(double[] upper, double[] counts, int n) {
        // insertion sort: bucket counts are small
        for (int i = 1; i < n; i++) {
            double u = upper[i];
            double c = counts[i];
            int j = i - 1;
            while (j >= 0 && upper[j] > u) {
                upper[j + 1] = upper[j];
                counts[j + 1] = counts[j];
                j--;
            }
            upper[j + 1] = u;
            counts[j + 1] = c;
        }
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (m > 0 && upper[m - 1] == upper[i]) {
                counts[m - 1] += counts[i];
            } else {
                upper[m] = upper[i];
                counts[m] = counts[i];
                m++;
            }
        }
        return m;
    }

    /** Estimates the q-quantile; flags (FORCED_MONOTONIC, FIXED_PRECISION) go to {@code flags[0]}. */
    public static double quantile(double q, double[] upper, double[] counts, int n, int[] flags) {
        flags[0] = 0;
        if (Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        if (n == 0) {
            return Double.NaN;
        }
        n = sortAndCoalesce(upper, counts, n);
        if (upper[n - 1] != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        // correct precision errors
        double prev = counts[0];
        for (int i = 1; i < n; i++) {
            double curr = counts[i];
            double delta = Math.abs(curr - prev);
            if (delta == 0) {
                continue;
            }
            if (delta / curr <= 1e-12) {
                counts[i] = prev;
                flags[0] |= FIXED_PRECISION;
            } else {
                prev = curr;
            }
        }
        double max = counts[0];
        for (int i = 1; i < n; i++) {
            if (counts[i] > max) {
                max = counts[i];
            } else if (counts[i] < max) {
                counts[i] = max;
                flags[0] |= FORCED_MONOTONIC;
            }
        }
        if (n < 2) {
            return Double.NaN;
        }
        double observations = counts[n - 1];
        if (observations == 0) {
            return Double.NaN;
        }
        double rank = q * observations;
        int b = 0;
        while (b < n - 1 && !(counts[b] >= rank)) {
            b++;
        }
        if (b == n - 1) {
            return upper[n - 2];
        }
        if (b == 0 && upper[0] <= 0) {
            return upper[0];
        }
        double bucketStart = 0;
        double bucketEnd = upper[b];
        double count = counts[b];
        if (b > 0) {
            bucketStart = upper[b - 1];
            count -= counts[b - 1];
            rank -= counts[b - 1];
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count);
    }

    /** Estimates the fraction of observations in {@code (lower, upper]}. */
    public static double fraction(double lower, double upperLimit, double[] upper, double[] counts, int n) {
        if (n == 0) {
            return Double.NaN;
        }
        n = sortAndCoalesce(upper, counts, n);
        if (upper[n - 1] != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        double max = counts[0];
        for (int i = 1; i < n; i++) {
            if (counts[i] > max) {
                max = counts[i];
            } else if (counts[i] < max) {
                counts[i] = max;
            }
        }
        double total = counts[n - 1];
        if (total == 0 || Double.isNaN(lower) || Double.isNaN(upperLimit)) {
            return Double.NaN;
        }
        if (lower >= upperLimit) {
            return 0;
        }
        return (rankOf(upperLimit, upper, counts, n, false) - rankOf(lower, upper, counts, n, true)) / total;
    }

    private static double rankOf(double v, double[] upper, double[] counts, int n, boolean isLower) {
        double prevCount = 0;
        for (int i = 0; i < n; i++) {
            double lo;
            if (i == 0) {
                lo = upper[0] > 0 ? 0 : Double.NEGATIVE_INFINITY;
            } else {
                lo = upper[i - 1];
            }
            double hi = upper[i];
            double bucketCount = counts[i] - prevCount;
            if (v <= lo) {
                return prevCount;
            }
            if (v < hi) {
                if (Double.isInfinite(lo) || Double.isInfinite(hi)) {
                    // no interpolation in a bucket of infinite width: it contributes nothing
                    return Double.isInfinite(lo) ? counts[i] : prevCount;
                }
                return prevCount + bucketCount * (v - lo) / (hi - lo);
            }
            prevCount = counts[i];
        }
        return counts[n - 1];
    }
}
