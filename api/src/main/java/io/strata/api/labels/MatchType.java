package io.strata.api.labels;

/** The four Prometheus label matcher operators. */
public enum MatchType {
    EQUAL("="),
    NOT_EQUAL("!="),
    REGEX("=~"),
    NOT_REGEX("!~");

    private final String operator;

    MatchType(String operator) {
        this.operator = operator;
    }

    /** The operator as written in PromQL. */
    public String operator() {
        return operator;
    }
}
