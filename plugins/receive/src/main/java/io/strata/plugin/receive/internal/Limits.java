package io.strata.plugin.receive.internal;

/**
 * A tenant's write limits (0 = unlimited): compressed request size, series and samples per request,
 * and active series in the tenant's head.
 */
public record Limits(long sizeBytes, long series, long samples, long headSeries) {
    public static final Limits NONE = new Limits(0, 0, 0, 0);

    public Limits {
        if (sizeBytes < 0 || series < 0 || samples < 0 || headSeries < 0) {
            throw new IllegalArgumentException("limits must not be negative: " + sizeBytes + ", " + series + ", " + samples + ", " + headSeries);
        }
    }
}
