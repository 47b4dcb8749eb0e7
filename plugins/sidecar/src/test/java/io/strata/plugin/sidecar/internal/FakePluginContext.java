package io.strata.plugin.sidecar.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.grpc.BindableService;
import io.strata.api.http.HttpHandler;
import io.strata.api.metrics.Metrics;
import io.strata.api.plugin.PluginContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the kernel gives the role, reduced to what the sidecar uses: the {@code strata.sidecar}
 * settings (with the plugin's reference.conf underneath) and a list of the gRPC services it
 * registers. Creating components (a bucket) is not supported.
 */
final class FakePluginContext implements PluginContext {
    final Config root;
    final FakeMetrics metrics = new FakeMetrics();
    final List<BindableService> services = new ArrayList<>();
    private final Path dataDirectory;

    FakePluginContext(String settings, Path dataDirectory) {
        this.root = ConfigFactory.parseString(settings).withFallback(ConfigFactory.parseResources("reference.conf")).resolve();
        this.dataDirectory = dataDirectory;
    }

    @Override
    public Config config() {
        return root.getConfig("strata.sidecar");
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
        return dataDirectory;
    }

    @Override
    public Registration route(String path, HttpHandler handler) {
        return () -> {
        };
    }

    @Override
    public synchronized Registration grpcService(Object service) {
        BindableService s = (BindableService) service;
        services.add(s);
        return () -> {
            synchronized (this) {
                services.remove(s);
            }
        };
    }

    @Override
    public <T> T create(Class<T> kind, Config config) {
        throw new UnsupportedOperationException("the fake context creates no components");
    }

    @Override
    public List<String> types(Class<?> kind) {
        return List.of();
    }
}
