package io.strata.plugin.tsdb.index;

import java.util.List;

/** What matcher evaluation needs from an inverted index (a block index or the head). */
public interface IndexLookup {
    /** Series with the label pair; empty postings when absent. */
    Postings postings(String name, String value);

    /** Every series. */
    Postings allPostings();

    /** The values of a label, sorted in Go string order; empty when the name is unknown. */
    List<String> labelValues(String name);
}
