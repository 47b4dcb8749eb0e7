package io.strata.plugin.tsdb;

import java.nio.file.Path;

/**
 * On-disk data that fails a format check (magic, version, checksum, bounds). The message names the
 * file, the byte offset and what was wrong.
 */
public final class CorruptionException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final long offset;

    public CorruptionException(Path file, long offset, String problem) {
        super(file + " at offset " + offset + ": " + problem, null, true, false);
        this.file = file;
        this.offset = offset;
    }

    /** The file, or null when the data did not come from a file. */
    public Path file() {
        return file;
    }

    /** The byte offset in the file where the problem was found. */
    public long offset() {
        return offset;
    }
}
