package io.strata.api.plugin;

import com.typesafe.config.Config;
import io.strata.api.http.HttpHandler;
import io.strata.api.metrics.Metrics;
import java.nio.file.Path;
import java.util.List;

/** What the kernel gives a component it creates. */
public interface PluginContext {
    /** The component's configuration subtree, with the module's reference.conf defaults merged in. */
    Config config();

    /** The whole effective configuration, for settings shared between components. */
    Config rootConfig();

    /** The metrics registry, scoped to this component. */
    Metrics metrics();

    /** The process's data directory ({@code strata.data-dir}); the component makes its own subdirectory. */
    Path dataDirectory();

    /**
     * Serves a route on the process's HTTP server. {@code path} is exact, or a prefix when it ends
     * with {@code /*}. Closing the registration withdraws the route.
     */
    Registration route(String path, HttpHandler handler);

    /**
     * Serves a gRPC service (an {@code io.grpc.BindableService} or {@code ServerServiceDefinition})
     * on the process's gRPC server. Closing the registration withdraws it.
     */
    Registration grpcService(Object service);

    /** Creates a component of the given kind from a config subtree that names its {@code type}. */
    <T> T create(Class<T> kind, Config config) throws Exception;

    /** Type names known for a kind, for error messages and listings. */
    List<String> types(Class<?> kind);

    /** Something that can be withdrawn. */
    @FunctionalInterface
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
