package io.strata.plugin.promql.engine;

import io.strata.api.labels.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * An instant vector evaluated at every step of a grid, stored column-wise: one {@link Column} per series with
 * primitive arrays of values and presence flags. Nothing is allocated per sample.
 */
final class StepVector {
    final int steps;
    final List<Column> columns;

    StepVector(int steps) {
        this(steps, new ArrayList<>());
    }

    StepVector(int steps, List<Column> columns) {
        if (steps <= 0) {
            throw new IllegalArgumentException("steps must be positive, got " + steps);
        }
        this.steps = steps;
        this.columns = columns;
    }

    long points() {
        long n = 0;
        for (Column c : columns) {
            n += c.count();
        }
        return n;
    }

    /** One series over all steps. */
    static final class Column {
        Labels labels;
        final double[] values;
        final boolean[] present;
        boolean dropName;

        Column(Labels labels, int steps) {
            this.labels = labels;
            this.values = new double[steps];
            this.present = new boolean[steps];
        }

        Column(Labels labels, double[] values, boolean[] present, boolean dropName) {
            this.labels = labels;
            this.values = values;
            this.present = present;
            this.dropName = dropName;
        }

        void set(int step, double v) {
            values[step] = v;
            present[step] = true;
        }

        int count() {
            int n = 0;
            for (boolean p : present) {
                if (p) {
                    n++;
                }
            }
            return n;
        }

        boolean any() {
            for (boolean p : present) {
                if (p) {
                    return true;
                }
            }
            return false;
        }

        /** The labels as they will be reported once a pending name removal is applied. */
        Labels finalLabels() {
            return dropName ? MetadataLabels.drop(labels) : labels;
        }
    }
}
