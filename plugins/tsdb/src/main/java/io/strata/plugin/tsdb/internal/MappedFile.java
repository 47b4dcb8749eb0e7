package io.strata.plugin.tsdb.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Memory-maps a whole file read-only (files up to 2 GiB). */
public final class MappedFile {
    private MappedFile() {
    }

    public static ByteBuffer map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new IOException(file + ": " + size + " bytes is larger than the 2 GiB a single mapping supports");
            }
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return m.order(ByteOrder.BIG_ENDIAN);
        }
    }
}
