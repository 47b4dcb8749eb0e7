package io.strata.plugin.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.strata.api.dedup.Deduplicator;
import io.strata.api.discovery.Discovery;
import io.strata.api.labels.Labels;
import io.strata.api.plugin.PluginContext;
import io.strata.api.plugin.Role;
import io.strata.plugin.promql.engine.QueryOptions;
import io.strata.plugin.storeapi.StoreApiServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code query} role (Thanos Querier): PromQL over every StoreAPI endpoint discovery finds,
 * deduplicated by replica labels, behind the Prometheus HTTP API v1, plus {@code /api/v1/stores}.
 */
public final class QueryRole implements Role {
    private static final Logger LOG = LoggerFactory.getLogger(QueryRole.class);
    private static final JsonFactory JSON = new JsonFactory();
    private final PluginContext context;
    private final Config config;
    private final RemoteStore.Connector connector;
    private final List<Discovery> discoveries = new ArrayList<>();
    private final List<PluginContext.Registration> registrations = new ArrayList<>();
    private ExecutorService selectPool;
    private ScheduledExecutorService scheduler;
    private EndpointSet endpoints;
    private volatile boolean ready;

    public QueryRole(PluginContext context, RemoteStore.Connector connector) {
        this.context = context;
        this.config = context.config();
        this.connector = connector;
    }

    @Override
    public void start() throws Exception {
        long infoTimeout = config.getDuration("endpoint-info-timeout").toMillis();
        selectPool = Executors.newFixedThreadPool(config.getInt("max-concurrent-select"), daemon("query-select"));
        scheduler = Executors.newSingleThreadScheduledExecutor(daemon("query-endpoints"));
        endpoints = new EndpointSet(connector, selectPool, infoTimeout, config.getDuration("endpoint-unhealthy-timeout").toMillis());

        Deduplicator dedup = context.create(Deduplicator.class, config.getConfig("dedup"));
        Deduplicator chain = context.create(Deduplicator.class, ConfigFactory.empty().withValue("type", ConfigValueFactory.fromAnyRef("chain")));
        List<String> defaultReplicaLabels = config.getStringList("replica-labels");
        long selectTimeout = config.getDuration("endpoint-select-timeout").toMillis();
        boolean partialDefault = config.getBoolean("partial-response");
        QueryOptions options = new QueryOptions(config.getDuration("lookback-delta").toMillis(),
                config.getDuration("timeout").toMillis(), config.getLong("max-samples"),
                config.getDuration("default-evaluation-interval").toMillis(), () -> false);
        // metric metadata of the endpoints that serve it (sidecars: their Prometheus's), merged
        MetadataView metadata = new MetadataView(endpoints::healthy, selectPool, selectTimeout);
        // and exemplars, replicas deduplicated as series are
        ExemplarsView exemplars = new ExemplarsView(endpoints::healthy, selectPool, selectTimeout);
        PrometheusHttpApi api = new PrometheusHttpApi(request -> {
            List<String> replicaLabels = request.replicaLabels().isEmpty() ? defaultReplicaLabels : request.replicaLabels();
            boolean partial = request.partialResponse() == null ? partialDefault : request.partialResponse();
            return new ProxyQueryable(endpoints::healthy, selectPool, request.dedup() ? dedup : null, chain, replicaLabels,
                    partial, selectTimeout);
        }, options, config.getInt("max-concurrent"), metadata, exemplars, defaultReplicaLabels, partialDefault);
        registrations.addAll(api.register(context));
        // the merged, deduplicated view with the default settings, for StoreAPI and remote read
        ProxyQueryable view = new ProxyQueryable(endpoints::healthy, selectPool, dedup, chain, defaultReplicaLabels,
                partialDefault, selectTimeout);
        ChunkEncodingQueryable chunkView = new ChunkEncodingQueryable(view, config.getInt("store-api.samples-per-chunk"));
        if (config.getBoolean("remote-read.enabled")) {
            registrations.add(context.route("/api/v1/read", new RemoteReadHandler(() -> view, () -> chunkView,
                    config.getMemorySize("remote-read.max-request-size").toBytes())));
        }
        if (config.getBoolean("store-api.enabled")) {
            // queriers stack: this one's merged, deduplicated view is itself a StoreAPI endpoint
            StoreApiServer server = new StoreApiServer(chunkView, Labels.EMPTY, "query", this::timeRange).withMetricMetadata(metadata)
                    .withExemplars((query, start, end) -> exemplars.exemplars(query, start, end, defaultReplicaLabels, partialDefault).series());
            for (Object service : server.services()) {
                registrations.add(context.grpcService(service));
            }
        }
        registrations.add(context.route("/api/v1/stores", (req, resp) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writeStores(out);
            resp.status(200);
            resp.header("Content-Type", "application/json");
            try (OutputStream body = resp.body()) {
                out.writeTo(body);
            }
        }));

        List<Config> sources = new ArrayList<>();
        List<String> addresses = config.getStringList("endpoint-addresses");
        if (!addresses.isEmpty()) {
            sources.add(ConfigFactory.parseMap(Map.of("type", "static", "addresses", addresses), "strata.query.endpoint-addresses"));
        }
        List<String> sdFiles = config.getStringList("sd-files");
        if (!sdFiles.isEmpty()) {
            sources.add(ConfigFactory.parseMap(Map.of("type", "file", "files", sdFiles), "strata.query.sd-files"));
        }
        sources.addAll(config.getConfigList("endpoints"));
        for (int i = 0; i < sources.size(); i++) {
            int source = i;
            Discovery d = context.create(Discovery.class, sources.get(i));
            discoveries.add(d);
            d.start(list -> endpoints.update(source, list));
        }
        long interval = config.getDuration("endpoint-info-interval").toMillis();
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                endpoints.check();
                ready = true;
            } catch (RuntimeException e) {
                LOG.error("endpoint check failed", e);
            }
        }, 0, interval, TimeUnit.MILLISECONDS);
        LOG.info("query role started with {} discovery source(s), replica labels {}", sources.size(), defaultReplicaLabels);
    }

    private void writeStores(OutputStream out) throws java.io.IOException {
        Map<String, List<EndpointSet.State>> byType = new LinkedHashMap<>();
        for (EndpointSet.State s : endpoints.states()) {
            String type = s.endpoint() == null ? "unknown" : s.endpoint().componentType();
            byType.computeIfAbsent(type, t -> new ArrayList<>()).add(s);
        }
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("status", "success");
            g.writeObjectFieldStart("data");
            for (Map.Entry<String, List<EndpointSet.State>> e : byType.entrySet()) {
                g.writeArrayFieldStart(e.getKey());
                for (EndpointSet.State s : e.getValue()) {
                    g.writeStartObject();
                    g.writeStringField("name", s.address());
                    g.writeStringField("lastCheck", s.lastCheck() == null ? null : s.lastCheck().toString());
                    if (s.lastError() == null) {
                        g.writeNullField("lastError");
                    } else {
                        g.writeStringField("lastError", s.lastError());
                    }
                    g.writeBooleanField("healthy", endpoints.isHealthy(s));
                    g.writeArrayFieldStart("labelSets");
                    for (Labels l : EndpointSet.labelSets(s)) {
                        ApiJson.labels(g, l);
                    }
                    g.writeEndArray();
                    if (s.endpoint() != null) {
                        g.writeNumberField("minTime", s.endpoint().minTime());
                        g.writeNumberField("maxTime", s.endpoint().maxTime());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    /** The span of the healthy endpoints' data, for this querier's own Info. */
    private StoreApiServer.TimeRange timeRange() {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Endpoint e : endpoints.healthy()) {
            min = Math.min(min, e.minTime());
            max = Math.max(max, e.maxTime());
        }
        return min > max ? StoreApiServer.TimeRange.EMPTY : new StoreApiServer.TimeRange(min, max);
    }

    /** Endpoints currently known (for tests and status pages). */
    public EndpointSet endpoints() {
        return endpoints;
    }

    @Override
    public boolean ready() {
        return ready;
    }

    @Override
    public void stop(Duration grace) {
        registrations.forEach(PluginContext.Registration::close);
        registrations.clear();
        for (Discovery d : discoveries) {
            d.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (selectPool != null) {
            selectPool.shutdown();
            try {
                selectPool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            selectPool.shutdownNow();
        }
        if (endpoints != null) {
            endpoints.close();
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
