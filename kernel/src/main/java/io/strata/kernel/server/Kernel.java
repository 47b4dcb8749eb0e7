package io.strata.kernel.server;

import com.typesafe.config.Config;
import io.strata.kernel.grpc.GrpcServer;
import io.strata.kernel.http.HttpServer;
import io.strata.kernel.metrics.MetricsRegistry;
import io.strata.kernel.plugin.PluginManager;
import java.nio.file.Path;

/** What contexts need from the running process. */
public interface Kernel {
    Config config();

    MetricsRegistry metrics();

    Path dataDirectory();

    HttpServer http();

    GrpcServer grpc();

    PluginManager plugins();
}
