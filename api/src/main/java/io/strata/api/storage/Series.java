package io.strata.api.storage;

import io.strata.api.labels.Labels;

/** One series: its labels and its samples. */
public interface Series {
    Labels labels();

    /** An iterator over the samples; {@code reuse} may be recycled when it is of the right kind. */
    SampleIterator iterator(SampleIterator reuse);
}
