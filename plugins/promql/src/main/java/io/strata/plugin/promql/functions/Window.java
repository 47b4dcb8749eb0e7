package io.strata.plugin.promql.functions;

/**
 * A view of the float samples of one series inside one range-selector window: {@code ts[from..to)} and
 * {@code values[from..to)}, for the range {@code (rangeStart, rangeEnd]} evaluated at {@code stepTime}.
 * Reused across steps and series; a function that has no result clears {@link #produced}.
 */
public final class Window {
    public long[] ts;
    public double[] values;
    public int from;
    public int to;
    public long rangeStart;
    public long rangeEnd;
    public long stepTime;
    /** Scalar arguments of the call at this step, in declaration order (excluding the range argument). */
    public double[] scalars = new double[2];
    /** Whether the range selector is {@code anchored} or {@code smoothed} (the window then holds boundary samples). */
    public io.strata.plugin.promql.parser.Expr.Extension extension = io.strata.plugin.promql.parser.Expr.Extension.NONE;
    /**
     * When set, {@code resetsBefore[i]} is the number of counter resets among samples {@code 0..i} of the series, so a
     * function can tell in O(1) whether a window contains one. Null when not prepared.
     */
    public int[] resetsBefore;

    /** Prepares {@link #resetsBefore} for the series in {@code values[0..n)}, reusing the array when large enough. */
    public void prepareResets(int n) {
        if (resetsBefore == null || resetsBefore.length < n) {
            resetsBefore = new int[Math.max(n, 64)];
        }
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && values[i] < values[i - 1]) {
                count++;
            }
            resetsBefore[i] = count;
        }
        resetsPrepared = true;
    }

    /** Whether {@link #resetsBefore} describes the current series. */
    public boolean resetsPrepared;

    /** Scratch output of the linear regression: slope, intercept. */
    final double[] regression = new double[2];
    /** Set to false by a function that yields no sample for this window. */
    public boolean produced;

    public int size() {
        return to - from;
    }
}
