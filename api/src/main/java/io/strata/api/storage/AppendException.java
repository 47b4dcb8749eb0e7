package io.strata.api.storage;

/** A rejected sample, typed as Prometheus types its append errors. */
public final class AppendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a sample was rejected. */
    public enum Reason {
        OUT_OF_ORDER("out of order sample"),
        DUPLICATE_SAMPLE("duplicate sample for timestamp"),
        OUT_OF_BOUNDS("out of bounds"),
        TOO_OLD("too old sample"),
        INVALID_LABELS("invalid labels"),
        LIMIT("limit exceeded");

        private final String message;

        Reason(String message) {
            this.message = message;
        }

        /** Prometheus's wording of the error. */
        public String message() {
            return message;
        }
    }

    private final Reason reason;

    public AppendException(Reason reason, String detail) {
        super(detail == null || detail.isEmpty() ? reason.message() : reason.message() + ": " + detail, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
