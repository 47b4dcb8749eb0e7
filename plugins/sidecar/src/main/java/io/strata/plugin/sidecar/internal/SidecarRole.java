package io.strata.plugin.sidecar.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.strata.api.labels.Labels;
import io.strata.api.objstore.Bucket;
import io.strata.api.plugin.PluginContext;
import io.strata.api.plugin.Role;
import io.strata.plugin.storeapi.StoreApiServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code sidecar} role: makes a running Prometheus part of the global view without changing how
 * it runs. It serves Prometheus's data as StoreAPI (through remote read), ships the blocks
 * Prometheus cuts to the bucket, and reloads Prometheus when its configuration or rules change.
 * Start-up waits for Prometheus and refuses to go on when it has no external labels; afterwards the
 * role is ready while Prometheus is.
 */
public final class SidecarRole implements Role {
    private static final Logger LOG = LoggerFactory.getLogger(SidecarRole.class);

    private final PluginContext context;
    private final PrometheusClient prometheus;
    private final Path tsdbPath;
    private final TimeOrDuration minTime;
    private final RemoteReadChunkSource.ResponseType responseType;
    private final int maxFrameBytes;
    private final Duration startupTimeout;
    private final Duration refreshInterval;
    private final boolean shipping;
    private final boolean uploadCompacted;
    private final Duration shipperInterval;
    private final ConfigReloader.Settings reloaderSettings;
    private final List<PluginContext.Registration> registrations = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private ScheduledExecutorService scheduler;
    private volatile Labels externalLabels = Labels.EMPTY;
    private volatile boolean prometheusReady;
    private volatile boolean started;
    private volatile long lowestTimestamp = Long.MIN_VALUE;

    /** Reads and checks the settings ({@code strata.sidecar}); nothing is contacted yet. */
    public SidecarRole(PluginContext context) {
        this.context = Objects.requireNonNull(context, "context");
        Config c = context.config();
        this.prometheus = setting(c, "prometheus-url",
                () -> new PrometheusClient(c.getString("prometheus-url"), c.getDuration("prometheus-request-timeout")));
        this.tsdbPath = tsdbPath(c, context.rootConfig());
        this.minTime = setting(c, "min-time", () -> TimeOrDuration.parse(c.getString("min-time"), System::currentTimeMillis));
        this.responseType = setting(c, "remote-read.response-type",
                () -> RemoteReadChunkSource.ResponseType.valueOf(c.getString("remote-read.response-type").toUpperCase(Locale.ROOT).replace('-', '_')));
        this.maxFrameBytes = (int) Math.min(Integer.MAX_VALUE, c.getBytes("remote-read.max-frame-size"));
        this.startupTimeout = c.getDuration("startup-timeout");
        this.refreshInterval = positive(c, "refresh-interval");
        String enabled = c.getString("shipper.enabled").toLowerCase(Locale.ROOT);
        Config objstore = context.rootConfig().hasPath("strata.objstore") ? context.rootConfig().getConfig("strata.objstore") : null;
        boolean bucketConfigured = objstore != null && (nonBlank(objstore, "config-file") || nonBlank(objstore, "config"));
        this.shipping = switch (enabled) {
            case "auto" -> bucketConfigured && tsdbPath != null;
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw new ConfigException.BadValue(c.getValue("shipper.enabled").origin(), "strata.sidecar.shipper.enabled",
                    "expected auto, true or false, got '" + enabled + "'");
        };
        if (shipping && tsdbPath == null) {
            throw new ConfigException.BadValue(c.getValue("shipper.enabled").origin(), "strata.sidecar.shipper.enabled",
                    "shipping blocks needs Prometheus's data directory: set --tsdb.path (strata.sidecar.tsdb-path)");
        }
        this.uploadCompacted = c.getBoolean("shipper.upload-compacted");
        this.shipperInterval = positive(c, "shipper.interval");
        this.reloaderSettings = reloaderSettings(c);
    }

    private interface SettingReader<T> {
        T read();
    }

    private static <T> T setting(Config c, String key, SettingReader<T> reader) {
        try {
            return reader.read();
        } catch (IllegalArgumentException e) {
            throw new ConfigException.BadValue(c.getValue(key).origin(), "strata.sidecar." + key, e.getMessage());
        }
    }

    private static Duration positive(Config c, String key) {
        Duration d = c.getDuration(key);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException.BadValue(c.getValue(key).origin(), "strata.sidecar." + key, "expected a positive duration, got " + d);
        }
        return d;
    }

    private static boolean nonBlank(Config c, String key) {
        return c.hasPath(key) && c.getValue(key).valueType() == com.typesafe.config.ConfigValueType.STRING && !c.getString(key).isBlank();
    }

    /** {@code strata.sidecar.tsdb-path}, else the shared {@code --tsdb.path} flag's {@code strata.store.tsdb-path}; null if neither. */
    static Path tsdbPath(Config sidecar, Config root) {
        String value = sidecar.getString("tsdb-path");
        if (value.isBlank() && root.hasPath("strata.store.tsdb-path")) {
            value = root.getString("strata.store.tsdb-path");
        }
        return value.isBlank() ? null : Path.of(value);
    }

    private static ConfigReloader.Settings reloaderSettings(Config c) {
        String configFile = c.getString("reloader.config-file");
        String output = c.getString("reloader.config-envsubst-file");
        List<Path> ruleDirs = c.getStringList("reloader.rule-dirs").stream().filter(s -> !s.isBlank()).map(Path::of).toList();
        if (configFile.isBlank() && ruleDirs.isEmpty()) {
            if (!output.isBlank()) {
                throw new ConfigException.BadValue(c.getValue("reloader.config-envsubst-file").origin(),
                        "strata.sidecar.reloader.config-envsubst-file", "needs --reloader.config-file, the file to substitute");
            }
            return null;
        }
        try {
            return new ConfigReloader.Settings(configFile.isBlank() ? null : Path.of(configFile), output.isBlank() ? null : Path.of(output),
                    ruleDirs, positive(c, "reloader.watch-interval"), positive(c, "reloader.retry-interval"),
                    positive(c, "reloader.max-retry-interval"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException.BadValue(c.getValue("reloader").origin(), "strata.sidecar.reloader", e.getMessage());
        }
    }

    @Override
    public void start() throws Exception {
        scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "sidecar");
            t.setDaemon(true);
            return t;
        });
        if (reloaderSettings != null) {
            // first, so that a configuration Prometheus needs to start (the substituted copy) gets written
            ConfigReloader reloader = new ConfigReloader(reloaderSettings, prometheus::reload, System.getenv(), context.metrics());
            reloader.start();
            resources.add(reloader);
            LOG.info("reloading Prometheus at {} when {} or rule directories {} change", prometheus.baseUrl(),
                    reloaderSettings.configFile(), reloaderSettings.ruleDirectories());
        }
        externalLabels = awaitExternalLabels();
        RemoteReadChunkSource source = new RemoteReadChunkSource(prometheus, responseType, minTime::millis, maxFrameBytes);
        // Prometheus's metric metadata and exemplars are served too (Thanos's Metadata and Exemplars APIs)
        StoreApiServer server = new StoreApiServer(source, externalLabels, "sidecar", this::timeRange)
                .withMetricMetadata(prometheus::metricMetadata).withExemplars(prometheus::exemplars);
        for (var service : server.services()) {
            registrations.add(context.grpcService(service));
        }
        refresh();
        scheduler.scheduleWithFixedDelay(this::refresh, refreshInterval.toMillis(), refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
        if (shipping) {
            checkBlockDurations();
            Bucket bucket = context.create(Bucket.class, context.rootConfig().getConfig("strata.objstore"));
            resources.add(bucket);
            BlockShipper shipper = new BlockShipper(tsdbPath, bucket, externalLabels, uploadCompacted);
            var uploads = context.metrics().counter("strata_sidecar_shipper_uploads_total", "Blocks shipped to the bucket.");
            var failures = context.metrics().counter("strata_sidecar_shipper_sync_failures_total", "Shipping passes that failed.");
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    uploads.inc(shipper.sync().size());
                } catch (IOException | RuntimeException e) {
                    failures.inc();
                    LOG.warn("shipping blocks from {}: {}", tsdbPath, e.toString());
                }
            }, 0, shipperInterval.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("shipping blocks of {} to bucket {} every {}", tsdbPath, bucket.name(), shipperInterval);
        } else {
            LOG.info("not shipping blocks (no object storage configured, or strata.sidecar.shipper.enabled = false)");
        }
        LOG.info("serving Prometheus at {} as StoreAPI, external labels {}", prometheus.baseUrl(), externalLabels);
        started = true;
    }

    /** Waits for Prometheus to answer with its configuration; fails when it has no external labels. */
    private Labels awaitExternalLabels() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        long pause = 200;
        long lastLog = 0;
        while (true) {
            try {
                if (prometheus.ready()) {
                    Labels labels = prometheus.externalLabels();
                    if (labels.isEmpty()) {
                        throw new IllegalStateException("Prometheus at " + prometheus.baseUrl() + " has no external labels: every Prometheus "
                                + "behind a sidecar needs unique external labels (global.external_labels in its configuration, for example "
                                + "cluster and replica), or its series cannot be told apart in the global view");
                    }
                    return labels;
                }
                if (System.nanoTime() - lastLog > 10_000_000_000L) {
                    LOG.info("waiting for Prometheus at {} to become ready", prometheus.baseUrl());
                    lastLog = System.nanoTime();
                }
            } catch (IOException e) {
                if (System.nanoTime() - lastLog > 10_000_000_000L) {
                    LOG.info("waiting for Prometheus at {}: {}", prometheus.baseUrl(), e.getMessage());
                    lastLog = System.nanoTime();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("Prometheus at " + prometheus.baseUrl() + " did not become ready within " + startupTimeout
                        + " (strata.sidecar.startup-timeout)");
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 5000);
        }
    }

    private void checkBlockDurations() {
        try {
            Map<String, String> flags = prometheus.flags();
            String min = flags.get("storage.tsdb.min-block-duration");
            String max = flags.get("storage.tsdb.max-block-duration");
            if (min != null && max != null && !min.equals(max)) {
                LOG.warn("Prometheus at {} compacts blocks locally (--storage.tsdb.min-block-duration={} differs from "
                        + "--storage.tsdb.max-block-duration={}): compacted blocks are not shipped and may overlap shipped ones; "
                        + "set both to 2h", prometheus.baseUrl(), min, max);
            }
        } catch (IOException e) {
            LOG.warn("could not read Prometheus's flags to check its block durations: {}", e.getMessage());
        }
    }

    private void refresh() {
        boolean ready = prometheus.ready();
        if (ready != prometheusReady) {
            LOG.info("Prometheus at {} is {}", prometheus.baseUrl(), ready ? "ready" : "not ready");
        }
        prometheusReady = ready;
        if (!ready) {
            return;
        }
        try {
            lowestTimestamp = prometheus.lowestTimestamp();
        } catch (IOException | RuntimeException e) {
            LOG.debug("reading Prometheus's lowest timestamp: {}", e.toString());
        }
        try {
            Labels now = prometheus.externalLabels();
            if (!now.equals(externalLabels)) {
                LOG.warn("Prometheus's external labels changed from {} to {}; the sidecar keeps serving {} until restarted",
                        externalLabels, now, externalLabels);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("reading Prometheus's configuration: {}", e.toString());
        }
    }

    /** From the oldest sample Prometheus holds (but not before --min-time) to the end of time. */
    StoreApiServer.TimeRange timeRange() {
        long lowest = lowestTimestamp;
        long min = Math.max(minTime.millis(), lowest == Long.MAX_VALUE ? Long.MIN_VALUE : lowest);
        return new StoreApiServer.TimeRange(min, Long.MAX_VALUE);
    }

    @Override
    public boolean ready() {
        return started && prometheusReady;
    }

    @Override
    public void stop(Duration grace) throws Exception {
        started = false;
        for (int i = registrations.size() - 1; i >= 0; i--) {
            registrations.get(i).close();
        }
        registrations.clear();
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler.awaitTermination(Math.max(1, grace.toMillis()), TimeUnit.MILLISECONDS);
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", resources.get(i), e.toString());
            }
        }
        resources.clear();
    }
}
