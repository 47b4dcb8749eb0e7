package io.strata.kernel.grpc;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ServerServiceDefinition;
import io.strata.api.plugin.PluginContext.Registration;
import io.strata.kernel.metrics.MetricsRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GrpcServerTest {
    @Test
    void aServiceNameIsServedByOneComponentOnly() throws Exception {
        GrpcServer server = new GrpcServer(new InetSocketAddress("127.0.0.1", 0), "test.address", Duration.ofSeconds(1), 1 << 20,
                new MetricsRegistry());
        server.start();
        try {
            Registration first = server.service(ServerServiceDefinition.builder("thanos.Store").build());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> server.service(ServerServiceDefinition.builder("thanos.Store").build()));
            assertTrue(e.getMessage().contains("thanos.Store is already served"), e.getMessage());
            first.close();
            server.service(ServerServiceDefinition.builder("thanos.Store").build()).close();
        } finally {
            server.close();
        }
    }
}
