package io.strata.plugin.promql.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClassicHistogramsTest {
    @Test
    void interpolatesWithinTheBucketAndAssumesZeroAsLowerBound() {
        double[] upper = {1, 2, Double.POSITIVE_INFINITY};
        double[] counts = {10, 20, 20};
        int[] flags = new int[1];
        assertEquals(0.5, ClassicHistograms.quantile(0.25, upper.clone(), counts.clone(), 3, flags), 1e-12);
        assertEquals(1.5, ClassicHistograms.quantile(0.75, upper.clone(), counts.clone(), 3, flags), 1e-12);
        assertEquals(0, flags[0]);
    }

    @Test
    void forcesMonotonicityAndReportsIt() {
        double[] upper = {1, 2, Double.POSITIVE_INFINITY};
        double[] counts = {10, 5, 20};
        int[] flags = new int[1];
        ClassicHistograms.quantile(0.5, upper, counts, 3, flags);
        assertTrue((flags[0] & ClassicHistograms.FORCED_MONOTONIC) != 0);
    }

    @Test
    void withoutAnInfBucketTheQuantileIsNaN() {
        assertTrue(Double.isNaN(ClassicHistograms.quantile(0.5, new double[] {1, 2}, new double[] {1, 2}, 2, new int[1])));
    }

    @Test
    void fractionCountsObservationsBetweenBounds() {
        double[] upper = {1, 2, Double.POSITIVE_INFINITY};
        double[] counts = {10, 20, 20};
        assertEquals(0.5, ClassicHistograms.fraction(0, 1, upper.clone(), counts.clone(), 3), 1e-12);
        assertEquals(0.25, ClassicHistograms.fraction(1.5, 2, upper.clone(), counts.clone(), 3), 1e-12);
    }
}
