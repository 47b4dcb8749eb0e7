package io.strata.plugin.sidecar.internal;

import io.strata.api.metrics.Metrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a Prometheus configuration file and rule directories and makes Prometheus reload
 * ({@code POST /-/reload}) when their content changes. When an output file is set, the
 * configuration is first written there with {@code $(VAR)} references substituted from the
 * environment (Prometheus then reads the output file). Changes are seen through file-system events
 * and, as a fallback, a poll every watch interval; a failed reload is retried with a doubling
 * back-off until it succeeds. Runs on its own thread between {@link #start()} and {@link #close()}.
 */
final class ConfigReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    /** What to watch; {@code configFile} and {@code outputFile} may be null, {@code ruleDirectories} empty. */
    record Settings(Path configFile, Path outputFile, List<Path> ruleDirectories, Duration watchInterval, Duration retryInterval,
                    Duration maxRetryInterval) {
        Settings {
            ruleDirectories = List.copyOf(ruleDirectories);
            Objects.requireNonNull(watchInterval, "watchInterval");
            Objects.requireNonNull(retryInterval, "retryInterval");
            Objects.requireNonNull(maxRetryInterval, "maxRetryInterval");
            if (configFile == null && ruleDirectories.isEmpty()) {
                throw new IllegalArgumentException("the reloader needs a config file or a rule directory to watch");
            }
            if (outputFile != null && configFile == null) {
                throw new IllegalArgumentException("an env-substituted output file needs a config file to read");
            }
            if (watchInterval.isNegative() || watchInterval.isZero() || retryInterval.isNegative() || retryInterval.isZero()) {
                throw new IllegalArgumentException("watch and retry intervals must be positive");
            }
        }
    }

    /** Reloads Prometheus; throws when it did not. */
    @FunctionalInterface
    interface ReloadAction {
        void reload() throws IOException;
    }

    private final Settings settings;
    private final ReloadAction action;
    private final Map<String, String> environment;
    private final Metrics.Counter reloads;
    private final Metrics.Counter reloadFailures;
    private final Metrics.Counter applies;
    private final Metrics.Counter applyFailures;
    private volatile boolean lastReloadSuccessful;
    private volatile long lastReloadSuccessMillis;
    private volatile boolean running;
    private byte[] appliedHash;
    private Thread thread;
    private WatchService watcher;

    ConfigReloader(Settings settings, ReloadAction action, Map<String, String> environment, Metrics metrics) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.action = Objects.requireNonNull(action, "action");
        this.environment = Map.copyOf(environment);
        this.reloads = metrics.counter("strata_sidecar_reloader_reloads_total", "Reloads of Prometheus the reloader asked for.");
        this.reloadFailures = metrics.counter("strata_sidecar_reloader_reloads_failed_total", "Reload requests Prometheus did not accept.");
        this.applies = metrics.counter("strata_sidecar_reloader_config_apply_operations_total",
                "Times the watched configuration was read (and substituted) after a change.");
        this.applyFailures = metrics.counter("strata_sidecar_reloader_config_apply_operations_failed_total",
                "Times the watched configuration could not be read, substituted or written.");
        metrics.gauge("strata_sidecar_reloader_last_reload_successful", "1 when the last reload request succeeded.",
                () -> lastReloadSuccessful ? 1 : 0);
        metrics.gauge("strata_sidecar_reloader_last_reload_success_timestamp_seconds", "When the last reload succeeded.",
                () -> lastReloadSuccessMillis / 1000.0);
    }

    void start() throws IOException {
        watcher = FileSystems.getDefault().newWatchService();
        for (Path dir : watchedDirectories()) {
            if (Files.isDirectory(dir)) {
                dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            } else {
                LOG.warn("reloader: {} is not a directory; only polled every {}", dir, settings.watchInterval());
            }
        }
        running = true;
        thread = new Thread(this::run, "sidecar-reloader");
        thread.setDaemon(true);
        thread.start();
    }

    private Set<Path> watchedDirectories() {
        Set<Path> dirs = new LinkedHashSet<>();
        if (settings.configFile() != null) {
            dirs.add(settings.configFile().toAbsolutePath().getParent());
        }
        for (Path d : settings.ruleDirectories()) {
            dirs.add(d.toAbsolutePath());
        }
        return dirs;
    }

    private void run() {
        Duration backoff = settings.retryInterval();
        while (running) {
            Duration wait = settings.watchInterval();
            try {
                if (applyIfChanged()) {
                    backoff = settings.retryInterval();
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("reloader: {} (retrying in {})", e.getMessage(), backoff);
                wait = backoff;
                backoff = backoff.multipliedBy(2).compareTo(settings.maxRetryInterval()) > 0 ? settings.maxRetryInterval() : backoff.multipliedBy(2);
            }
            if (!awaitChange(wait)) {
                return;
            }
        }
    }

    /** Waits for a file-system event or the timeout; false when the reloader is closing. */
    private boolean awaitChange(Duration timeout) {
        try {
            var key = watcher.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (key != null) {
                key.pollEvents();
                key.reset();
                // an editor's write comes as several events: let them settle, then drain
                var more = watcher.poll(100, TimeUnit.MILLISECONDS);
                while (more != null) {
                    more.pollEvents();
                    more.reset();
                    more = watcher.poll();
                }
            }
            return running;
        } catch (InterruptedException | ClosedWatchServiceException e) {
            return false;
        }
    }

    /**
     * Reads the watched files; when their content differs from what was last applied, writes the
     * substituted output and reloads Prometheus. Returns true when a reload happened; throws when a
     * step failed (the change stays pending).
     */
    boolean applyIfChanged() throws IOException {
        MessageDigest digest = sha256();
        String config = null;
        if (settings.configFile() != null) {
            try {
                config = Files.readString(settings.configFile(), StandardCharsets.UTF_8);
                if (settings.outputFile() != null) {
                    config = EnvSubstitution.apply(config, environment);
                }
            } catch (IOException | IllegalArgumentException e) {
                applyFailures.inc();
                throw new IOException("reading " + settings.configFile() + ": " + e.getMessage(), e);
            }
            digest.update(config.getBytes(StandardCharsets.UTF_8));
        }
        for (Path dir : settings.ruleDirectories()) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> files = new ArrayList<>();
            try (Stream<Path> entries = Files.list(dir)) {
                entries.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
            for (Path f : files) {
                digest.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(Files.readAllBytes(f));
            }
        }
        byte[] hash = digest.digest();
        if (Arrays.equals(hash, appliedHash)) {
            return false;
        }
        applies.inc();
        if (settings.outputFile() != null) {
            try {
                writeIfDifferent(settings.outputFile(), config);
            } catch (IOException e) {
                applyFailures.inc();
                throw new IOException("writing " + settings.outputFile() + ": " + e.getMessage(), e);
            }
        }
        reloads.inc();
        try {
            action.reload();
        } catch (IOException | RuntimeException e) {
            reloadFailures.inc();
            lastReloadSuccessful = false;
            throw new IOException("reloading Prometheus failed: " + e.getMessage(), e);
        }
        lastReloadSuccessful = true;
        lastReloadSuccessMillis = System.currentTimeMillis();
        appliedHash = hash;
        LOG.info("reloader: Prometheus reloaded its configuration (content {})", HexFormat.of().formatHex(hash, 0, 6));
        return true;
    }

    private static void writeIfDifferent(Path file, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (Files.exists(file) && Arrays.equals(Files.readAllBytes(file), bytes)) {
            return;
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        if (watcher != null) {
            watcher.close();
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
