package io.strata.plugin.discovery.internal;

import io.strata.api.discovery.Discovery;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed list of endpoints. Plain addresses are reported as they are; when some endpoints are DNS
 * names, they are looked up at start and again every interval, and the listener hears of the list
 * whenever it changes. A list without DNS names is reported once and needs no thread.
 */
public final class EndpointsDiscovery implements Discovery {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointsDiscovery.class);

    private final String name;
    private final List<Endpoint> endpoints;
    private final EndpointResolver resolver;
    private final Duration interval;
    private ListPublisher publisher;
    private Thread thread;
    private volatile boolean closed;

    /**
     * @param name the discovery's name, for its thread and log messages
     * @param endpoints the endpoints
     * @param resolver looks up the DNS endpoints
     * @param interval how often DNS endpoints are looked up again; positive
     */
    public EndpointsDiscovery(String name, List<Endpoint> endpoints, EndpointResolver resolver, Duration interval) {
        this.name = Objects.requireNonNull(name, "name");
        this.endpoints = List.copyOf(Objects.requireNonNull(endpoints, "endpoints"));
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.interval = Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
    }

    @Override
    public synchronized void start(Consumer<List<String>> listener) {
        Objects.requireNonNull(listener, "listener");
        if (publisher != null) {
            throw new IllegalStateException("discovery " + name + " is already started");
        }
        if (closed) {
            throw new IllegalStateException("discovery " + name + " is closed");
        }
        publisher = new ListPublisher(listener);
        publisher.publish(resolver.resolve(endpoints));
        if (endpoints.stream().anyMatch(Endpoint::needsLookup)) {
            thread = DaemonThreads.start(name, this::run);
        }
    }

    /** Looks the endpoints up again and tells the listener if the list changed; false when not started. */
    boolean refresh() {
        ListPublisher p;
        synchronized (this) {
            p = publisher;
        }
        return p != null && p.publish(resolver.resolve(endpoints));
    }

    private void run() {
        while (!closed) {
            try {
                TimeUnit.NANOSECONDS.sleep(interval.toNanos());
            } catch (InterruptedException interrupted) {
                return;
            }
            if (closed) {
                return;
            }
            try {
                refresh();
            } catch (RuntimeException failed) {
                LOG.error("discovery {}: refreshing failed", name, failed);
            }
        }
    }

    /** The background thread, or null when there is none. */
    synchronized Thread thread() {
        return thread;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public String toString() {
        return "discovery " + name;
    }
}
