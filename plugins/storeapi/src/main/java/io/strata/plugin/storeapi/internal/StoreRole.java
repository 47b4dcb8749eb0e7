package io.strata.plugin.storeapi.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.strata.api.labels.Labels;
import io.strata.api.plugin.PluginContext;
import io.strata.api.plugin.Role;
import io.strata.plugin.storeapi.LocalBlocks;
import io.strata.plugin.storeapi.StoreApiServer;
import java.io.IOException;
import java.nio.file.InvalidPathException;
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
 * The {@code store} role over a local directory: the blocks of a TSDB directory served read-only as
 * StoreAPI (Store and Info services on the process's gRPC server). Ready once the blocks are open;
 * the directory is re-read every {@code sync-interval} for new and vanished blocks.
 */
public final class StoreRole implements Role {
    private static final Logger LOG = LoggerFactory.getLogger(StoreRole.class);

    private final PluginContext context;
    private final Path tsdbPath;
    private final Labels externalLabels;
    private final Duration syncInterval;
    private final List<PluginContext.Registration> registrations = new ArrayList<>();
    private ScheduledExecutorService syncer;
    private volatile LocalBlocks blocks;
    private volatile boolean ready;

    /** Reads and checks the settings ({@code strata.store}); nothing is opened yet. */
    public StoreRole(PluginContext context) {
        this.context = Objects.requireNonNull(context, "context");
        Config config = context.config();
        this.tsdbPath = tsdbPath(config);
        this.externalLabels = externalLabels(config);
        this.syncInterval = config.getDuration("sync-interval");
        if (syncInterval.isNegative()) {
            throw new ConfigException.BadValue(config.getValue("sync-interval").origin(), "strata.store.sync-interval",
                    "expected a duration of 0 (off) or more, got " + syncInterval);
        }
    }

    static Path tsdbPath(Config config) {
        String key = "tsdb-path";
        String value = config.getString(key);
        if (value.isBlank()) {
            throw new ConfigException.BadValue(config.getValue(key).origin(), "strata.store." + key,
                    "expected the directory of TSDB blocks to serve (flag --tsdb.path), got an empty string");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new ConfigException.BadValue(config.getValue(key).origin(), "strata.store." + key, "expected a directory path: " + e.getMessage());
        }
    }

    static Labels externalLabels(Config config) {
        String key = "external-labels";
        Labels.Builder b = new Labels.Builder();
        for (Map.Entry<String, ConfigValue> e : config.getObject(key).entrySet()) {
            String name = e.getKey();
            ConfigValue v = e.getValue();
            if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST || v.valueType() == ConfigValueType.NULL) {
                throw new ConfigException.BadValue(v.origin(), "strata.store." + key + "." + name,
                        "expected a label value (a string), got " + v.valueType().name().toLowerCase(java.util.Locale.ROOT));
            }
            if (!name.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                throw new ConfigException.BadValue(v.origin(), "strata.store." + key + "." + name,
                        "expected a label name matching [a-zA-Z_][a-zA-Z0-9_]*");
            }
            b.set(name, String.valueOf(v.unwrapped()));
        }
        return b.build();
    }

    @Override
    public void start() throws Exception {
        LocalBlocks opened = LocalBlocks.open(tsdbPath);
        blocks = opened;
        StoreApiServer server = new StoreApiServer(opened, externalLabels, "store", opened::timeRange);
        registrations.add(context.grpcService(server.storeService()));
        registrations.add(context.grpcService(server.infoService()));
        StoreApiServer.TimeRange range = opened.timeRange();
        LOG.info("serving {} blocks of {} as StoreAPI, external labels {}, time range [{}, {}]", opened.blocks().size(), tsdbPath,
                externalLabels, range.minTime(), range.maxTime());
        if (!syncInterval.isZero()) {
            syncer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "store-block-sync");
                t.setDaemon(true);
                return t;
            });
            long ms = syncInterval.toMillis();
            syncer.scheduleWithFixedDelay(this::sync, ms, ms, TimeUnit.MILLISECONDS);
        }
        ready = true;
    }

    /** Picks up new blocks and drops vanished ones; a failure is logged and retried at the next interval. */
    void sync() {
        LocalBlocks b = blocks;
        if (b == null) {
            return;
        }
        try {
            LocalBlocks.SyncResult r = b.sync();
            if (!r.added().isEmpty() || !r.dropped().isEmpty()) {
                LOG.info("blocks of {}: opened {}, dropped {}", tsdbPath, r.added(), r.dropped());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("syncing blocks of {} failed, retrying in {}: {}", tsdbPath, syncInterval, e.getMessage());
        }
    }

    @Override
    public boolean ready() {
        return ready;
    }

    @Override
    public void stop(Duration grace) {
        ready = false;
        if (syncer != null) {
            syncer.shutdownNow();
            syncer = null;
        }
        for (int i = registrations.size() - 1; i >= 0; i--) {
            registrations.get(i).close();
        }
        registrations.clear();
        LocalBlocks b = blocks;
        blocks = null;
        if (b != null) {
            b.close();
        }
    }

    /** The served blocks; null before start. */
    LocalBlocks blocks() {
        return blocks;
    }
}
