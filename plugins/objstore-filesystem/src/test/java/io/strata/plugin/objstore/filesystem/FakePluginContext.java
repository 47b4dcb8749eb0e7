package io.strata.plugin.objstore.filesystem;

import com.typesafe.config.Config;
import io.strata.api.http.HttpHandler;
import io.strata.api.metrics.Metrics;
import io.strata.api.plugin.PluginContext;
import java.nio.file.Path;
import java.util.List;

/** A plugin context that only carries configuration; the bucket factory needs nothing else. */
final class FakePluginContext implements PluginContext {
    private final Config config;
    private final Path dataDirectory;

    FakePluginContext(Config config, Path dataDirectory) {
        this.config = config;
        this.dataDirectory = dataDirectory;
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public Config rootConfig() {
        return config;
    }

    @Override
    public Metrics metrics() {
        throw new UnsupportedOperationException("not needed by the filesystem bucket");
    }

    @Override
    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public Registration route(String path, HttpHandler handler) {
        throw new UnsupportedOperationException("not needed by the filesystem bucket");
    }

    @Override
    public Registration grpcService(Object service) {
        throw new UnsupportedOperationException("not needed by the filesystem bucket");
    }

    @Override
    public <T> T create(Class<T> kind, Config config) {
        throw new UnsupportedOperationException("not needed by the filesystem bucket");
    }

    @Override
    public List<String> types(Class<?> kind) {
        return List.of();
    }
}
