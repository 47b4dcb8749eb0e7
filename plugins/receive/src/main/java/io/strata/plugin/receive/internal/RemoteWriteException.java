package io.strata.plugin.receive.internal;

/**
 * A remote-write request that is refused as a whole, with the HTTP status to answer
 * (400 malformed, 413 too large, 415 unsupported media type, ...).
 */
public final class RemoteWriteException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    public RemoteWriteException(int status, String message) {
        super(message, null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error status is 4xx or 5xx, got " + status);
        }
        this.status = status;
    }

    public int status() {
        return status;
    }
}
