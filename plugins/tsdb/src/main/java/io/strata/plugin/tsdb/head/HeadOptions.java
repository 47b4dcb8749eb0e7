package io.strata.plugin.tsdb.head;

/**
 * Settings of the head. {@code chunkRange} is the block duration (chunks never cross a multiple of
 * it); {@code outOfOrderWindow} 0 disables out-of-order samples; a null WAL directory means no WAL.
 */
public record HeadOptions(long chunkRange, int samplesPerChunk, long outOfOrderWindow, long walSegmentSize, long headChunkFileSize) {
    public HeadOptions {
        if (chunkRange <= 0) {
            throw new IllegalArgumentException("chunk range must be positive, got " + chunkRange);
        }
        if (samplesPerChunk < 4 || samplesPerChunk > 30000) {
            throw new IllegalArgumentException("samples per chunk must be in [4, 30000], got " + samplesPerChunk);
        }
        if (outOfOrderWindow < 0) {
            throw new IllegalArgumentException("out-of-order window must not be negative, got " + outOfOrderWindow);
        }
    }
}
