package io.strata.plugin.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.AppendException;
import io.strata.api.storage.Appender;
import io.strata.api.storage.Querier;
import io.strata.api.storage.SampleIterator;
import io.strata.api.storage.SeriesSet;
import io.strata.api.storage.Series;
import io.strata.api.storage.StaleMarker;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DbTest {
    static final long H = 3600 * 1000L;

    static DbOptions options() {
        return DbOptions.defaults(2 * H).withWalSegmentSize(64 * 1024);
    }

    /** Number of samples per series and checksum of (t, value bits). */
    static long[] scan(Querier q, Matcher... ms) {
        long n = 0;
        long sum = 0;
        long series = 0;
        SeriesSet<Series> ss = q.select(true, null, ms);
        SampleIterator reuse = null;
        while (ss.next()) {
            series++;
            SampleIterator it = ss.at().iterator(reuse);
            reuse = it;
            long last = Long.MIN_VALUE;
            while (it.next()) {
                assertTrue(it.atT() > last, "ascending timestamps");
                last = it.atT();
                n++;
                sum = sum * 31 + it.atT() + Double.doubleToRawLongBits(it.atV());
            }
            assertNull(it.err());
        }
        assertNull(ss.err());
        return new long[]{series, n, sum};
    }

    static void fill(Db db, int series, long from, long to, long step) {
        Appender a = db.appender();
        long[] refs = new long[series];
        for (long t = from; t < to; t += step) {
            for (int s = 0; s < series; s++) {
                double v = (t / step) % 50 == 49 ? StaleMarker.VALUE : t * 0.5 + s;
                refs[s] = a.append(refs[s], Labels.of("__name__", "m", "s", Integer.toString(s)), t, v);
            }
        }
        a.commit();
    }

    @Test
    void walReplayRestoresTheHead(@TempDir Path dir) throws Exception {
        long[] before;
        try (Db db = Db.open(dir, options())) {
            fill(db, 20, 0, H, 15000);
            before = scan(db.querier(Long.MIN_VALUE, Long.MAX_VALUE));
            assertEquals(20 * 240, before[1]);
        }
        try (Db db = Db.open(dir, options())) {
            assertEquals(List.of(before[0], before[1], before[2]), List.of(scan(db.querier(Long.MIN_VALUE, Long.MAX_VALUE))[0],
                    scan(db.querier(Long.MIN_VALUE, Long.MAX_VALUE))[1], scan(db.querier(Long.MIN_VALUE, Long.MAX_VALUE))[2]));
            // The stale marker bits survive the WAL.
            SeriesSet<Series> ss = db.querier(0, H).select(true, null, Matcher.equal("s", "0"));
            ss.next();
            SampleIterator it = ss.at().iterator(null);
            assertTrue(it.seek(49 * 15000));
            assertTrue(StaleMarker.isStale(it.atV()));
        }
    }

    @Test
    void tornWalTailIsTruncated(@TempDir Path dir) throws Exception {
        try (Db db = Db.open(dir, options())) {
            fill(db, 5, 0, 10 * 15000, 15000);
            fill(db, 5, 10 * 15000, 20 * 15000, 15000);
        }
        Path wal = dir.resolve("wal");
        Path last;
        try (Stream<Path> s = Files.list(wal)) {
            last = s.filter(p -> p.getFileName().toString().matches("[0-9]+")).sorted().reduce((a, b) -> b).orElseThrow();
        }
        // The newest segment may be empty (a new one is started on open); pick the last non-empty one.
        try (Stream<Path> s = Files.list(wal)) {
            last = s.filter(p -> p.getFileName().toString().matches("[0-9]+")).filter(p -> p.toFile().length() > 0).sorted()
                    .reduce((a, b) -> b).orElseThrow();
        }
        long size = Files.size(last);
        try (FileChannel ch = FileChannel.open(last, StandardOpenOption.WRITE)) {
            ch.truncate(size - 10); // tear the last record
        }
        try (Db db = Db.open(dir, options())) {
            long[] r = scan(db.querier(Long.MIN_VALUE, Long.MAX_VALUE));
            assertEquals(5, r[0]);
            assertEquals(50, r[1], "the first commit survives, the torn second one is dropped");
            fill(db, 5, 10 * 15000, 12 * 15000, 15000);
        }
        try (Db db = Db.open(dir, options())) {
            assertEquals(60, scan(db.querier(Long.MIN_VALUE, Long.MAX_VALUE))[1]);
        }
    }

    @Test
    void compactionCutsAlignedBlocksAndTruncatesTheWal(@TempDir Path dir) throws Exception {
        long[] before;
        try (Db db = Db.open(dir, options())) {
            fill(db, 10, 0, 5 * H, 60000);
            before = scan(db.querier(Long.MIN_VALUE, Long.MAX_VALUE));
            assertEquals(1, db.compact());
            assertEquals(1, db.blocks().size());
            assertEquals(0, db.blocks().get(0).minTime());
            assertEquals(2 * H, db.blocks().get(0).maxTime());
            assertEquals(2 * H, db.head().minTime());
            long[] after = scan(db.querier(Long.MIN_VALUE, Long.MAX_VALUE));
            assertEquals(before[1], after[1]);
            assertEquals(before[2], after[2]);
            assertEquals(AppendException.Reason.OUT_OF_BOUNDS,
                    assertThrows(AppendException.class, () -> db.appender().append(0, Labels.of("a", "b"), H, 1)).reason());
        }
        try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().startsWith("checkpoint.")));
        }
        try (Db db = Db.open(dir, options())) {
            long[] again = scan(db.querier(Long.MIN_VALUE, Long.MAX_VALUE));
            assertEquals(before[1], again[1]);
            assertEquals(before[2], again[2]);
        }
    }

    @Test
    void outOfOrderWindowAcceptsRecentOldSamples(@TempDir Path dir) throws Exception {
        try (Db db = Db.open(dir, options().withOutOfOrderWindow(10 * 60000))) {
            Labels l = Labels.of("__name__", "m");
            Appender a = db.appender();
            long ref = a.append(0, l, 20 * 60000, 1);
            a.commit();
            a.append(ref, l, 15 * 60000, 2);
            a.append(ref, l, 12 * 60000, 3);
            a.commit();
            assertEquals(AppendException.Reason.TOO_OLD, assertThrows(AppendException.class, () -> a.append(ref, l, 60000, 1)).reason());
            long[] r = scan(db.querier(Long.MIN_VALUE, Long.MAX_VALUE));
            assertEquals(3, r[1]);
            db.flushHead();
            assertEquals(3, scan(db.querier(Long.MIN_VALUE, Long.MAX_VALUE))[1]);
        }
    }

    @Test
    void retentionDropsOldBlocks(@TempDir Path dir) throws Exception {
        try (Db db = Db.open(dir, options().withRetention(4 * H, 0))) {
            fill(db, 2, 0, 9 * H, 60000);
            db.flushHead();
            assertEquals(5, db.blocks().size());
            db.applyRetention();
            // newest block ends at 10h; blocks ending before 6h go.
            assertEquals(3, db.blocks().size());
            assertEquals(4 * H, db.blocks().get(0).minTime());
        }
    }

    @Test
    void overlappingBlocksAreMergedByCompaction(@TempDir Path dir) throws Exception {
        try (Db db = Db.open(dir, options().withOutOfOrderWindow(3 * H))) {
            fill(db, 3, 0, H, 60000);
            db.flushHead();
            fill(db, 3, 2 * H, 2 * H + 60000, 60000);
            // Samples for the persisted range again (new timestamps) arrive out of order.
            fill(db, 3, 30000, H, 60000);
            db.flushHead();
            assertEquals(3, db.blocks().size());
            long[] before = scan(db.querier(Long.MIN_VALUE, Long.MAX_VALUE));
            db.compactOverlapping();
            assertEquals(2, db.blocks().size());
            long[] after = scan(db.querier(Long.MIN_VALUE, Long.MAX_VALUE));
            assertEquals(before[1], after[1]);
            assertEquals(before[2], after[2]);
            assertEquals(3 * (60 + 60 + 1), after[1]);
        }
    }
}
