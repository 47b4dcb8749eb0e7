package io.strata.plugin.promql.parser;

/** The four PromQL value types, named as Prometheus names them in messages. */
public enum ValueType {
    SCALAR("scalar"),
    VECTOR("instant vector"),
    MATRIX("range vector"),
    STRING("string");

    private final String displayName;

    ValueType(String displayName) {
        this.displayName = displayName;
    }

    /** The name used in error messages, for example {@code instant vector}. */
    public String displayName() {
        return displayName;
    }

    /** The name used by the HTTP API's {@code resultType}. */
    public String apiName() {
        return switch (this) {
            case SCALAR -> "scalar";
            case VECTOR -> "vector";
            case MATRIX -> "matrix";
            case STRING -> "string";
        };
    }

    @Override
    public String toString() {
        return displayName;
    }
}
