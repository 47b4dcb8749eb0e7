package io.strata.api.storage;

/**
 * A pull iterator over the float samples of one series, in ascending timestamp order.
 * Implementations are reusable and allocate nothing per sample.
 */
public interface SampleIterator {
    /** Advances to the next sample; false when exhausted or on error (see {@link #err()}). */
    boolean next();

    /**
     * Advances to the first sample with timestamp at or after {@code t}; does nothing when the
     * current sample already qualifies. False when no such sample exists.
     */
    boolean seek(long t);

    /** Timestamp of the current sample, in milliseconds. */
    long atT();

    /** Value of the current sample; stale markers keep their exact NaN bits. */
    double atV();

    /** The error that ended iteration early, or null. */
    default Exception err() {
        return null;
    }

    /** An iterator with no samples. */
    SampleIterator EMPTY = new SampleIterator() {
        @Override
        public boolean next() {
            return false;
        }

        @Override
        public boolean seek(long t) {
            return false;
        }

        @Override
        public long atT() {
            throw new IllegalStateException("empty iterator");
        }

        @Override
        public double atV() {
            throw new IllegalStateException("empty iterator");
        }
    };
}
