package io.strata.plugin.promql.functions;


/** The functions that take a range vector, each computing one value from a {@link Window}. */
public enum RangeFunction {
    RATE("rate", true), INCREASE("increase", true), DELTA("delta", true), IRATE("irate", true), IDELTA("idelta", true),
    DERIV("deriv", true), PREDICT_LINEAR("predict_linear", true), CHANGES("changes", true), RESETS("resets", true),
    AVG_OVER_TIME("avg_over_time", true), MIN_OVER_TIME("min_over_time", true), MAX_OVER_TIME("max_over_time", true),
    SUM_OVER_TIME("sum_over_time", true), COUNT_OVER_TIME("count_over_time", true),
    STDDEV_OVER_TIME("stddev_over_time", true), STDVAR_OVER_TIME("stdvar_over_time", true),
    LAST_OVER_TIME("last_over_time", false), FIRST_OVER_TIME("first_over_time", false),
    PRESENT_OVER_TIME("present_over_time", true), QUANTILE_OVER_TIME("quantile_over_time", true),
    MAD_OVER_TIME("mad_over_time", true), TS_OF_FIRST_OVER_TIME("ts_of_first_over_time", true),
    TS_OF_LAST_OVER_TIME("ts_of_last_over_time", true), TS_OF_MAX_OVER_TIME("ts_of_max_over_time", true),
    TS_OF_MIN_OVER_TIME("ts_of_min_over_time", true), DOUBLE_EXPONENTIAL_SMOOTHING("double_exponential_smoothing", true);

    private final String functionName;
    private final boolean dropsMetricName;

    RangeFunction(String functionName, boolean dropsMetricName) {
        this.functionName = functionName;
        this.dropsMetricName = dropsMetricName;
    }

    public String functionName() {
        return functionName;
    }

    /** True when the result loses the {@code __name__} label. */
    public boolean dropsMetricName() {
        return dropsMetricName;
    }

    /** The function named {@code name}, or null. */
    public static RangeFunction byName(String name) {
        for (RangeFunction f : values()) {
            if (f.functionName.equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** Scratch space per thread for functions that sort. */
    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[][] {new double[64]});

    private static double[] scratch(int n) {
        double[][] holder = SCRATCH.get();
        if (holder[0].length < n) {
            holder[0] = new double[Math.max(n, holder[0].length * 2)];
        }
        return holder[0];
    }

    /** Computes the function over the window; clears {@code w.produced} when there is no result. */
    public double apply(Window w) {
        w.produced = true;
        int n = w.size();
        if (n == 0) {
            w.produced = false;
            return 0;
        }
        double[] v = w.values;
        long[] t = w.ts;
        int from = w.from;
        int to = w.to;
        switch (this) {
            case RATE:
                return extrapolatedRate(w, true, true);
            case INCREASE:
                return extrapolatedRate(w, true, false);
            case DELTA:
                return extrapolatedRate(w, false, false);
            case IRATE:
            case IDELTA: {
                if (n < 2) {
                    w.produced = false;
                    return 0;
                }
                double last = v[to - 1];
                double prev = v[to - 2];
                double result = this == IRATE && last < prev ? last : last - prev;
                if (this == IRATE) {
                    long dt = t[to - 1] - t[to - 2];
                    if (dt == 0) {
                        w.produced = false;
                        return 0;
                    }
                    result /= dt / 1000.0;
                }
                return result;
            }
            case DERIV: {
                if (n < 2) {
                    w.produced = false;
                    return 0;
                }
                linearRegression(t, v, from, to, t[from], w.regression);
                return w.regression[0];
            }
            case PREDICT_LINEAR: {
                if (n < 2) {
                    w.produced = false;
                    return 0;
                }
                linearRegression(t, v, from, to, w.stepTime, w.regression);
                return w.regression[1] + w.regression[0] * w.scalars[0];
            }
            case CHANGES: {
                int changes = 0;
                for (int i = from + 1; i < to; i++) {
                    double cur = v[i];
                    double prev = v[i - 1];
                    if (!(cur == prev || (Double.isNaN(cur) && Double.isNaN(prev)))) {
                        changes++;
                    }
                }
                return changes;
            }
            case RESETS: {
                int resets = 0;
                for (int i = from + 1; i < to; i++) {
                    if (v[i] < v[i - 1]) {
                        resets++;
                    }
                }
                return resets;
            }
            case AVG_OVER_TIME:
                return average(v, from, to);
            case MIN_OVER_TIME: {
                double min = v[from];
                for (int i = from + 1; i < to; i++) {
                    if (v[i] < min || Double.isNaN(min)) {
                        min = v[i];
                    }
                }
                return min;
            }
            case MAX_OVER_TIME: {
                double max = v[from];
                for (int i = from + 1; i < to; i++) {
                    if (v[i] > max || Double.isNaN(max)) {
                        max = v[i];
                    }
                }
                return max;
            }
            case SUM_OVER_TIME: {
                double sum = 0;
                double c = 0;
                for (int i = from; i < to; i++) {
                    double next = sum + v[i];
                    c = FloatMath.compensation(v[i], sum, next, c);
                    sum = next;
                }
                return Double.isInfinite(sum) ? sum : sum + c;
            }
            case COUNT_OVER_TIME:
                return n;
            case STDDEV_OVER_TIME:
                return Math.sqrt(variance(v, from, to));
            case STDVAR_OVER_TIME:
                return variance(v, from, to);
            case LAST_OVER_TIME:
                return v[to - 1];
            case FIRST_OVER_TIME:
                return v[from];
            case TS_OF_FIRST_OVER_TIME:
                return t[from] / 1000.0;
            case TS_OF_LAST_OVER_TIME:
                return t[to - 1] / 1000.0;
            case TS_OF_MAX_OVER_TIME:
            case TS_OF_MIN_OVER_TIME: {
                boolean max = this == TS_OF_MAX_OVER_TIME;
                double best = v[from];
                long bestT = t[from];
                for (int i = from + 1; i < to; i++) {
                    boolean better = max ? v[i] >= best : v[i] <= best;
                    if (better || Double.isNaN(best)) {
                        best = v[i];
                        bestT = t[i];
                    }
                }
                return bestT / 1000.0;
            }
            case PRESENT_OVER_TIME:
                return 1;
            case QUANTILE_OVER_TIME: {
                double[] s = scratch(n);
                System.arraycopy(v, from, s, 0, n);
                return FloatMath.quantile(w.scalars[0], s, n);
            }
            case MAD_OVER_TIME: {
                for (int i = from; i < to; i++) {
                    if (Double.isNaN(v[i])) {
                        return Double.NaN;
                    }
                }
                double[] s = scratch(n);
                System.arraycopy(v, from, s, 0, n);
                double median = FloatMath.quantile(0.5, s, n);
                for (int i = 0; i < n; i++) {
                    s[i] = Math.abs(v[from + i] - median);
                }
                return FloatMath.quantile(0.5, s, n);
            }
            case DOUBLE_EXPONENTIAL_SMOOTHING: {
                if (n < 2) {
                    w.produced = false;
                    return 0;
                }
                double sf = w.scalars[0];
                double tf = w.scalars[1];
                double s0 = 0;
                double s1 = v[from];
                double b = v[from + 1] - v[from];
                for (int i = 1; i < n; i++) {
                    double x = sf * v[from + i];
                    if (i > 1) {
                        b = tf * (s1 - s0) + (1 - tf) * b;
                    }
                    double y = (1 - sf) * (s1 + b);
                    s0 = s1;
                    s1 = x + y;
                }
                return s1;
            }
            default:
                throw new IllegalStateException("unhandled function " + this);
        }
    }

    private static double extrapolatedRate(Window w, boolean isCounter, boolean isRate) {
        if (w.extension != io.strata.plugin.promql.parser.Expr.Extension.NONE) {
            return extendedRate(w, isCounter, isRate);
        }
        int n = w.size();
        if (n < 2) {
            w.produced = false;
            return 0;
        }
        double[] v = w.values;
        long[] t = w.ts;
        int from = w.from;
        int to = w.to;
        double first = v[from];
        double last = v[to - 1];
        double result = last - first;
        boolean mayHaveResets = !w.resetsPrepared || w.resetsBefore[to - 1] != w.resetsBefore[from];
        if (isCounter && mayHaveResets) {
            double prev = first;
            for (int i = from + 1; i < to; i++) {
                if (v[i] < prev) {
                    result += prev;
                }
                prev = v[i];
            }
        }
        long firstT = t[from];
        long lastT = t[to - 1];
        double durationToStart = (firstT - w.rangeStart) / 1000.0;
        double durationToEnd = (w.rangeEnd - lastT) / 1000.0;
        double sampledInterval = (lastT - firstT) / 1000.0;
        double averageBetween = sampledInterval / (n - 1);
        double threshold = averageBetween * 1.1;
        if (durationToStart >= threshold) {
            durationToStart = averageBetween / 2;
        }
        if (isCounter && result > 0 && first >= 0) {
            double durationToZero = sampledInterval * (first / result);
            if (durationToZero < durationToStart) {
                durationToStart = durationToZero;
            }
        }
        if (durationToEnd >= threshold) {
            durationToEnd = averageBetween / 2;
        }
        double factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
        if (isRate) {
            factor /= (w.rangeEnd - w.rangeStart) / 1000.0;
        }
        return result * factor;
    }

    /**
     * rate/increase/delta over an anchored or smoothed window: the window includes the last sample at or before the
     * range start and, when smoothed, the first sample after the range end; smoothed values at the boundaries are
     * interpolated.
     */
    private static double extendedRate(Window w, boolean isCounter, boolean isRate) {
        boolean smoothed = w.extension == io.strata.plugin.promql.parser.Expr.Extension.SMOOTHED;
        long[] t = w.ts;
        double[] v = w.values;
        int from = w.from;
        int last = w.to - 1;
        int firstAfter = from;
        while (firstAfter < last && !(t[firstAfter] > w.rangeStart)) {
            firstAfter++;
        }
        int first = Math.max(from, firstAfter - 1);
        if (smoothed) {
            int k = from;
            while (k < last && !(t[k] >= w.rangeEnd)) {
                k++;
            }
            last = k;
        }
        if (t[last] <= w.rangeStart) {
            w.produced = false;
            return 0;
        }
        double left = smoothed && t[first] < w.rangeStart
                ? interpolate(t[first], v[first], t[first + 1], v[first + 1], w.rangeStart, isCounter, true) : v[first];
        double right = smoothed && last > from && t[last] > w.rangeEnd
                ? interpolate(t[last - 1], v[last - 1], t[last], v[last], w.rangeEnd, isCounter, false) : v[last];
        double result = right - left;
        if (isCounter) {
            int fi = t[first] <= w.rangeStart ? first + 1 : first;
            int li = t[last] >= w.rangeEnd ? last - 1 : last;
            double correction = 0;
            double prev = left;
            for (int i = fi; i <= li; i++) {
                if (v[i] < prev) {
                    correction += prev;
                }
                prev = v[i];
            }
            if (right < prev) {
                correction += prev;
            }
            result += correction;
        }
        if (isRate) {
            result /= (w.rangeEnd - w.rangeStart) / 1000.0;
        }
        return result;
    }

    /** Linear interpolation at time {@code t}; across a counter reset the counter is taken to restart from 0. */
    public static double interpolate(long t1, double y1, long t2, double y2, long t, boolean isCounter, boolean leftEdge) {
        if (isCounter && y2 < y1) {
            y1 = 0;
        }
        return y1 + (y2 - y1) * (double) (t - t1) / (double) (t2 - t1);
    }

    /** Mean with Kahan summation, switching to an incremental mean when the sum overflows (as Prometheus 3). */
    public static double average(double[] v, int from, int to) {
        double sum = v[from];
        double count = 1;
        double mean = 0;
        double c = 0;
        boolean incremental = false;
        for (int i = from + 1; i < to; i++) {
            double x = v[i];
            count = i - from + 1;
            if (!incremental) {
                double newSum = sum + x;
                double newC = FloatMath.compensation(x, sum, newSum, c);
                if (!Double.isInfinite(newSum)) {
                    sum = newSum;
                    c = newC;
                    continue;
                }
                incremental = true;
                mean = sum / (count - 1);
                c /= count - 1;
            }
            if (Double.isInfinite(mean)) {
                if (Double.isInfinite(x) && (mean > 0) == (x > 0)) {
                    continue;
                }
                if (!Double.isInfinite(x) && !Double.isNaN(x)) {
                    continue;
                }
            }
            double q = (count - 1) / count;
            double inc = x / count;
            double base = q * mean;
            double next = base + inc;
            c = FloatMath.compensation(inc, base, next, q * c);
            mean = next;
        }
        if (incremental) {
            return mean + c;
        }
        return sum / count + c / count;
    }

    /** Population variance with Welford's method and Kahan-compensated running values. */
    public static double variance(double[] v, int from, int to) {
        double count = 0;
        double mean = 0;
        double cMean = 0;
        double aux = 0;
        double cAux = 0;
        for (int i = from; i < to; i++) {
            count++;
            double delta = v[i] - (mean + cMean);
            double inc = delta / count;
            double nextMean = mean + inc;
            cMean = FloatMath.compensation(inc, mean, nextMean, cMean);
            mean = nextMean;
            double incAux = delta * (v[i] - (mean + cMean));
            double nextAux = aux + incAux;
            cAux = FloatMath.compensation(incAux, aux, nextAux, cAux);
            aux = nextAux;
        }
        return (aux + cAux) / count;
    }

    /** Least-squares fit of values over seconds since {@code interceptTime}; writes {slope, intercept} to {@code out}. */
    public static void linearRegression(long[] t, double[] v, int from, int to, long interceptTime, double[] out) {
        boolean constY = true;
        double initY = v[from];
        double n = 0;
        double sumX = 0;
        double cX = 0;
        double sumY = 0;
        double cY = 0;
        double sumXY = 0;
        double cXY = 0;
        double sumX2 = 0;
        double cX2 = 0;
        for (int i = from; i < to; i++) {
            if (constY && i > from && v[i] != initY) {
                constY = false;
            }
            n++;
            double x = (t[i] - interceptTime) / 1e3;
            double next = sumX + x;
            cX = FloatMath.compensation(x, sumX, next, cX);
            sumX = next;
            next = sumY + v[i];
            cY = FloatMath.compensation(v[i], sumY, next, cY);
            sumY = next;
            double xy = x * v[i];
            next = sumXY + xy;
            cXY = FloatMath.compensation(xy, sumXY, next, cXY);
            sumXY = next;
            double x2 = x * x;
            next = sumX2 + x2;
            cX2 = FloatMath.compensation(x2, sumX2, next, cX2);
            sumX2 = next;
        }
        if (constY) {
            if (Double.isInfinite(initY)) {
                out[0] = Double.NaN;
                out[1] = Double.NaN;
            } else {
                out[0] = 0;
                out[1] = initY;
            }
            return;
        }
        sumX += cX;
        sumY += cY;
        sumXY += cXY;
        sumX2 += cX2;
        double covXY = sumXY - sumX * sumY / n;
        double varX = sumX2 - sumX * sumX / n;
        double slope = covXY / varX;
        out[0] = slope;
        out[1] = sumY / n - slope * sumX / n;
    }
}
