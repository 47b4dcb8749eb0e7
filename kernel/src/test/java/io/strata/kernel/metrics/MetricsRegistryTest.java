package io.strata.kernel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.api.metrics.Metrics;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MetricsRegistryTest {
    @Test
    void writesPrometheusTextFormat() throws Exception {
        MetricsRegistry r = new MetricsRegistry();
        r.counter(MetricsRegistry.key("x_requests_total", "code", "200"), "Requests.").inc(3);
        r.counter(MetricsRegistry.key("x_requests_total", "code", "500"), "Requests.").inc();
        r.gauge("x_temperature", "Temperature\nwith newline.", () -> Double.POSITIVE_INFINITY);
        r.timer("x_latency_seconds", "Latency.").record(2_000_000_000L);
        StringWriter w = new StringWriter();
        r.writeText(w);
        String text = w.toString();
        assertTrue(text.contains("# TYPE x_requests_total counter\nx_requests_total{code=\"200\"} 3\nx_requests_total{code=\"500\"} 1\n"), text);
        assertTrue(text.contains("# HELP x_temperature Temperature\\nwith newline.\n"), text);
        assertTrue(text.contains("x_temperature +Inf\n"), text);
        assertTrue(text.contains("x_latency_seconds_sum 2\nx_latency_seconds_count 1\n"), text);
        assertTrue(text.contains("x_latency_seconds{quantile=\"0.5\"} 2\n"), text);
    }

    @Test
    void scopesRemoveWhatTheyRegistered() throws Exception {
        MetricsRegistry r = new MetricsRegistry();
        Metrics scope = r.scope();
        scope.counter("plugin_things_total", "Things.").inc();
        StringWriter before = new StringWriter();
        r.writeText(before);
        assertTrue(before.toString().contains("plugin_things_total 1"));
        scope.removeAll();
        StringWriter after = new StringWriter();
        r.writeText(after);
        assertFalse(after.toString().contains("plugin_things_total"));
    }

    @Test
    void rejectsBadNamesAndTypeClashes() {
        MetricsRegistry r = new MetricsRegistry();
        assertThrows(IllegalArgumentException.class, () -> r.counter("no_suffix", "x"));
        assertThrows(IllegalArgumentException.class, () -> r.gauge("bad-name", "x", () -> 1));
        r.gauge("clash", "x", () -> 1);
        assertThrows(IllegalArgumentException.class, () -> r.timer("clash", "x"));
        assertEquals("1.5", MetricsRegistry.formatValue(1.5));
        assertEquals("NaN", MetricsRegistry.formatValue(Double.NaN));
    }
}
