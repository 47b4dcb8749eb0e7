package io.strata.kernel.cli;

import com.typesafe.config.Config;
import io.strata.api.http.HttpHandler;
import io.strata.api.metrics.Metrics;
import io.strata.api.plugin.PluginContext;
import io.strata.kernel.metrics.MetricsRegistry;
import io.strata.kernel.plugin.LoadedPlugin;
import java.nio.file.Path;
import java.util.List;

/** The context of an offline tool: configuration and metrics, but no servers. */
final class ToolContext implements PluginContext {
    private final Config root;
    private final LoadedPlugin plugin;
    private final Metrics metrics = new MetricsRegistry().scope();

    ToolContext(Config root, LoadedPlugin plugin) {
        this.root = root;
        this.plugin = plugin;
    }

    @Override
    public Config config() {
        return root.withFallback(plugin.reference()).resolve();
    }

    @Override
    public Config rootConfig() {
        return root;
    }

    @Override
    public Metrics metrics() {
        return metrics;
    }

    @Override
    public Path dataDirectory() {
        return Path.of(root.getString("strata.data-dir"));
    }

    @Override
    public Registration route(String path, HttpHandler handler) {
        throw new IllegalStateException("tools serve no HTTP routes");
    }

    @Override
    public Registration grpcService(Object service) {
        throw new IllegalStateException("tools serve no gRPC services");
    }

    @Override
    public <T> T create(Class<T> kind, Config config) {
        throw new IllegalStateException("tools create no components through the kernel");
    }

    @Override
    public List<String> types(Class<?> kind) {
        return List.of();
    }
}
