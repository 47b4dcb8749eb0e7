package io.strata.kernel.metrics;

import com.codahale.metrics.Metric;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** A dropwizard timer plus an exact running sum, exposed as a Prometheus summary. */
public final class SummaryTimer implements Metric {
    private final Timer timer = new Timer();
    private final LongAdder sumNanos = new LongAdder();

    public void record(long nanos) {
        timer.update(nanos, TimeUnit.NANOSECONDS);
        sumNanos.add(nanos);
    }

    Snapshot snapshot() {
        return timer.getSnapshot();
    }

    double sumSeconds() {
        return sumNanos.sum() / 1e9;
    }

    long count() {
        return timer.getCount();
    }
}
