package io.strata.plugin.sidecar.internal;

import io.strata.api.metrics.Metrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/** A metrics registry kept in maps, for reading metric values in tests. */
final class FakeMetrics implements Metrics {
    final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    final Map<String, DoubleSupplier> gauges = new ConcurrentHashMap<>();

    @Override
    public Counter counter(String name, String help) {
        AtomicLong value = counters.computeIfAbsent(name, n -> new AtomicLong());
        return new Counter() {
            @Override
            public void inc(long n) {
                value.addAndGet(n);
            }

            @Override
            public long count() {
                return value.get();
            }
        };
    }

    @Override
    public void gauge(String name, String help, DoubleSupplier value) {
        gauges.put(name, value);
    }

    @Override
    public Timer timer(String name, String help) {
        return nanos -> {
        };
    }

    @Override
    public void removeAll() {
        counters.clear();
        gauges.clear();
    }

    long count(String name) {
        AtomicLong v = counters.get(name);
        return v == null ? 0 : v.get();
    }
}
