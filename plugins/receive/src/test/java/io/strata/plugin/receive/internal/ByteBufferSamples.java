package io.strata.plugin.receive.internal;

import io.strata.api.storage.ChunkIterator;

/** Reads the sample count of an XOR chunk: its first two bytes, big-endian. */
final class ByteBufferSamples {
    private ByteBufferSamples() {
    }

    static int count(ChunkIterator it) {
        java.nio.ByteBuffer b = it.bytes();
        return ((b.get(b.position()) & 0xFF) << 8) | (b.get(b.position() + 1) & 0xFF);
    }
}
