package io.strata.plugin.sidecar.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TimeOrDurationTest {
    @Test
    void absoluteRelativeAndUnbounded() {
        long now = 1_700_000_000_000L;
        assertEquals(Long.MIN_VALUE, TimeOrDuration.parse("", () -> now).millis());
        assertEquals(1_700_000_000_000L - 7_200_000L, TimeOrDuration.parse("-2h", () -> now).millis());
        assertEquals(now - 86_400_000L - 1_800_000L - 500, TimeOrDuration.parse("-1d30m500ms", () -> now).millis());
        assertEquals(1_704_207_845_000L, TimeOrDuration.parse("2024-01-02T15:04:05Z", () -> now).millis());
        assertEquals(-62_167_219_200_000L, TimeOrDuration.parse("0000-01-01T00:00:00Z", () -> now).millis());
    }

    @Test
    void garbageIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TimeOrDuration.parse("yesterday", () -> 0));
        assertThrows(IllegalArgumentException.class, () -> TimeOrDuration.parse("-2x", () -> 0));
    }
}
