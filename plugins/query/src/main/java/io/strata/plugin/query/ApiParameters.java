package io.strata.plugin.query;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Parses time and duration parameters the way Prometheus's HTTP API does. */
final class ApiParameters {
    /** Prometheus's "minimum time" and "maximum time" for absent start/end: far enough to cover everything. */
    static final long MIN_TIME = -9223309901257974L;
    static final long MAX_TIME = 9223309901257974L;

    private ApiParameters() {
    }

    /** Unix seconds (with fraction) or RFC 3339, to milliseconds. */
    static long time(String name, String value) {
        try {
            BigDecimal seconds = new BigDecimal(value.trim());
            return seconds.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
        } catch (NumberFormatException | ArithmeticException notNumeric) {
            try {
                return OffsetDateTime.parse(value.trim()).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new ApiException(ApiException.BAD_DATA, "invalid parameter \"" + name + "\": cannot parse \"" + value
                        + "\" to a valid timestamp");
            }
        }
    }

    /** Float seconds or a Prometheus duration (1h30m, 500ms), to milliseconds. */
    static long duration(String name, String value) {
        String v = value.trim();
        try {
            double seconds = Double.parseDouble(v);
            if (Double.isNaN(seconds) || Double.isInfinite(seconds) || seconds * 1000 >= Long.MAX_VALUE) {
                throw new ApiException(ApiException.BAD_DATA, "invalid parameter \"" + name + "\": cannot parse \"" + value
                        + "\" to a valid duration. It overflows int64");
            }
            return Math.round(seconds * 1000);
        } catch (NumberFormatException notNumeric) {
            try {
                return io.strata.plugin.promql.parser.Durations.parse(v);
            } catch (RuntimeException e) {
                throw new ApiException(ApiException.BAD_DATA, "invalid parameter \"" + name + "\": cannot parse \"" + value
                        + "\" to a valid duration");
            }
        }
    }
}
