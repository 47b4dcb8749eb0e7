package io.strata.plugin.receive.internal;

/**
 * What became of a write: samples stored, samples refused by the storage (by kind), and the HTTP
 * status the request earns. Thanos's precedence decides the status: unavailable, then not ready,
 * then conflict (409); a request whose samples were all stored answers 200.
 */
public final class WriteOutcome {
    /** The kinds of failure, in the order Thanos prefers them when several occur. */
    public enum Failure {
        NONE(200),
        BAD_REQUEST(400),
        CONFLICT(409),
        TOO_MANY_SERIES(429),
        NOT_READY(503),
        UNAVAILABLE(503);

        private final int status;

        Failure(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private long samplesWritten;
    private long conflicts;
    private Failure failure = Failure.NONE;
    private String message = "";

    public long samplesWritten() {
        return samplesWritten;
    }

    public long conflicts() {
        return conflicts;
    }

    public Failure failure() {
        return failure;
    }

    /** The first error message of the failure that decides the status, or "". */
    public String message() {
        return message;
    }

    public int status() {
        return failure.status();
    }

    public void addWritten(long n) {
        samplesWritten += n;
    }

    public void addConflict(String why) {
        conflicts++;
        fail(Failure.CONFLICT, why);
    }

    /** Records a failure; the most severe kind (and its first message) wins. */
    public void fail(Failure kind, String why) {
        if (kind == null || kind == Failure.NONE) {
            throw new IllegalArgumentException("a failure kind is required");
        }
        if (kind.ordinal() > failure.ordinal()) {
            failure = kind;
            message = why == null ? "" : why;
        } else if (kind == failure && message.isEmpty() && why != null) {
            message = why;
        }
    }

    /** Adds another outcome's counts and failure to this one. */
    public void merge(WriteOutcome other) {
        samplesWritten += other.samplesWritten;
        conflicts += other.conflicts;
        if (other.failure != Failure.NONE) {
            fail(other.failure, other.message);
        }
    }
}
