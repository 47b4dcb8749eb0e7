package io.strata.plugin.promql.parser;

/** Binary operators with Prometheus's precedence (higher binds tighter). */
public enum BinaryOp {
    OR("or", 1, Kind.SET),
    AND("and", 2, Kind.SET),
    UNLESS("unless", 2, Kind.SET),
    EQL("==", 3, Kind.COMPARISON),
    NEQ("!=", 3, Kind.COMPARISON),
    LTE("<=", 3, Kind.COMPARISON),
    LSS("<", 3, Kind.COMPARISON),
    GTE(">=", 3, Kind.COMPARISON),
    GTR(">", 3, Kind.COMPARISON),
    ADD("+", 4, Kind.ARITHMETIC),
    SUB("-", 4, Kind.ARITHMETIC),
    MUL("*", 5, Kind.ARITHMETIC),
    DIV("/", 5, Kind.ARITHMETIC),
    MOD("%", 5, Kind.ARITHMETIC),
    ATAN2("atan2", 5, Kind.ARITHMETIC),
    POW("^", 6, Kind.ARITHMETIC);

    /** What family an operator belongs to. */
    public enum Kind {
        SET, COMPARISON, ARITHMETIC
    }

    private final String symbol;
    private final int precedence;
    private final Kind kind;

    BinaryOp(String symbol, int precedence, Kind kind) {
        this.symbol = symbol;
        this.precedence = precedence;
        this.kind = kind;
    }

    public String symbol() {
        return symbol;
    }

    public int precedence() {
        return precedence;
    }

    public boolean isComparison() {
        return kind == Kind.COMPARISON;
    }

    public boolean isSetOperator() {
        return kind == Kind.SET;
    }

    public boolean rightAssociative() {
        return this == POW;
    }

    /** The operator written as {@code symbol}, or null. */
    public static BinaryOp fromSymbol(String symbol) {
        for (BinaryOp op : values()) {
            if (op.symbol.equalsIgnoreCase(symbol)) {
                return op;
            }
        }
        return null;
    }
}
