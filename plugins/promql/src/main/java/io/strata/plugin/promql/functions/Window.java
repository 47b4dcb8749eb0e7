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
    /** Scratch output of the linear regression: slope, intercept. */
    final double[] regression = new double[2];
    /** Set to false by a function that yields no sample for this window. */
    public boolean produced;

    public int size() {
        return to - from;
    }
}
