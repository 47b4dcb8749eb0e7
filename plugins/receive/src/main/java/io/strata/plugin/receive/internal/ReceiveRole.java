package io.strata.plugin.receive.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.strata.api.http.HttpRequest;
import io.strata.api.http.HttpResponse;
import io.strata.api.labels.Labels;
import io.strata.api.objstore.Bucket;
import io.strata.api.plugin.PluginContext;
import io.strata.api.plugin.Role;
import io.strata.plugin.storeapi.StoreApiServer;
import io.strata.plugin.tsdb.DbOptions;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code receive} role. Without a hashring it is an ingester: remote write into one TSDB per
 * tenant, served as StoreAPI and WriteableStore, blocks shipped to the bucket. With a hashring it
 * routes series to the ring's endpoints (replicated, with write quorum), and ingests the series the
 * ring places on its own local endpoint when one is set.
 */
public final class ReceiveRole implements Role {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiveRole.class);

    private final PluginContext context;
    private final Config config;
    private final Path tsdbPath;
    private final Labels externalLabels;
    private final RemoteWriteHandler.Settings httpSettings;
    private final InetSocketAddress remoteWriteAddress;
    private final String localEndpoint;
    private final String hashringsFile;
    private final String hashringsInline;
    private final List<PluginContext.Registration> registrations = new ArrayList<>();
    private volatile TenantStorage storage;
    private volatile RemoteWriteListener listener;
    private volatile ScheduledExecutorService scheduler;
    private volatile TenantLimitsFile limits;
    private volatile HashringRouter router;
    private volatile boolean ready;

    /** Reads and checks the settings ({@code strata.receive}); nothing is opened yet. */
    public ReceiveRole(PluginContext context) {
        this.context = Objects.requireNonNull(context, "context");
        this.config = context.config();
        Config root = context.rootConfig();
        this.tsdbPath = tsdbPath(config, root, context.dataDirectory());
        this.externalLabels = externalLabels(config, root);
        this.httpSettings = new RemoteWriteHandler.Settings(config.getString("tenant-header"), config.getString("default-tenant-id"),
                config.getString("replica-header"), config.getBytes("remote-write.max-request-size"),
                config.getBytes("remote-write.max-decompressed-size"), config.getInt("validation.max-label-name-length"),
                config.getInt("validation.max-label-value-length"));
        this.remoteWriteAddress = address(config, "remote-write.address");
        this.localEndpoint = config.getString("local-endpoint").trim();
        this.hashringsFile = config.getString("hashrings-file").trim();
        this.hashringsInline = config.getString("hashrings").trim();
        if (config.getInt("replication-factor") < 1) {
            throw new ConfigException.BadValue(config.getValue("replication-factor").origin(), "strata.receive.replication-factor",
                    "expected a replication factor of at least 1");
        }
    }

    static Path tsdbPath(Config config, Config root, Path dataDirectory) {
        String value = config.getString("tsdb-path").trim();
        if (value.isEmpty() && root.hasPath("strata.store.tsdb-path")) {
            value = root.getString("strata.store.tsdb-path").trim();
        }
        return value.isEmpty() ? dataDirectory.resolve("receive") : Path.of(value);
    }

    static Labels externalLabels(Config config, Config root) {
        String key = "external-labels";
        Config c = config;
        String prefix = "strata.receive.";
        if (config.getObject(key).isEmpty() && root.hasPath("strata.store.external-labels")) {
            c = root.getConfig("strata.store");
            prefix = "strata.store.";
        }
        Labels.Builder b = new Labels.Builder();
        for (Map.Entry<String, ConfigValue> e : c.getObject(key).entrySet()) {
            ConfigValue v = e.getValue();
            if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST || v.valueType() == ConfigValueType.NULL) {
                throw new ConfigException.BadValue(v.origin(), prefix + key + "." + e.getKey(), "expected a label value (a string)");
            }
            if (!e.getKey().matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                throw new ConfigException.BadValue(v.origin(), prefix + key + "." + e.getKey(), "expected a label name matching [a-zA-Z_][a-zA-Z0-9_]*");
            }
            b.set(e.getKey(), String.valueOf(v.unwrapped()));
        }
        return b.build();
    }

    static InetSocketAddress address(Config config, String key) {
        String value = config.getString(key).trim();
        int colon = value.lastIndexOf(':');
        try {
            if (colon < 0) {
                throw new NumberFormatException("no port");
            }
            String host = value.substring(0, colon);
            int port = Integer.parseInt(value.substring(colon + 1));
            return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        } catch (RuntimeException e) {
            throw new ConfigException.BadValue(config.getValue(key).origin(), "strata.receive." + key, "expected host:port, got \"" + value + "\"");
        }
    }

    private DbOptions dbOptions() {
        Config root = context.rootConfig();
        DbOptions o = DbOptions.fromConfig(root.getConfig("strata.tsdb"));
        String retention = config.getString("tsdb-retention").trim();
        if (!retention.isEmpty()) {
            long ms = config.getDuration("tsdb-retention").toMillis();
            o = o.withRetention(ms, o.retentionSize());
        }
        return o;
    }

    @Override
    public void start() throws Exception {
        limits = new TenantLimitsFile(config.getString("limits-config-file").trim(), config.getDuration("limits-reload-interval"));
        boolean hashring = !hashringsFile.isEmpty() || !hashringsInline.isEmpty();
        boolean ingest = !hashring || !localEndpoint.isEmpty();
        scheduler = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "receive-maintenance");
            t.setDaemon(true);
            return t;
        });
        SeriesWriter local = null;
        if (ingest) {
            Bucket bucket = config.getBoolean("upload") ? context.create(Bucket.class, context.rootConfig().getConfig("strata.objstore")) : null;
            TenantStorage s = new TenantStorage(tsdbPath, dbOptions(), externalLabels, config.getString("tenant-label-name"), bucket);
            storage = s;
            local = (tenant, batch, replica, outcome) -> {
                Limits l = limits.limits(tenant);
                if (l.headSeries() > 0 && s.headSeries(tenant) >= l.headSeries()) {
                    outcome.fail(WriteOutcome.Failure.TOO_MANY_SERIES, "tenant " + tenant + " has " + s.headSeries(tenant)
                            + " head series, at or above its head_series_limit of " + l.headSeries());
                    return;
                }
                s.append(tenant, batch, outcome);
            };
            StoreApiServer server = new StoreApiServer(new TenantsChunkQueryable(s::tenants, s.tenantLabel()), externalLabels, "receive",
                    s::timeRange);
            registrations.add(context.grpcService(server.storeService()));
            registrations.add(context.grpcService(server.infoService()));
            long interval = context.rootConfig().getDuration("strata.tsdb.compaction-interval").toMillis();
            scheduler.scheduleWithFixedDelay(s::compactAndShip, interval, interval, TimeUnit.MILLISECONDS);
        }
        SeriesWriter writer = local;
        if (hashring) {
            HashringRouter r = new HashringRouter(hashringsFile, hashringsInline, config.getString("hashrings-algorithm"),
                    config.getInt("replication-factor"), localEndpoint, local, config.getDuration("forward-timeout"),
                    config.getDuration("hashrings-file-refresh-interval"));
            router = r;
            writer = r;
        }
        SeriesWriter w = writer;
        RemoteWriteHandler handler = new RemoteWriteHandler(httpSettings, w, limits::limits, this::ready);
        registrations.add(context.grpcService(new WriteableStoreService(w, httpSettings.defaultTenant(), httpSettings.maxLabelNameLength(),
                httpSettings.maxLabelValueLength(), this::ready).definition()));
        registrations.add(context.route("/api/v1/receive", (HttpRequest req, HttpResponse resp) -> serve(handler, req, resp)));
        listener = new RemoteWriteListener(remoteWriteAddress, config.getInt("remote-write.threads"), config.getInt("remote-write.queue"), handler);
        LOG.info("receive: remote write on {}:{} ({}), {}, external labels {}", remoteWriteAddress.getHostString(), listener.port(),
                hashring ? (ingest ? "router and ingester, local endpoint " + localEndpoint : "router only") : "ingester only",
                ingest ? "TSDBs under " + tsdbPath : "no local TSDB", externalLabels);
        ready = true;
    }

    private static void serve(RemoteWriteHandler handler, HttpRequest req, HttpResponse resp) throws Exception {
        RemoteWriteHandler.Response r = handler.handle(req.method(), req::header, req.body());
        for (Map.Entry<String, String> e : r.headers().entrySet()) {
            resp.header(e.getKey(), e.getValue());
        }
        if (r.body().isEmpty()) {
            resp.status(r.status());
            resp.body().close();
        } else {
            resp.status(r.status());
            resp.header("Content-Type", "text/plain; charset=utf-8");
            byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
            try (OutputStream out = resp.body()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public boolean ready() {
        return ready;
    }

    /** The remote-write listener's port, or -1 before start. */
    public int remoteWritePort() {
        RemoteWriteListener l = listener;
        return l == null ? -1 : l.port();
    }

    TenantStorage storage() {
        return storage;
    }

    @Override
    public void stop(Duration grace) throws Exception {
        ready = false;
        RemoteWriteListener l = listener;
        listener = null;
        if (l != null) {
            l.stop((int) Math.min(10, Math.max(1, grace.toSeconds() / 2)));
        }
        for (int i = registrations.size() - 1; i >= 0; i--) {
            registrations.get(i).close();
        }
        registrations.clear();
        ScheduledExecutorService s = scheduler;
        if (s != null) {
            s.shutdownNow();
            s.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        }
        HashringRouter r = router;
        router = null;
        if (r != null) {
            r.close();
        }
        TenantLimitsFile lf = limits;
        if (lf != null) {
            lf.close();
        }
        TenantStorage st = storage;
        storage = null;
        if (st != null) {
            st.close();
        }
    }
}
