package io.strata.plugin.storeapi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.strata.api.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

final class Utf8OrderTest {
    private static int bytewise(String a, String b) {
        return Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
    }

    private static String random(Random r) {
        int[] pool = {'a', 'b', 'z', 0x7F, 0xE9, 0x7FF, 0x800, 0xE000, 0xFFFD, 0x1F600, 0x10FFFF};
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            sb.appendCodePoint(pool[r.nextInt(pool.length)]);
        }
        return sb.toString();
    }

    @Test
    void stringsCompareAsTheirUtf8Bytes() {
        Random r = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            String a = random(r);
            String b = random(r);
            assertEquals(bytewise(a, b), Integer.signum(Utf8Order.compare(a, b)), () -> "'" + a + "' vs '" + b + "'");
        }
    }

    @Test
    void labelSetsCompareNameThenValueAndAPrefixFirst() {
        assertEquals(-1, Integer.signum(Utf8Order.compare(Labels.of("a", "1"), Labels.of("a", "1", "b", "2"))));
        assertEquals(1, Integer.signum(Utf8Order.compare(Labels.of("a", "1", "c", "1"), Labels.of("a", "1", "b", "2"))));
        assertEquals(1, Integer.signum(Utf8Order.compare(Labels.of("a", "\uD83D\uDE00"), Labels.of("a", "\uE000"))));
        assertEquals(0, Utf8Order.compare(Labels.of("a", "1"), Labels.of("a", "1")));
    }
}
