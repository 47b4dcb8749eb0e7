package io.strata.plugin.promql.engine;

/** A failed query, typed like Prometheus's API error types so an HTTP layer can map it. */
public final class QueryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Prometheus's {@code errorType} values. */
    public enum Kind {
        /** The expression does not parse or type-check ({@code bad_data}, HTTP 400). */
        BAD_DATA("bad_data"),
        /** The query ran out of time ({@code timeout}, HTTP 503). */
        TIMEOUT("timeout"),
        /** The caller cancelled the query ({@code canceled}, HTTP 503). */
        CANCELED("canceled"),
        /** Evaluation failed ({@code execution}, HTTP 422). */
        EXECUTION("execution"),
        /** Storage failed ({@code internal}, HTTP 500). */
        INTERNAL("internal");

        private final String apiName;

        Kind(String apiName) {
            this.apiName = apiName;
        }

        public String apiName() {
            return apiName;
        }
    }

    private final Kind kind;

    public QueryException(Kind kind, String message) {
        this(kind, message, null);
    }

    public QueryException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
