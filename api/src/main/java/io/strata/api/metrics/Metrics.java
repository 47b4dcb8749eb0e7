package io.strata.api.metrics;

/**
 * The process's metrics registry as plugins see it. Names follow Prometheus conventions;
 * registering the same name twice returns the same metric.
 */
public interface Metrics {
    Counter counter(String name, String help);

    /** A gauge whose value is read when scraped. */
    void gauge(String name, String help, java.util.function.DoubleSupplier value);

    /** A latency histogram in seconds. */
    Timer timer(String name, String help);

    /** Removes every metric this scope registered (called when its plugin goes away). */
    void removeAll();

    /** A monotonically increasing count. */
    interface Counter {
        void inc(long n);

        default void inc() {
            inc(1);
        }

        long count();
    }

    /** Records durations. */
    interface Timer {
        void record(long nanos);
    }
}
