package io.strata.api.storage;

import java.nio.ByteBuffer;

/** A pull iterator over the chunks of one series, sorted by min time. */
public interface ChunkIterator {
    /** Chunk encoding numbers as Prometheus's chunkenc defines them. */
    int ENCODING_XOR = 1;
    int ENCODING_HISTOGRAM = 2;
    int ENCODING_FLOAT_HISTOGRAM = 3;

    boolean next();

    long minTime();

    long maxTime();

    /** The chunk's encoding, one of the {@code ENCODING_*} numbers. */
    int encoding();

    /** The chunk's data bytes (no length prefix, encoding byte or checksum); position to limit. */
    ByteBuffer bytes();

    default Exception err() {
        return null;
    }
}
