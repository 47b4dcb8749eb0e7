package io.strata.plugin.tsdb.index;

/**
 * A pull iterator over ascending series references (series IDs in a block index, series refs in
 * the head). Primitive, no boxing.
 */
public interface Postings {
    /** Advances; false when exhausted. */
    boolean next();

    /**
     * Advances to the first reference at or after {@code v}; does nothing when the current one
     * already qualifies. False when none is left.
     */
    boolean seek(long v);

    /** The current reference. */
    long at();

    /** The error that ended iteration, or null. */
    default Exception err() {
        return null;
    }
}
