package io.strata.kernel.tools;

import com.typesafe.config.Config;
import io.strata.kernel.grpc.GrpcServer;
import io.strata.kernel.http.HttpServer;
import io.strata.kernel.metrics.MetricsRegistry;
import io.strata.kernel.plugin.PluginManager;
import io.strata.kernel.server.Kernel;
import java.nio.file.Path;

/** The kernel as offline tools see it: configuration, plugins and metrics, but no servers. */
public final class ToolKernel implements Kernel {
    private final Config config;
    private final PluginManager plugins;
    private final MetricsRegistry metrics = new MetricsRegistry();

    public ToolKernel(Config config, PluginManager plugins) {
        this.config = config;
        this.plugins = plugins;
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
        return Path.of(config.getString("strata.data-dir")).toAbsolutePath();
    }

    @Override
    public HttpServer http() {
        throw new IllegalStateException("offline tools serve no HTTP routes");
    }

    @Override
    public GrpcServer grpc() {
        throw new IllegalStateException("offline tools serve no gRPC services");
    }

    @Override
    public PluginManager plugins() {
        return plugins;
    }
}
