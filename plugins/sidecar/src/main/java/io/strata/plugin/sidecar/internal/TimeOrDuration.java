package io.strata.plugin.sidecar.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A time given as Thanos's {@code --min-time} takes it: an RFC 3339 timestamp, or a duration relative
 * to now in Prometheus's syntax ({@code -2h}, {@code -1d12h}, {@code 30m}); empty means unbounded.
 */
final class TimeOrDuration {
    private static final Pattern DURATION = Pattern.compile("(-)?((?:\\d+(?:y|w|d|h|ms|m|s))+)");
    private static final Pattern PART = Pattern.compile("(\\d+)(y|w|d|h|ms|m|s)");

    private final long absoluteMillis;
    private final long relativeMillis;
    private final boolean relative;
    private final LongSupplier clock;

    private TimeOrDuration(long absoluteMillis, long relativeMillis, boolean relative, LongSupplier clock) {
        this.absoluteMillis = absoluteMillis;
        this.relativeMillis = relativeMillis;
        this.relative = relative;
        this.clock = clock;
    }

    /** Parses the setting; {@code clock} gives "now" in milliseconds for relative values. */
    static TimeOrDuration parse(String text, LongSupplier clock) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(clock, "clock");
        String s = text.trim();
        if (s.isEmpty()) {
            return new TimeOrDuration(Long.MIN_VALUE, 0, false, clock);
        }
        Matcher d = DURATION.matcher(s);
        if (d.matches()) {
            long millis = 0;
            Matcher part = PART.matcher(d.group(2));
            while (part.find()) {
                long n = Long.parseLong(part.group(1));
                millis += n * switch (part.group(2)) {
                    case "y" -> 365L * 24 * 3_600_000L;
                    case "w" -> 7L * 24 * 3_600_000L;
                    case "d" -> 24L * 3_600_000L;
                    case "h" -> 3_600_000L;
                    case "m" -> 60_000L;
                    case "s" -> 1_000L;
                    default -> 1L;
                };
            }
            return new TimeOrDuration(0, d.group(1) != null ? -millis : millis, true, clock);
        }
        try {
            return new TimeOrDuration(OffsetDateTime.parse(s).toInstant().toEpochMilli(), 0, false, clock);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expected an RFC 3339 time (2024-01-02T15:04:05Z) or a duration relative to now (-2h), got '"
                    + text + "'");
        }
    }

    /** The time in milliseconds now. */
    long millis() {
        return relative ? clock.getAsLong() + relativeMillis : absoluteMillis;
    }

    @Override
    public String toString() {
        return relative ? relativeMillis + "ms from now" : absoluteMillis == Long.MIN_VALUE ? "unbounded" : Instant.ofEpochMilli(absoluteMillis).toString();
    }
}
