package io.strata.plugin.promql.parser;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The declared signature of a PromQL function. {@code variadic} is 0 for a fixed argument count,
 * n &gt; 0 when the last n arguments are optional, and -1 when the last argument repeats without limit.
 */
public record FunctionSignature(String name, List<ValueType> argTypes, int variadic, ValueType returnType, boolean experimental) {
    public FunctionSignature {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("function name must not be empty");
        }
        argTypes = List.copyOf(argTypes);
    }

    private static final Map<String, FunctionSignature> FUNCTIONS = new HashMap<>();

    private static void define(String name, ValueType ret, int variadic, ValueType... args) {
        FUNCTIONS.put(name, new FunctionSignature(name, List.of(args), variadic, ret, false));
    }

    private static void experimental(String name, ValueType ret, int variadic, ValueType... args) {
        FUNCTIONS.put(name, new FunctionSignature(name, List.of(args), variadic, ret, true));
    }

    static {
        ValueType s = ValueType.SCALAR;
        ValueType v = ValueType.VECTOR;
        ValueType m = ValueType.MATRIX;
        ValueType str = ValueType.STRING;
        for (String f : new String[] {"abs", "ceil", "exp", "floor", "ln", "log2", "log10", "sqrt", "sgn", "deg", "rad",
                "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh", "tan", "tanh",
                "absent", "sort", "sort_desc", "timestamp", "histogram_avg", "histogram_count", "histogram_sum",
                "histogram_stddev", "histogram_stdvar"}) {
            define(f, v, 0, v);
        }
        for (String f : new String[] {"day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute",
                "month", "year"}) {
            define(f, v, 1, v);
        }
        for (String f : new String[] {"rate", "irate", "increase", "delta", "idelta", "deriv", "changes", "resets",
                "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time",
                "stddev_over_time", "stdvar_over_time", "last_over_time", "present_over_time", "absent_over_time",
                "mad_over_time", "first_over_time", "ts_of_first_over_time", "ts_of_last_over_time",
                "ts_of_max_over_time", "ts_of_min_over_time"}) {
            define(f, v, 0, m);
        }
        define("quantile_over_time", v, 0, s, m);
        define("predict_linear", v, 0, m, s);
        define("double_exponential_smoothing", v, 0, m, s, s);
        define("clamp", v, 0, v, s, s);
        define("clamp_max", v, 0, v, s);
        define("clamp_min", v, 0, v, s);
        define("round", v, 1, v, s);
        define("histogram_quantile", v, 0, s, v);
        define("histogram_quantiles", v, -1, v, str, s);
        define("histogram_fraction", v, 0, s, s, v);
        define("label_replace", v, 0, v, str, str, str, str);
        define("label_join", v, -1, v, str, str, str);
        define("sort_by_label", v, -1, v, str);
        define("sort_by_label_desc", v, -1, v, str);
        define("pi", s, 0);
        define("time", s, 0);
        define("scalar", s, 0, v);
        define("vector", v, 0, s);
        experimental("info", v, 1, v, v);
        experimental("step", s, 0);
        experimental("start", s, 0);
        experimental("min_of", s, 0, s, s);
        experimental("max_of", s, 0, s, s);
        experimental("end", s, 0);
        experimental("range", s, 0);
    }

    /** The function named {@code name}, or null. */
    public static FunctionSignature lookup(String name) {
        return FUNCTIONS.get(name);
    }
}
