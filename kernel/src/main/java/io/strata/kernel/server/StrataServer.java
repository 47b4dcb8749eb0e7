package io.strata.kernel.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import io.strata.api.http.HttpRequest;
import io.strata.api.http.HttpResponse;
import io.strata.api.plugin.Factory;
import io.strata.api.plugin.Role;
import io.strata.kernel.config.ConfigError;
import io.strata.kernel.config.Settings;
import io.strata.kernel.grpc.GrpcServer;
import io.strata.kernel.http.HttpServer;
import io.strata.kernel.metrics.MetricsRegistry;
import io.strata.kernel.metrics.ProcessMetrics;
import io.strata.kernel.plugin.LoadedPlugin;
import io.strata.kernel.plugin.PluginManager;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Strata process: the HTTP and gRPC servers, the built-in endpoints, the plugins and the
 * roles chosen by {@code strata.roles}, started in order and stopped in reverse.
 */
public final class StrataServer implements Kernel, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StrataServer.class);
    private static final JsonFactory JSON = new JsonFactory();
    private final Config config;
    private final PluginManager plugins;
    private final MetricsRegistry metrics = new MetricsRegistry();
    private final HttpServer http;
    private final GrpcServer grpc;
    private final Path dataDirectory;
    private final Duration grace;
    private final Pattern redact;
    private final List<Map.Entry<String, Role>> roles = new ArrayList<>();
    private volatile boolean stopping;
    private volatile boolean started;

    public StrataServer(Config config, PluginManager plugins) {
        this.config = config;
        this.plugins = plugins;
        this.grace = Settings.duration(config, "strata.shutdown.grace-period");
        this.dataDirectory = Path.of(Settings.string(config, "strata.data-dir")).toAbsolutePath();
        this.redact = Pattern.compile(Settings.string(config, "strata.status.redact-keys-matching"));
        this.http = new HttpServer(Settings.address(config, "strata.http.address"), "strata.http.address", grace, metrics);
        this.grpc = new GrpcServer(Settings.address(config, "strata.grpc.address"), "strata.grpc.address", grace,
                (int) config.getMemorySize("strata.grpc.max-message-size").toBytes(), metrics);
    }

    /** Starts everything; throws ConfigError for problems the operator must fix. */
    public void start() throws Exception {
        long t0 = System.nanoTime();
        Files.createDirectories(dataDirectory);
        ProcessMetrics.register(metrics, BuildInfo.version());
        metrics.gauge("strata_ready", "1 when every role of the process is ready.", () -> ready() ? 1 : 0);
        registerBuiltInRoutes();
        List<String> roleNames = Settings.strings(config, "strata.roles");
        // Create every role before binding ports, so an unknown role fails fast and cleanly.
        List<Map.Entry<String, Factory<Role>>> factories = new ArrayList<>();
        for (String name : roleNames) {
            PluginManager.Found<Role> found = plugins.find(Role.class, name, Settings.where(config, "strata.roles"));
            factories.add(Map.entry(name, found.factory()));
        }
        http.start();
        grpc.start();
        plugins.activate(p -> new KernelContext(this, p.id(), pluginConfig(p)));
        for (Map.Entry<String, Factory<Role>> f : factories) {
            String name = f.getKey();
            Config roleConfig = config.hasPath("strata." + name) ? config.getConfig("strata." + name) : com.typesafe.config.ConfigFactory.empty();
            String owner = plugins.find(Role.class, name, "").plugin().id();
            Role role = f.getValue().create(new KernelContext(this, owner, roleConfig));
            LOG.info("starting role {}", name);
            role.start();
            roles.add(Map.entry(name, role));
        }
        started = true;
        LOG.info("started roles {} in {} ms; HTTP on {}, gRPC on {}", roleNames, (System.nanoTime() - t0) / 1_000_000,
                http.port(), grpc.port());
    }

    private Config pluginConfig(LoadedPlugin p) {
        return config.withFallback(p.reference()).resolve();
    }

    /** True when every role has started and is ready, and the process is not stopping. */
    public boolean ready() {
        if (stopping || !started) {
            return false;
        }
        for (Map.Entry<String, Role> r : roles) {
            if (!r.getValue().ready()) {
                return false;
            }
        }
        grpc.serving(true);
        return true;
    }

    private void registerBuiltInRoutes() {
        http.route("/metrics", (req, resp) -> {
            resp.status(200);
            resp.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            try (var w = new java.io.OutputStreamWriter(resp.body(), java.nio.charset.StandardCharsets.UTF_8)) {
                metrics.writeText(w);
            }
        });
        http.route("/-/healthy", (req, resp) -> resp.send(200, "text/plain; charset=utf-8", "Strata is Healthy.\n"));
        http.route("/-/ready", (req, resp) -> {
            if (ready()) {
                resp.send(200, "text/plain; charset=utf-8", "Strata is Ready.\n");
            } else {
                resp.send(503, "text/plain; charset=utf-8", "Service Unavailable\n");
            }
        });
        http.route("/api/v1/status/buildinfo", (req, resp) -> json(resp, g -> {
            g.writeStringField("version", BuildInfo.version());
            g.writeStringField("revision", "");
            g.writeStringField("branch", "");
            g.writeStringField("buildUser", "");
            g.writeStringField("buildDate", BuildInfo.buildDate());
            g.writeStringField("goVersion", "java" + System.getProperty("java.version"));
        }));
        http.route("/api/v1/status/config", (req, resp) -> json(resp, g -> g.writeStringField("yaml", effectiveConfig())));
        http.route("/api/v1/status/plugins", this::pluginStatus);
        http.route("/api/v1/status/flags", (req, resp) -> json(resp, g -> {
            // Prometheus lists its command-line flags; Strata lists the effective settings of the process
            for (Map.Entry<String, com.typesafe.config.ConfigValue> e : new java.util.TreeMap<>(
                    config.withOnlyPath("strata").entrySet().stream().collect(java.util.stream.Collectors.toMap(
                            Map.Entry::getKey, Map.Entry::getValue))).entrySet()) {
                String last = e.getKey().substring(e.getKey().lastIndexOf('.') + 1);
                Object v = e.getValue().unwrapped();
                g.writeStringField(e.getKey(), redact.matcher(last).matches() ? "<redacted>" : String.valueOf(v));
            }
        }));
        http.route("/api/v1/status/runtimeinfo", (req, resp) -> json(resp, g -> {
            var runtime = java.lang.management.ManagementFactory.getRuntimeMXBean();
            g.writeStringField("startTime", java.time.Instant.ofEpochMilli(runtime.getStartTime()).toString());
            g.writeStringField("CWD", Path.of("").toAbsolutePath().toString());
            g.writeBooleanField("reloadConfigSuccess", true);
            g.writeStringField("lastConfigTime", java.time.Instant.ofEpochMilli(runtime.getStartTime()).toString());
            g.writeNumberField("corruptionCount", 0);
            g.writeNumberField("goroutineCount", java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount());
            g.writeNumberField("GOMAXPROCS", Runtime.getRuntime().availableProcessors());
            g.writeStringField("GOGC", "");
            g.writeStringField("GODEBUG", "");
            g.writeStringField("storageRetention", "");
            g.writeStringField("javaVersion", System.getProperty("java.version"));
            g.writeNumberField("heapUsedBytes", Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
            g.writeNumberField("heapMaxBytes", Runtime.getRuntime().maxMemory());
        }));
    }

    /** The effective {@code strata} configuration as HOCON, secrets redacted. */
    public String effectiveConfig() {
        Config c = config.withOnlyPath("strata");
        for (Map.Entry<String, com.typesafe.config.ConfigValue> e : c.entrySet()) {
            String last = e.getKey().substring(e.getKey().lastIndexOf('.') + 1);
            if (redact.matcher(last).matches()) {
                c = c.withValue(e.getKey(), ConfigValueFactory.fromAnyRef("<redacted>"));
            }
        }
        return c.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setComments(false).setJson(false));
    }

    private void pluginStatus(HttpRequest req, HttpResponse resp) throws IOException {
        resp.status(200);
        resp.header("Content-Type", "application/json");
        try (OutputStream out = resp.body(); JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("status", "success");
            g.writeArrayFieldStart("data");
            for (LoadedPlugin p : plugins.sorted()) {
                g.writeStartObject();
                g.writeStringField("name", p.id());
                g.writeStringField("version", p.version());
                g.writeStringField("host", p.host());
                g.writeStringField("source", p.source());
                g.writeArrayFieldStart("factories");
                for (Factory<?> f : p.factories()) {
                    g.writeStartObject();
                    g.writeStringField("kind", f.kind().getSimpleName());
                    g.writeStringField("type", f.type());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    @FunctionalInterface
    private interface JsonBody {
        void write(JsonGenerator g) throws IOException;
    }

    private static void json(HttpResponse resp, JsonBody body) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("status", "success");
            g.writeObjectFieldStart("data");
            body.write(g);
            g.writeEndObject();
            g.writeEndObject();
        }
        resp.send(200, "application/json", w.toString());
    }

    /** Stops roles in reverse order, then the servers, within the grace period. */
    @Override
    public void close() {
        if (stopping) {
            return;
        }
        stopping = true;
        grpc.serving(false);
        LOG.info("stopping (grace period {})", grace);
        for (int i = roles.size() - 1; i >= 0; i--) {
            Map.Entry<String, Role> r = roles.get(i);
            try {
                r.getValue().stop(grace);
                LOG.info("stopped role {}", r.getKey());
            } catch (Exception e) {
                LOG.error("role {} did not stop cleanly", r.getKey(), e);
            }
        }
        http.close();
        grpc.close();
        plugins.close();
        LOG.info("stopped");
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public MetricsRegistry metrics() {
        return metrics;
    }

    @Override
    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public HttpServer http() {
        return http;
    }

    @Override
    public GrpcServer grpc() {
        return grpc;
    }

    @Override
    public PluginManager plugins() {
        return plugins;
    }

    /** Fails for settings that are wrong even before anything starts. */
    public static void validate(Config config) {
        Settings.address(config, "strata.http.address");
        Settings.address(config, "strata.grpc.address");
        Settings.duration(config, "strata.shutdown.grace-period");
        Settings.strings(config, "strata.roles");
        Settings.oneOf(config, "strata.log.level", List.of("debug", "info", "warn", "error"));
        Settings.oneOf(config, "strata.log.format", List.of("logfmt", "json"));
        Settings.string(config, "strata.data-dir");
        Settings.oneOf(config, "strata.plugins.host", List.of("classpath", "osgi"));
        if (config.getMemorySize("strata.grpc.max-message-size").toBytes() > Integer.MAX_VALUE) {
            throw new ConfigError(Settings.where(config, "strata.grpc.max-message-size")
                    + "strata.grpc.max-message-size: expected at most 2GiB");
        }
    }
}
