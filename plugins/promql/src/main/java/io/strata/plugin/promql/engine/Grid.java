package io.strata.plugin.promql.engine;

/** The evaluation times of a query or subquery: start, start+step, ..., up to end (inclusive). */
record Grid(long start, long end, long step) {
    Grid {
        if (end < start) {
            throw new IllegalArgumentException("grid end " + end + " before start " + start);
        }
        if (step <= 0 && end != start) {
            throw new IllegalArgumentException("grid step must be positive, got " + step);
        }
    }

    int steps() {
        return step <= 0 ? 1 : (int) ((end - start) / step) + 1;
    }

    long time(int i) {
        return start + i * step;
    }
}
