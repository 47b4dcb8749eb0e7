package io.strata.plugin.query;

/** An API error with Prometheus's errorType and HTTP status. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final String BAD_DATA = "bad_data";
    static final String EXECUTION = "execution";
    static final String TIMEOUT = "timeout";
    static final String CANCELED = "canceled";
    static final String INTERNAL = "internal";
    static final String NOT_FOUND = "not_found";
    static final String UNAVAILABLE = "unavailable";

    private final String type;

    ApiException(String type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    String type() {
        return type;
    }

    /** The HTTP status Prometheus uses for each error type. */
    int httpStatus() {
        return switch (type) {
            case BAD_DATA -> 400;
            case EXECUTION -> 422;
            case CANCELED -> 499;
            case TIMEOUT, UNAVAILABLE -> 503;
            case NOT_FOUND -> 404;
            default -> 500;
        };
    }
}
