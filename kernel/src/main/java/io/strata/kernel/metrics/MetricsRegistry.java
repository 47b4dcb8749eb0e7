package io.strata.kernel.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import io.strata.api.metrics.Metrics;
import java.io.IOException;
import java.io.Writer;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * The process's metrics: a dropwizard {@link MetricRegistry} keyed by the Prometheus series
 * name ({@code name} or {@code name{label="value",...}}), plus help text and type per metric
 * family, written in the Prometheus text exposition format (version 0.0.4).
 */
public final class MetricsRegistry {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private final MetricRegistry registry = new MetricRegistry();
    private final Map<String, Family> families = new ConcurrentHashMap<>();

    private record Family(String help, String type) {
    }

    /** A scope that remembers what it registered, so a plugin's metrics can be removed with it. */
    public Metrics scope() {
        return new Scope();
    }

    /** A counter; the family name must end in {@code _total}. */
    public Counter counter(String key, String help) {
        String family = family(key, help, "counter");
        if (!family.endsWith("_total")) {
            throw new IllegalArgumentException("counter name must end in _total: " + family);
        }
        return registry.counter(key);
    }

    /** A gauge read when scraped; registering the same key again replaces the supplier. */
    public void gauge(String key, String help, DoubleSupplier value) {
        family(key, help, "gauge");
        registry.remove(key);
        registry.register(key, (Gauge<Double>) value::getAsDouble);
    }

    /** A counter whose value is read when scraped (for counts kept elsewhere, like CPU time). */
    public void counterFunction(String key, String help, DoubleSupplier value) {
        family(key, help, "counter");
        registry.remove(key);
        registry.register(key, new CounterFunction(value));
    }

    /** A latency summary in seconds (quantiles over a decaying sample, exact sum and count). */
    public SummaryTimer timer(String key, String help) {
        family(key, help, "summary");
        Metric m = registry.getMetrics().get(key);
        if (m instanceof SummaryTimer t) {
            return t;
        }
        try {
            return registry.register(key, new SummaryTimer());
        } catch (IllegalArgumentException raced) {
            return (SummaryTimer) registry.getMetrics().get(key);
        }
    }

    public void remove(String key) {
        registry.remove(key);
    }

    private String family(String key, String help, String type) {
        int brace = key.indexOf('{');
        String family = brace < 0 ? key : key.substring(0, brace);
        if (!NAME.matcher(family).matches()) {
            throw new IllegalArgumentException("invalid metric name '" + family + "'");
        }
        Family existing = families.putIfAbsent(family, new Family(help, type));
        if (existing != null && !existing.type.equals(type)) {
            throw new IllegalArgumentException("metric " + family + " is a " + existing.type + ", not a " + type);
        }
        return family;
    }

    /** Writes every metric in the Prometheus text format, families sorted by name. */
    public void writeText(Writer out) throws IOException {
        SortedMap<String, SortedMap<String, Metric>> byFamily = new TreeMap<>();
        registry.getMetrics().forEach((key, metric) -> {
            int brace = key.indexOf('{');
            String family = brace < 0 ? key : key.substring(0, brace);
            byFamily.computeIfAbsent(family, f -> new TreeMap<>()).put(key, metric);
        });
        StringBuilder sb = new StringBuilder(4096);
        for (Map.Entry<String, SortedMap<String, Metric>> e : byFamily.entrySet()) {
            String family = e.getKey();
            Family meta = families.getOrDefault(family, new Family(family, "untyped"));
            sb.append("# HELP ").append(family).append(' ').append(escapeHelp(meta.help)).append('\n');
            sb.append("# TYPE ").append(family).append(' ').append(meta.type).append('\n');
            for (Map.Entry<String, Metric> m : e.getValue().entrySet()) {
                String key = m.getKey();
                String labels = key.length() > family.length() ? key.substring(family.length() + 1, key.length() - 1) : "";
                writeSeries(sb, family, labels, m.getValue());
            }
        }
        out.write(sb.toString());
    }

    private static void writeSeries(StringBuilder sb, String family, String labels, Metric metric) {
        if (metric instanceof Counter c) {
            sample(sb, family, labels, "", c.getCount());
        } else if (metric instanceof CounterFunction f) {
            sample(sb, family, labels, "", f.value.getAsDouble());
        } else if (metric instanceof Gauge<?> g) {
            Object v = g.getValue();
            sample(sb, family, labels, "", v instanceof Number n ? n.doubleValue() : Double.NaN);
        } else if (metric instanceof SummaryTimer t) {
            var snapshot = t.snapshot();
            for (double q : new double[] {0.5, 0.9, 0.99}) {
                String ql = "quantile=\"" + q + "\"";
                sample(sb, family, labels.isEmpty() ? ql : labels + "," + ql, "", snapshot.getValue(q) / 1e9);
            }
            sample(sb, family + "_sum", labels, "", t.sumSeconds());
            sample(sb, family + "_count", labels, "", t.count());
        }
    }

    private static void sample(StringBuilder sb, String name, String labels, String suffix, double v) {
        sb.append(name).append(suffix);
        if (!labels.isEmpty()) {
            sb.append('{').append(labels).append('}');
        }
        sb.append(' ').append(formatValue(v)).append('\n');
    }

    static String formatValue(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** Renders a label set for a registry key: {@code name{a="x",b="y"}}. */
    public static String key(String name, String... labelPairs) {
        if (labelPairs.length == 0) {
            return name;
        }
        StringBuilder sb = new StringBuilder(name).append('{');
        for (int i = 0; i < labelPairs.length; i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(labelPairs[i]).append("=\"")
                    .append(labelPairs[i + 1].replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                    .append('"');
        }
        return sb.append('}').toString();
    }

    private static final class CounterFunction implements Metric {
        private final DoubleSupplier value;

        CounterFunction(DoubleSupplier value) {
            this.value = value;
        }
    }

    private final class Scope implements Metrics {
        private final Set<String> keys = ConcurrentHashMap.newKeySet();

        @Override
        public Metrics.Counter counter(String name, String help) {
            com.codahale.metrics.Counter c = MetricsRegistry.this.counter(name, help);
            keys.add(name);
            return new Metrics.Counter() {
                @Override
                public void inc(long n) {
                    c.inc(n);
                }

                @Override
                public long count() {
                    return c.getCount();
                }
            };
        }

        @Override
        public void gauge(String name, String help, DoubleSupplier value) {
            MetricsRegistry.this.gauge(name, help, value);
            keys.add(name);
        }

        @Override
        public Metrics.Timer timer(String name, String help) {
            SummaryTimer t = MetricsRegistry.this.timer(name, help);
            keys.add(name);
            return t::record;
        }

        @Override
        public void removeAll() {
            keys.forEach(MetricsRegistry.this::remove);
            keys.clear();
        }
    }
}
