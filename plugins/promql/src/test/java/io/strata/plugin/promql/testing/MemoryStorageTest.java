package io.strata.plugin.promql.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.LabelHints;
import io.strata.api.storage.Querier;
import io.strata.api.storage.SampleIterator;
import io.strata.api.storage.SelectHints;
import io.strata.api.storage.Series;
import io.strata.api.storage.SeriesSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryStorageTest {
    @Test
    void selectsByMatchersWithinTheQuerierRange() {
        MemoryStorage s = new MemoryStorage();
        Labels a = Labels.of("__name__", "up", "job", "a");
        Labels b = Labels.of("__name__", "up", "job", "b");
        for (int i = 0; i < 10; i++) {
            assertTrue(s.append(a, i * 1000L, i));
            assertTrue(s.append(b, i * 1000L, -i));
        }
        assertFalse(s.append(a, 5000, 1), "out-of-order samples are refused");
        try (Querier q = s.querier(2000, 4000)) {
            SeriesSet<Series> set = q.select(true, SelectHints.range(2000, 4000), Matcher.equal("job", "a"));
            assertTrue(set.next());
            SampleIterator it = set.at().iterator(null);
            assertTrue(it.seek(0));
            assertEquals(2000, it.atT());
            assertTrue(it.next());
            assertTrue(it.next());
            assertEquals(4000, it.atT());
            assertFalse(it.next());
            assertFalse(set.next());
            assertEquals(List.of("a", "b"), q.labelValues("job", LabelHints.NONE));
            assertEquals(List.of("__name__", "job"), q.labelNames(LabelHints.NONE, Matcher.equal("job", "b")));
        }
    }
}
