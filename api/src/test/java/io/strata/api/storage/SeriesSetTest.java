package io.strata.api.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesSetTest {
    @Test
    void mapTurnsEachSeriesOnceAndKeepsTheSourcesErrorAndWarnings() {
        IllegalStateException failure = new IllegalStateException("store gone");
        SeriesSet<String> source = new SeriesSet<>() {
            private final SeriesSet<String> inner = SeriesSet.of(List.of("a", "b"));
            private boolean ended;

            @Override
            public boolean next() {
                ended = !inner.next();
                return !ended;
            }

            @Override
            public String at() {
                return inner.at();
            }

            @Override
            public Exception err() {
                return ended ? failure : null;
            }

            @Override
            public List<String> warnings() {
                return ended ? List.of("partial") : List.of();
            }
        };
        List<String> applied = new ArrayList<>();
        SeriesSet<Integer> lengths = SeriesSet.map(source, s -> {
            applied.add(s);
            return s.length() * 10 + applied.size();
        });

        assertTrue(lengths.next());
        assertEquals(11, lengths.at());
        assertEquals(11, lengths.at(), "at() does not map again");
        assertTrue(lengths.next());
        assertEquals(12, lengths.at());
        assertNull(lengths.err());
        assertFalse(lengths.next());
        assertNull(lengths.at());
        assertEquals(List.of("a", "b"), applied);
        assertSame(failure, lengths.err());
        assertEquals(List.of("partial"), lengths.warnings());
    }
}
