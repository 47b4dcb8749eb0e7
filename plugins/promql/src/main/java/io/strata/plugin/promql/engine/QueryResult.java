package io.strata.plugin.promql.engine;

import io.strata.plugin.promql.parser.ValueType;
import java.util.List;

/**
 * The value of a query plus the warnings and infos Prometheus would attach to it. {@code totalSamples} counts the
 * samples the evaluation looked at, as Prometheus's {@code stats.samples.totalQueryableSamples} does (a sample in
 * several range windows counts once per window).
 */
public record QueryResult(Value value, List<String> warnings, List<String> infos, long totalSamples) {
    public QueryResult {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null");
        }
        warnings = List.copyOf(warnings);
        infos = List.copyOf(infos);
    }

    /** A query result value. */
    public sealed interface Value permits ScalarValue, StringValue, VectorValue, MatrixValue {
        ValueType type();
    }

    /** A scalar at a time. */
    public record ScalarValue(long timestamp, double value) implements Value {
        @Override
        public ValueType type() {
            return ValueType.SCALAR;
        }
    }

    /** A string at a time. */
    public record StringValue(long timestamp, String value) implements Value {
        @Override
        public ValueType type() {
            return ValueType.STRING;
        }
    }

    /** An instant vector, in the order the engine produced it (sorted unless the query sorts). */
    public record VectorValue(List<Sample> samples) implements Value {
        public VectorValue {
            samples = List.copyOf(samples);
        }

        @Override
        public ValueType type() {
            return ValueType.VECTOR;
        }
    }

    /** A range vector: series sorted by labels. */
    public record MatrixValue(List<SeriesPoints> series) implements Value {
        public MatrixValue {
            series = List.copyOf(series);
        }

        @Override
        public ValueType type() {
            return ValueType.MATRIX;
        }
    }

    /** One element of an instant vector. */
    public record Sample(io.strata.api.labels.Labels labels, long timestamp, double value) {
    }

    /** One series of a range vector; {@code timestamps} and {@code values} have equal length. */
    public record SeriesPoints(io.strata.api.labels.Labels labels, long[] timestamps, double[] values) {
        public SeriesPoints {
            if (timestamps.length != values.length) {
                throw new IllegalArgumentException("timestamps and values differ in length");
            }
        }
    }
}
