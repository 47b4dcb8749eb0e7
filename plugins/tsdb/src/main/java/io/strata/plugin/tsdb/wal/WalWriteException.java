package io.strata.plugin.tsdb.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A commit could not be written to the write-ahead log (for example the disk is full). Nothing of
 * the batch was applied to the head and the log was cut back to where the batch began, so samples
 * committed before are unaffected. The message names the WAL segment and the cause.
 */
public final class WalWriteException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;
    private final transient Path segment;

    public WalWriteException(Path segment, String what, IOException cause) {
        super("WAL write failed in segment " + segment + ": " + cause + "; " + what, cause);
        this.segment = segment;
    }

    /** The segment file whose write failed. */
    public Path segment() {
        return segment;
    }
}
