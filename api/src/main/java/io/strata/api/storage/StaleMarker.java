package io.strata.api.storage;

/** Prometheus's staleness marker: one specific NaN bit pattern. */
public final class StaleMarker {
    /** The bits of the stale NaN as Prometheus writes them. */
    public static final long BITS = 0x7ff0000000000002L;
    public static final double VALUE = Double.longBitsToDouble(BITS);

    private StaleMarker() {
    }

    public static boolean isStale(double v) {
        return Double.doubleToRawLongBits(v) == BITS;
    }
}
