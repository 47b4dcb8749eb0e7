package io.strata.plugin.promql.testing;

/** The outcome of one eval statement of a test script; {@code id} is {@code file:line}. */
public record CaseResult(String id, String query, Status status, String reason) {
    /** Whether a case passed, failed or was skipped. */
    public enum Status {
        PASSED, FAILED, SKIPPED
    }

    public CaseResult {
        if (id == null || status == null) {
            throw new IllegalArgumentException("id and status are required");
        }
        reason = reason == null ? "" : reason;
    }
}
