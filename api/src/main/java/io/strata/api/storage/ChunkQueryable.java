package io.strata.api.storage;

/** A source of chunk queriers over time ranges. */
public interface ChunkQueryable {
    ChunkQuerier chunkQuerier(long minTime, long maxTime);
}
