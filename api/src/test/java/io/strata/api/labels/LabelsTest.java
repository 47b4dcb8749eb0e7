package io.strata.api.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabelsTest {
    @Test
    void sortsDropsEmptyValuesAndLooksUp() {
        Labels l = Labels.of("job", "api", "__name__", "up", "empty", "", "instance", "a:1");
        assertEquals(3, l.size());
        assertEquals(List.of("__name__", "instance", "job"), l.names());
        assertEquals("api", l.get("job"));
        assertEquals("", l.get("missing"));
        assertEquals("{__name__=\"up\", instance=\"a:1\", job=\"api\"}", l.toString());
    }

    @Test
    void comparesLikePrometheus() {
        Labels a = Labels.of("a", "1");
        Labels ab = Labels.of("a", "1", "b", "2");
        Labels b = Labels.of("b", "1");
        assertTrue(a.compareTo(ab) < 0);
        assertTrue(ab.compareTo(b) < 0);
        assertEquals(0, a.compareTo(Labels.of("a", "1")));
        assertEquals(a, Labels.of("a", "1"));
    }

    @Test
    void sortsByCodePointLikeGo() {
        String high = new String(Character.toChars(0x1F600)); // above U+FFFF: a surrogate pair in Java
        String bmp = "\uFF01";
        assertTrue(Labels.compareUtf8(bmp, high) < 0, "U+FF01 sorts before U+1F600 in UTF-8 order");
        assertTrue(bmp.compareTo(high) > 0, "while UTF-16 order says the opposite");
        assertEquals(List.of("a" + bmp, "a" + high), Labels.of("a" + high, "1", "a" + bmp, "2").names());
        assertTrue(Labels.of("x", bmp).compareTo(Labels.of("x", high)) < 0);
    }

    @Test
    void withoutAndKeep() {
        Labels l = Labels.of("__name__", "x", "a", "1", "b", "2");
        assertEquals(Labels.of("a", "1", "b", "2"), l.withoutMetricName());
        assertEquals(Labels.of("b", "2"), l.keep(List.of("b")));
        assertEquals(Labels.of("__name__", "x"), l.without(List.of("a", "b")));
        assertEquals(Labels.of("__name__", "x", "b", "2"), l.keep(List.of("b", "__name__", "missing")));
        assertEquals(Labels.of("a", "1"), l.without(java.util.Set.of("b", "__name__", "missing")));
        assertSame(Labels.EMPTY, l.keep(List.of()));
        assertSame(Labels.EMPTY, l.keep(List.of("missing")));
        assertSame(Labels.EMPTY, l.without(List.of("a", "b", "__name__")));
        assertSame(l, l.keep(List.of("a", "b", "__name__")));
        assertSame(l, l.without(List.of()));
        assertSame(l, l.without(List.of("missing")));
        assertSame(Labels.EMPTY, Labels.EMPTY.keep(List.of("a")));
    }

    @Test
    void quotesLikeGo() {
        assertEquals("{a=\"x\\\"y\\\\z\\n\"}", Labels.of("a", "x\"y\\z\n").toString());
    }

    @Test
    void rejectsOddPairs() {
        assertThrows(IllegalArgumentException.class, () -> Labels.of("a"));
        assertFalse(Labels.EMPTY.has("a"));
    }
}
