package io.strata.plugin.query;

import io.strata.api.labels.Labels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints the querier knows: addresses from discovery, each polled with Info on an interval.
 * An endpoint whose Info has failed for longer than the unhealthy timeout (or never succeeded)
 * is left out of queries and shown with its last error.
 */
public final class EndpointSet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointSet.class);
    private final RemoteStore.Connector connector;
    private final ExecutorService executor;
    private final long infoTimeoutMillis;
    private final long unhealthyAfterMillis;
    private final Map<Integer, List<String>> discovered = new ConcurrentHashMap<>();
    private final Map<String, State> states = new ConcurrentHashMap<>();

    /** What is known about one address. */
    public static final class State {
        final String address;
        final RemoteStore store;
        volatile Endpoint endpoint;
        volatile long lastCheck;
        volatile long lastSuccess;
        volatile String lastError = "not checked yet";

        State(String address, RemoteStore store) {
            this.address = address;
            this.store = store;
        }

        public String address() {
            return address;
        }

        public Endpoint endpoint() {
            return endpoint;
        }

        public Instant lastCheck() {
            return lastCheck == 0 ? null : Instant.ofEpochMilli(lastCheck);
        }

        public String lastError() {
            return lastError;
        }
    }

    public EndpointSet(RemoteStore.Connector connector, ExecutorService executor, long infoTimeoutMillis, long unhealthyAfterMillis) {
        this.connector = connector;
        this.executor = executor;
        this.infoTimeoutMillis = infoTimeoutMillis;
        this.unhealthyAfterMillis = unhealthyAfterMillis;
    }

    /** The whole address list of discovery number {@code source}. */
    public void update(int source, List<String> addresses) {
        discovered.put(source, List.copyOf(addresses));
        Set<String> all = new TreeSet<>();
        discovered.values().forEach(all::addAll);
        for (String a : all) {
            states.computeIfAbsent(a, addr -> {
                LOG.info("adding endpoint {}", addr);
                return new State(addr, connector.connect(addr));
            });
        }
        for (String a : new ArrayList<>(states.keySet())) {
            if (!all.contains(a)) {
                State gone = states.remove(a);
                LOG.info("removing endpoint {}", a);
                gone.store.close();
            }
        }
    }

    /** Calls Info on every endpoint, in parallel, and waits for the answers. */
    public void check() {
        List<State> all = new ArrayList<>(states.values());
        List<Future<?>> futures = new ArrayList<>();
        for (State s : all) {
            futures.add(executor.submit(() -> check(s)));
        }
        for (int i = 0; i < futures.size(); i++) {
            try {
                futures.get(i).get(infoTimeoutMillis + 1000, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                futures.get(i).cancel(true);
                State s = all.get(i);
                s.lastCheck = System.currentTimeMillis();
                s.lastError = "info timed out after " + infoTimeoutMillis + "ms";
            }
        }
    }

    private void check(State s) {
        long now = System.currentTimeMillis();
        try {
            RemoteStore.Info info = s.store.info();
            boolean wasHealthy = healthy(s, now);
            s.endpoint = new Endpoint(s.address, info.componentType(), info.labelSets(), info.minTime(), info.maxTime(),
                    s.store.queryable(), info.metricMetadata() ? s.store.metricMetadata() : null,
                    info.exemplars() ? s.store.exemplars() : null);
            s.lastSuccess = now;
            s.lastError = null;
            if (!wasHealthy) {
                LOG.info("endpoint {} is healthy: {} with labels {}", s.address, info.componentType(), info.labelSets());
            }
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            if (s.lastError == null || !s.lastError.equals(message)) {
                LOG.warn("endpoint {} info failed: {}", s.address, message);
            }
            s.lastError = message;
        } finally {
            s.lastCheck = now;
        }
    }

    private boolean healthy(State s, long now) {
        return s.endpoint != null && s.lastSuccess > 0 && now - s.lastSuccess <= unhealthyAfterMillis;
    }

    /** Endpoints to query now. */
    public List<Endpoint> healthy() {
        long now = System.currentTimeMillis();
        List<Endpoint> out = new ArrayList<>();
        for (State s : states.values()) {
            if (healthy(s, now)) {
                out.add(s.endpoint);
            }
        }
        out.sort((a, b) -> a.address().compareTo(b.address()));
        return out;
    }

    /** Every known endpoint with its state, sorted by address. */
    public List<State> states() {
        List<State> out = new ArrayList<>(states.values());
        out.sort((a, b) -> a.address.compareTo(b.address));
        return out;
    }

    /** True when the endpoint is used by queries. */
    public boolean isHealthy(State s) {
        return healthy(s, System.currentTimeMillis());
    }

    @Override
    public void close() {
        for (State s : states.values()) {
            s.store.close();
        }
        states.clear();
    }

    /** Labels of an endpoint for display. */
    static List<Labels> labelSets(State s) {
        return s.endpoint == null ? List.of() : s.endpoint.labelSets();
    }
}
