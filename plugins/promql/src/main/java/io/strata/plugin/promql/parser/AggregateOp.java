package io.strata.plugin.promql.parser;

/** Aggregation operators; some take a parameter of the given type. */
public enum AggregateOp {
    SUM(null), AVG(null), COUNT(null), MIN(null), MAX(null), GROUP(null), STDDEV(null), STDVAR(null),
    TOPK(ValueType.SCALAR), BOTTOMK(ValueType.SCALAR), QUANTILE(ValueType.SCALAR), COUNT_VALUES(ValueType.STRING),
    LIMITK(ValueType.SCALAR), LIMIT_RATIO(ValueType.SCALAR);

    private final ValueType parameterType;

    AggregateOp(ValueType parameterType) {
        this.parameterType = parameterType;
    }

    /** The type of the parameter, or null for operators without one. */
    public ValueType parameterType() {
        return parameterType;
    }

    /** The name as written in PromQL. */
    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The operator named {@code word} (case-insensitive), or null. */
    public static AggregateOp fromKeyword(String word) {
        for (AggregateOp op : values()) {
            if (op.keyword().equalsIgnoreCase(word)) {
                return op;
            }
        }
        return null;
    }
}
