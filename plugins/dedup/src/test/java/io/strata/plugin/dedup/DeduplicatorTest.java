package io.strata.plugin.dedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.api.dedup.Deduplicator;
import io.strata.api.labels.Labels;
import io.strata.api.storage.SampleIterator;
import io.strata.api.storage.SelectHints;
import io.strata.api.storage.Series;
import io.strata.api.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeduplicatorTest {
    private static final Labels A = Labels.of("__name__", "up", "job", "a");
    private static final Labels B = Labels.of("__name__", "up", "job", "b");

    /** A series from (t, v) pairs. */
    private static Series series(Labels labels, double... tv) {
        return new Series() {
            @Override
            public Labels labels() {
                return labels;
            }

            @Override
            public SampleIterator iterator(SampleIterator reuse) {
                return new SampleIterator() {
                    private int i = -2;

                    @Override
                    public boolean next() {
                        i += 2;
                        return i < tv.length;
                    }

                    @Override
                    public boolean seek(long t) {
                        if (i < 0) {
                            i = 0;
                        }
                        while (i < tv.length && tv[i] < t) {
                            i += 2;
                        }
                        return i < tv.length;
                    }

                    @Override
                    public long atT() {
                        return (long) tv[i];
                    }

                    @Override
                    public double atV() {
                        return tv[i + 1];
                    }
                };
            }
        };
    }

    private static double[] drain(SampleIterator it) {
        List<Double> out = new ArrayList<>();
        while (it.next()) {
            out.add((double) it.atT());
            out.add(it.atV());
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static List<Series> all(SeriesSet<Series> set) {
        List<Series> out = new ArrayList<>();
        while (set.next()) {
            out.add(set.at());
        }
        return out;
    }

    private static final SelectHints PLAIN = SelectHints.range(0, 1_000_000);

    @Test
    void penaltyFollowsOneReplicaAndFillsItsGapsFromTheOther() {
        // replica 1 scrapes at 0,10s,20s, then has a gap until 60s; replica 2 is offset by 2s
        Series r1 = series(A, 0, 1, 10_000, 2, 20_000, 3, 60_000, 7, 70_000, 8);
        Series r2 = series(A, 2_000, 1, 12_000, 2, 22_000, 3, 32_000, 4, 42_000, 5, 52_000, 6, 62_000, 7, 72_000, 8);
        List<Series> out = all(new PenaltyDeduplicator(5000).deduplicate(SeriesSet.of(List.of(r1, r2)), PLAIN));
        assertEquals(1, out.size());
        assertEquals(A, out.get(0).labels());
        // after 20s replica 1 has a gap; the penalty (twice the last interval) makes the switch land on 42s,
        // not 32s, and keeps replica 1's return at 60s from interleaving with replica 2
        assertArrayEquals(new double[] {0, 1, 10_000, 2, 20_000, 3, 42_000, 5, 52_000, 6, 62_000, 7, 72_000, 8},
                drain(out.get(0).iterator(null)));
    }

    @Test
    void differentSeriesPassThroughAndGroupsAreAdjacentOnly() {
        Series a1 = series(A, 0, 1);
        Series a2 = series(A, 0, 1);
        Series b = series(B, 5, 2);
        List<Series> out = all(new PenaltyDeduplicator(5000).deduplicate(SeriesSet.of(List.of(a1, a2, b)), PLAIN));
        assertEquals(List.of(A, B), out.stream().map(Series::labels).toList());
        assertArrayEquals(new double[] {0, 1}, drain(out.get(0).iterator(null)));
        assertTrue(b == out.get(1), "a series without replicas passes through untouched");
    }

    @Test
    void counterFunctionsShiftALaggingReplicaUp() {
        // replica 1 ends at 40 (t=20s); replica 2 restarted earlier and lags behind: 25 at 42s
        Series r1 = series(A, 0, 20, 10_000, 30, 20_000, 40);
        Series r2 = series(A, 2_000, 5, 12_000, 10, 22_000, 15, 32_000, 20, 42_000, 25, 52_000, 30);
        SelectHints rate = new SelectHints(0, 100_000, 0, "rate", List.of(), false, 60_000, 0);
        Deduplicator d = new PenaltyDeduplicator(5000);
        double[] adjusted = drain(all(d.deduplicate(SeriesSet.of(List.of(r1, r2)), rate)).get(0).iterator(null));
        assertArrayEquals(new double[] {0, 20, 10_000, 30, 20_000, 40, 42_000, 40, 52_000, 45}, adjusted,
                "after the switch the counter continues from 40 instead of dropping to 25");
        double[] raw = drain(all(d.deduplicate(SeriesSet.of(List.of(r1, r2)), PLAIN)).get(0).iterator(null));
        assertArrayEquals(new double[] {0, 20, 10_000, 30, 20_000, 40, 42_000, 25, 52_000, 30}, raw);
    }

    @Test
    void threeReplicasFold() {
        Series r1 = series(A, 0, 1, 10_000, 1, 20_000, 1);
        Series r2 = series(A, 41_000, 2, 51_000, 2);
        Series r3 = series(A, 81_000, 3, 91_000, 3);
        double[] out = drain(all(new PenaltyDeduplicator(5000).deduplicate(SeriesSet.of(List.of(r1, r2, r3)), PLAIN))
                .get(0).iterator(null));
        // folded pairwise as Thanos does; r3's first sample falls inside the penalty after r2's last
        assertArrayEquals(new double[] {0, 1, 10_000, 1, 20_000, 1, 41_000, 2, 51_000, 2, 91_000, 3}, out);
    }

    /** A replica written every 100 ms from 0 to 20 s, as receivers write it, without the samples in [gapFrom, gapTo). */
    private static Series every100ms(long gapFrom, long gapTo) {
        List<Double> tv = new ArrayList<>();
        for (long t = 0; t <= 20_000; t += 100) {
            if (t < gapFrom || t >= gapTo) {
                tv.add((double) t);
                tv.add((double) t / 100);
            }
        }
        return series(A, tv.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Timestamps of the merged series of three replicas. */
    private static List<Long> mergedTimes(Series... replicas) {
        SampleIterator it = all(new PenaltyDeduplicator(5000).deduplicate(SeriesSet.of(List.of(replicas)), PLAIN)).get(0).iterator(null);
        List<Long> out = new ArrayList<>();
        while (it.next()) {
            out.add(it.atT());
        }
        return out;
    }

    private static long widestStep(List<Long> times) {
        long widest = 0;
        for (int i = 1; i < times.size(); i++) {
            widest = Math.max(widest, times.get(i) - times.get(i - 1));
        }
        return widest;
    }

    @Test
    void identicalTimestampsAGapInTheFollowedReplicaCostsAtMostTwoSamples() {
        // receivers with replication factor 3: one replica (the followed one) is down from 10 s to 15 s
        List<Long> merged = mergedTimes(every100ms(10_000, 15_000), every100ms(0, 0), every100ms(0, 0));
        // the switch lands on lastT + 1 + penalty (2 x 100 ms) of the next replica: 9.9 s, then 10.2 s
        assertEquals(List.of(9_800L, 9_900L, 10_200L, 10_300L), merged.subList(merged.indexOf(9_800L), merged.indexOf(9_800L) + 4));
        assertEquals(300, widestStep(merged));
        assertEquals(20_000L, merged.get(merged.size() - 1));
    }

    @Test
    void identicalTimestampsAGapInTheFollowedReplicaWithinTheInitialPenaltyLastsUntilItEnds() {
        // as Thanos: the first pick seeks the other replicas to first + 1 + 5000 ms (the sampling
        // interval is not known yet), so a gap of the followed replica before 5 s is not filled before 5.1 s
        List<Long> merged = mergedTimes(every100ms(3_000, 8_000), every100ms(0, 0), every100ms(0, 0));
        assertEquals(List.of(2_900L, 5_100L), merged.subList(merged.indexOf(2_900L), merged.indexOf(2_900L) + 2));
        assertEquals(2_200, widestStep(merged));
        // the same gap in a replica that is not followed never shows
        assertEquals(100, widestStep(mergedTimes(every100ms(0, 0), every100ms(3_000, 8_000), every100ms(0, 0))));
        assertEquals(100, widestStep(mergedTimes(every100ms(0, 0), every100ms(0, 0), every100ms(3_000, 8_000))));
    }

    @Test
    void seekDoesNotSkipGaps() {
        Series r1 = series(A, 0, 1, 10_000, 2, 50_000, 6);
        Series r2 = series(A, 1_000, 1, 21_000, 3, 31_000, 4);
        SampleIterator it = all(new PenaltyDeduplicator(5000).deduplicate(SeriesSet.of(List.of(r1, r2)), PLAIN))
                .get(0).iterator(null);
        // the merged stream is 0, 10s, 31s: seek walks it instead of seeking the replicas
        assertTrue(it.seek(20_000));
        assertEquals(31_000, it.atT());
        assertEquals(4, it.atV());
        assertTrue(it.seek(31_000), "seeking to the current sample stays");
        assertEquals(31_000, it.atT());
        assertFalse(it.seek(40_000));
    }

    @Test
    void chainTakesTheUnionFirstReplicaWinsTies() {
        Series r1 = series(A, 0, 1, 20_000, 3);
        Series r2 = series(A, 0, 9, 10_000, 2, 30_000, 4);
        SampleIterator it = all(new ChainDeduplicator().deduplicate(SeriesSet.of(List.of(r1, r2)), PLAIN)).get(0).iterator(null);
        assertArrayEquals(new double[] {0, 1, 10_000, 2, 20_000, 3, 30_000, 4}, drain(it));
        SampleIterator s = all(new ChainDeduplicator().deduplicate(SeriesSet.of(List.of(r1, r2)), PLAIN)).get(0).iterator(null);
        assertTrue(s.seek(15_000));
        assertEquals(20_000, s.atT());
        assertTrue(s.next());
        assertEquals(30_000, s.atT());
    }
}
