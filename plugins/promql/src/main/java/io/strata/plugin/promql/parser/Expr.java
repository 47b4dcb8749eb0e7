package io.strata.plugin.promql.parser;

import io.strata.api.labels.Matcher;
import java.util.List;

/** A node of a parsed PromQL expression. {@link Printer} renders a node back to text. */
public sealed interface Expr permits Expr.NumberLiteral, Expr.StringLiteral, Expr.VectorSelector, Expr.MatrixSelector,
        Expr.Subquery, Expr.Paren, Expr.Unary, Expr.Binary, Expr.Aggregate, Expr.Call {

    /** The type of value the expression evaluates to. */
    ValueType type();

    /** The experimental extended selector modifiers {@code anchored} and {@code smoothed}. */
    enum Extension {
        NONE, ANCHORED, SMOOTHED
    }

    /** How an {@code @} modifier fixes the evaluation time. */
    enum At {
        /** No {@code @} modifier. */
        NONE,
        /** {@code @ <timestamp>}. */
        TIMESTAMP,
        /** {@code @ start()}. */
        START,
        /** {@code @ end()}. */
        END
    }

    /**
     * A float literal; {@code duration} is set when it was written as a duration such as {@code 5m} (the value is
     * then in seconds), so that it prints back as one.
     */
    record NumberLiteral(double value, boolean duration) implements Expr {
        public NumberLiteral(double value) {
            this(value, false);
        }

        /** The same literal with the opposite sign. */
        public NumberLiteral negate() {
            return new NumberLiteral(-value, duration);
        }

        @Override
        public ValueType type() {
            return ValueType.SCALAR;
        }

        @Override
        public String toString() {
            return Printer.print(this);
        }
    }

    /** A string literal. */
    record StringLiteral(String value) implements Expr {
        public StringLiteral {
            if (value == null) {
                throw new IllegalArgumentException("string literal value must not be null");
            }
        }

        @Override
        public ValueType type() {
            return ValueType.STRING;
        }

        @Override
        public String toString() {
            return Printer.print(this);
        }
    }

    /**
     * An instant vector selector. {@code name} is the metric name written before the braces (or null);
     * {@code matchers} include the name matcher. {@code atMillis} is meaningful for {@link At#TIMESTAMP},
     * and for START/END once the engine has resolved them. {@code offsetExpression} is null unless the offset is
     * a duration expression that needs the query's step or range ({@code offset step()}); the engine then fills
     * {@code offsetMillis}.
     */
    record VectorSelector(String name, List<Matcher> matchers, long offsetMillis, At at, long atMillis, Expr offsetExpression,
                          Extension extension) implements Expr {
        public VectorSelector {
            matchers = List.copyOf(matchers);
            if (at == null || extension == null) {
                throw new IllegalArgumentException("at and extension must not be null");
            }
        }

        public VectorSelector(String name, List<Matcher> matchers, long offsetMillis, At at, long atMillis) {
            this(name, matchers, offsetMillis, at, atMillis, null, Extension.NONE);
        }

        public VectorSelector withAt(At newAt, long newAtMillis) {
            return new VectorSelector(name, matchers, offsetMillis, newAt, newAtMillis, offsetExpression, extension);
        }

        public VectorSelector withOffset(long newOffset) {
            return new VectorSelector(name, matchers, newOffset, at, atMillis, offsetExpression, extension);
        }

        public VectorSelector withOffset(long newOffset, Expr newOffsetExpression) {
            return new VectorSelector(name, matchers, newOffset, at, atMillis, newOffsetExpression, extension);
        }

        public VectorSelector withExtension(Extension newExtension) {
            return new VectorSelector(name, matchers, offsetMillis, at, atMillis, offsetExpression, newExtension);
        }

        @Override
        public ValueType type() {
            return ValueType.VECTOR;
        }

        @Override
        public String toString() {
            return Printer.print(this);
        }
    }

    /** A range vector selector {@code selector[range]}; {@code rangeExpression} as for offsets. */
    record MatrixSelector(VectorSelector selector, long rangeMillis, Expr rangeExpression) implements Expr {
        public MatrixSelector {
            if (selector == null) {
                throw new IllegalArgumentException("selector must not be null");
            }
        }

        public MatrixSelector(VectorSelector selector, long rangeMillis) {
            this(selector, rangeMillis, null);
        }

        public MatrixSelector withSelector(VectorSelector newSelector) {
            return new MatrixSelector(newSelector, rangeMillis, rangeExpression);
        }

        @Override
        public ValueType type() {
            return ValueType.MATRIX;
        }

        @Override
        public String toString() {
            return Printer.print(this);
        }
    }

    /**
     * A subquery {@code expr[range:step]}; {@code stepMillis} is 0 when the step is left to the default. The
     * expressions are null unless range, step or offset need the query's step or range.
     */
    record Subquery(Expr expr, long rangeMillis, long stepMillis, long offsetMillis, At at, long atMillis,
                    Expr rangeExpression, Expr stepExpression, Expr offsetExpression) implements Expr {
        public Subquery {
            if (expr == null || at == null) {
                throw new IllegalArgumentException("subquery needs an expression and an at kind");
            }
        }

        public Subquery(Expr expr, long rangeMillis, long stepMillis, long offsetMillis, At at, long atMillis) {
            this(expr, rangeMillis, stepMillis, offsetMillis, at, atMillis, null, null, null);
        }

        public Subquery withAt(At newAt, long newAtMillis) {
            return new Subquery(expr, rangeMillis, stepMillis, offsetMillis, newAt, newAtMillis, rangeExpression, stepExpression,
                    offsetExpression);
        }

        public Subquery withOffset(long newOffset) {
            return new Subquery(expr, rangeMillis, stepMillis, newOffset, at, atMillis, rangeExpression, stepExpression,
                    offsetExpression);
        }

        public Subquery withOffset(long newOffset, Expr newOffsetExpression) {
            return new Subquery(expr, rangeMillis, stepMillis, newOffset, at, atMillis, rangeExpression, stepExpression,
                    newOffsetExpression);
        }

        public Subquery withExpr(Expr newExpr) {
            return new Subquery(newExpr, rangeMillis, stepMillis, offsetMillis, at, atMillis, rangeExpression, stepExpression,
                    offsetExpression);
        }

        public Subquery withDurations(long newRange, long newStep, long newOffset) {
            return new Subquery(expr, newRange, newStep, newOffset, at, atMillis, rangeExpression, stepExpression,
                    offsetExpression);
        }

        @Override
        public ValueType type() {
            return ValueType.MATRIX;
        }

        @Override
        public String toString() {
            return Printer.print(this);
        }
    }

    /** An expression in parentheses. */
    record Paren(Expr expr) implements Expr {
        @Override
        public ValueType type() {
            return expr.type();
        }

        @Override
        public String toString() {
            return Printer.print(this);
        }
    }

    /** Unary minus or plus. */
    record Unary(boolean negate, Expr expr) implements Expr {
        @Override
        public ValueType type() {
            return expr.type();
        }

        @Override
        public String toString() {
            return Printer.print(this);
        }
    }

    /**
     * Label matching of a binary operation between vectors. {@code fillLeft} and {@code fillRight} are the values of
     * the {@code fill_left}/{@code fill_right} modifiers (null when absent): they stand in for a missing series on the
     * "many" side and on the "one" side of the matching respectively.
     */
    record VectorMatching(Cardinality cardinality, List<String> matchingLabels, boolean on, List<String> include,
                          Double fillLeft, Double fillRight) {
        public VectorMatching {
            matchingLabels = List.copyOf(matchingLabels);
            include = List.copyOf(include);
        }

        public VectorMatching(Cardinality cardinality, List<String> matchingLabels, boolean on, List<String> include) {
            this(cardinality, matchingLabels, on, include, null, null);
        }
    }

    /** Cardinality of a vector matching. */
    enum Cardinality {
        ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY
    }

    /** A binary operation; {@code matching} is null unless both sides are vectors. */
    record Binary(BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool) implements Expr {
        @Override
        public ValueType type() {
            return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
        }

        @Override
        public String toString() {
            return Printer.print(this);
        }
    }

    /** An aggregation such as {@code sum by (job) (x)}; {@code param} is null for operators without one. */
    record Aggregate(AggregateOp op, Expr expr, Expr param, List<String> grouping, boolean without, int position) implements Expr {
        public Aggregate {
            grouping = List.copyOf(grouping);
        }

        @Override
        public ValueType type() {
            return ValueType.VECTOR;
        }

        @Override
        public String toString() {
            return Printer.print(this);
        }
    }

    /** A function call; positions are input offsets of the call and of each argument. */
    record Call(FunctionSignature function, List<Expr> args, int position, List<Integer> argPositions) implements Expr {
        public Call {
            args = List.copyOf(args);
            argPositions = List.copyOf(argPositions);
            if (argPositions.size() != args.size()) {
                throw new IllegalArgumentException("one position per argument expected");
            }
        }

        @Override
        public ValueType type() {
            return function.returnType();
        }

        @Override
        public String toString() {
            return Printer.print(this);
        }
    }
}
