package io.strata.api.storage;

import io.strata.api.labels.Labels;

/** One series as encoded chunks, so chunk bytes can travel without re-encoding. */
public interface ChunkSeries {
    Labels labels();

    ChunkIterator chunks(ChunkIterator reuse);
}
