package io.strata.plugin.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.strata.api.labels.Labels;
import io.strata.api.storage.AppendException;
import io.strata.api.storage.Appender;
import io.strata.plugin.tsdb.TestData;
import io.strata.plugin.tsdb.block.Block;
import io.strata.plugin.tsdb.chunkenc.XorIterator;
import io.strata.plugin.tsdb.index.ChunkMetas;
import io.strata.plugin.tsdb.index.PostingsLists;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadTest {
    static final long TWO_HOURS = 2 * 3600 * 1000L;

    static HeadOptions options(long window) {
        return new HeadOptions(TWO_HOURS, 120, window, 128 * 1024, 1024 * 1024);
    }

    /** Appending a golden block's samples through the head and writing the range reproduces its bytes. */
    @ParameterizedTest
    @ValueSource(strings = {"golden1", "golden2"})
    void headChunkCuttingReproducesGoldenBlock(String golden, @TempDir Path dir) throws Exception {
        Path src = TestData.goldenBlock(golden);
        try (Block b = Block.open(src); Head head = Head.open(dir.resolve("db"), options(0), Long.MIN_VALUE)) {
            Appender app = head.appender();
            ChunkMetas metas = new ChunkMetas();
            XorIterator it = new XorIterator();
            for (long id : PostingsLists.toArray(b.index().allPostings())) {
                Labels l = b.index().series(id, metas);
                long ref = 0;
                for (int i = 0; i < metas.size(); i++) {
                    it.reset(b.chunks().chunk(metas.ref(i)));
                    while (it.next()) {
                        ref = app.append(ref, l, it.atT(), it.atV());
                    }
                }
            }
            app.commit();
            Files.createDirectories(dir.resolve("out"));
            Path out = head.writeBlock(dir.resolve("out"), b.minTime(), b.maxTime(), null);
            assertArrayEquals(Files.readAllBytes(src.resolve("index")), Files.readAllBytes(out.resolve("index")));
            assertArrayEquals(Files.readAllBytes(src.resolve("chunks/000001")), Files.readAllBytes(out.resolve("chunks/000001")));
        }
    }

    @Test
    void typedRejections(@TempDir Path dir) throws Exception {
        try (Head head = Head.open(dir, options(0), 1000)) {
            Labels l = Labels.of("__name__", "m");
            Appender a = head.appender();
            assertEquals(AppendException.Reason.OUT_OF_BOUNDS, assertThrows(AppendException.class, () -> a.append(0, l, 999, 1)).reason());
            long ref = a.append(0, l, 2000, 1);
            a.commit();
            assertEquals(AppendException.Reason.OUT_OF_ORDER, assertThrows(AppendException.class, () -> a.append(ref, l, 1500, 1)).reason());
            assertEquals(AppendException.Reason.DUPLICATE_SAMPLE, assertThrows(AppendException.class, () -> a.append(ref, l, 2000, 2)).reason());
            a.append(ref, l, 2000, 1); // identical: accepted and ignored
            a.commit();
            assertEquals(1, head.numSeries());
            assertEquals(AppendException.Reason.INVALID_LABELS, assertThrows(AppendException.class, () -> a.append(0, Labels.EMPTY, 3000, 1)).reason());
        }
    }

    /** Builds a string the JVM has not interned, like one decoded from a request. */
    static String fresh(String s) {
        return new String(s.toCharArray());
    }

    @Test
    void seriesShareLabelStringsThroughTheIndex(@TempDir Path dir) throws Exception {
        try (Head head = Head.open(dir, options(0), Long.MIN_VALUE)) {
            Appender a = head.appender();
            long r1 = a.append(0, Labels.of(fresh("__name__"), fresh("up"), fresh("job"), fresh("node"), fresh("pod"), fresh("a")), 1000, 1);
            long r2 = a.append(0, Labels.of(fresh("__name__"), fresh("up"), fresh("job"), fresh("node"), fresh("pod"), fresh("b")), 1000, 1);
            a.commit();
            Labels l1 = head.series(r1).labels;
            Labels l2 = head.series(r2).labels;
            for (int i = 0; i < 3; i++) {
                org.junit.jupiter.api.Assertions.assertSame(l1.name(i), l2.name(i), "name " + i);
            }
            org.junit.jupiter.api.Assertions.assertSame(l1.value(0), l2.value(0));
            org.junit.jupiter.api.Assertions.assertSame(l1.value(1), l2.value(1));
            assertEquals("b", l2.value(2));
            // The shared labels still find their series.
            assertEquals(r2, a.append(0, Labels.of("__name__", "up", "job", "node", "pod", "b"), 2000, 2));
            a.commit();
            assertEquals(2, head.numSeries());
        }
    }
}
