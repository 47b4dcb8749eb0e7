package io.strata.plugin.dedup;

import io.strata.api.storage.SampleIterator;

/** Merges two replicas of a series with the penalty algorithm (see {@link PenaltyDeduplicator}). */
final class PenaltyIterator implements SampleIterator {
    private final Adjustable a;
    private final Adjustable b;
    private final long initialPenalty;
    private boolean aOk;
    private boolean bOk;
    private boolean started;
    private boolean useA;
    private long lastT = Long.MIN_VALUE;
    private long penaltyA;
    private long penaltyB;

    PenaltyIterator(SampleIterator a, SampleIterator b, boolean counter, long initialPenalty) {
        this.a = new Adjustable(a, counter);
        this.b = new Adjustable(b, counter);
        this.initialPenalty = initialPenalty;
    }

    @Override
    public boolean next() {
        boolean hadValue = started && (useA ? aOk : bOk);
        double lastValue = hadValue ? atV() : 0;
        boolean wasA = useA;
        if (!started) {
            started = true;
            aOk = a.next();
            bOk = b.next();
        } else {
            if (aOk) {
                aOk = a.seek(lastT + 1 + penaltyA);
            }
            if (bOk) {
                bOk = b.seek(lastT + 1 + penaltyB);
            }
        }
        boolean result = pick();
        if (result && hadValue && useA != wasA) {
            // switched replicas: a counter must not appear to go down
            if (aOk) {
                a.adjustTo(lastValue);
            }
            if (bOk) {
                b.adjustTo(lastValue);
            }
        }
        return result;
    }

    private boolean pick() {
        if (!aOk) {
            useA = false;
            if (bOk) {
                lastT = b.atT();
                penaltyB = 0;
            }
            return bOk;
        }
        if (!bOk) {
            useA = true;
            lastT = a.atT();
            penaltyA = 0;
            return true;
        }
        long ta = a.atT();
        long tb = b.atT();
        useA = ta <= tb;
        if (useA) {
            penaltyB = lastT == Long.MIN_VALUE ? initialPenalty : 2 * (ta - lastT);
            penaltyA = 0;
            lastT = ta;
        } else {
            penaltyA = lastT == Long.MIN_VALUE ? initialPenalty : 2 * (tb - lastT);
            penaltyB = 0;
            lastT = tb;
        }
        return true;
    }

    @Override
    public boolean seek(long t) {
        // step with next() rather than seeking the replicas, so gaps are not skipped over
        if (!started && !next()) {
            return false;
        }
        while (true) {
            if (!(useA ? aOk : bOk)) {
                return false;
            }
            if (atT() >= t) {
                return true;
            }
            if (!next()) {
                return false;
            }
        }
    }

    @Override
    public long atT() {
        return useA ? a.atT() : b.atT();
    }

    @Override
    public double atV() {
        return useA ? a.atV() : b.atV();
    }

    @Override
    public Exception err() {
        Exception e = a.err();
        return e != null ? e : b.err();
    }

    /** A replica whose values can be shifted up after a switch (counters only). */
    private static final class Adjustable implements SampleIterator {
        private final SampleIterator inner;
        private final boolean counter;
        private double adjustment;

        Adjustable(SampleIterator inner, boolean counter) {
            this.inner = inner;
            this.counter = counter;
        }

        void adjustTo(double lastValue) {
            if (counter) {
                double v = atV();
                if (lastValue > v) {
                    adjustment += lastValue - v;
                }
            }
        }

        @Override
        public boolean next() {
            return inner.next();
        }

        @Override
        public boolean seek(long t) {
            return inner.seek(t);
        }

        @Override
        public long atT() {
            return inner.atT();
        }

        @Override
        public double atV() {
            return inner.atV() + adjustment;
        }

        @Override
        public Exception err() {
            return inner.err();
        }
    }
}
