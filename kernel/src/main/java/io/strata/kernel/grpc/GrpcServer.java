package io.strata.kernel.grpc;

import io.grpc.BindableService;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.util.MutableHandlerRegistry;
import io.strata.api.plugin.PluginContext.Registration;
import io.strata.kernel.config.ConfigError;
import io.strata.kernel.metrics.MetricsRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one gRPC server. Services come and go through a mutable registry; the standard
 * health service reports SERVING once every role is ready.
 */
public final class GrpcServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcServer.class);
    private final MutableHandlerRegistry registry = new MutableHandlerRegistry();
    private final HealthStatusManager health = new HealthStatusManager();
    private final Server server;
    private final InetSocketAddress address;
    private final String addressKey;
    private final Duration grace;

    public GrpcServer(InetSocketAddress address, String addressKey, Duration grace, int maxMessageBytes, MetricsRegistry metrics) {
        this.address = address;
        this.addressKey = addressKey;
        this.grace = grace;
        this.server = NettyServerBuilder.forAddress(address)
                .fallbackHandlerRegistry(registry)
                .addService(health.getHealthService())
                .addService(ProtoReflectionService.newInstance())
                .maxInboundMessageSize(maxMessageBytes)
                .intercept(new MetricsInterceptor(metrics))
                .build();
        health.setStatus("", ServingStatus.NOT_SERVING);
    }

    public void start() throws IOException {
        try {
            server.start();
        } catch (IOException e) {
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new ConfigError("cannot listen on " + address.getHostString() + ":" + address.getPort()
                        + " (" + addressKey + "): port " + address.getPort() + " is already in use");
            }
            throw e;
        }
        LOG.info("gRPC server listening on {}:{}", address.getHostString(), port());
    }

    public int port() {
        return server.getPort();
    }

    /** Adds a service: an {@code io.grpc.BindableService} or a {@code ServerServiceDefinition}. */
    public Registration service(Object service) {
        ServerServiceDefinition def;
        if (service instanceof BindableService b) {
            def = b.bindService();
        } else if (service instanceof ServerServiceDefinition d) {
            def = d;
        } else {
            throw new IllegalArgumentException("not a gRPC service: " + service.getClass().getName()
                    + " (expected io.grpc.BindableService or io.grpc.ServerServiceDefinition)");
        }
        String name = def.getServiceDescriptor().getName();
        synchronized (registry) {
            for (ServerServiceDefinition existing : registry.getServices()) {
                if (existing.getServiceDescriptor().getName().equals(name)) {
                    throw new IllegalStateException("gRPC service " + name + " is already served by another component of this"
                            + " process; run the two roles in separate processes or turn one's service off");
                }
            }
            registry.addService(def);
        }
        health.setStatus(name, ServingStatus.SERVING);
        return () -> {
            synchronized (registry) {
                registry.removeService(def);
            }
            health.clearStatus(name);
        };
    }

    /** Marks the whole server serving or not for the health service. */
    public void serving(boolean serving) {
        health.setStatus("", serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    }

    @Override
    public void close() {
        health.enterTerminalState();
        server.shutdown();
        try {
            if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Counts handled calls per service, method and status code. */
    private static final class MetricsInterceptor implements ServerInterceptor {
        private final MetricsRegistry metrics;

        MetricsInterceptor(MetricsRegistry metrics) {
            this.metrics = metrics;
        }

        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            String service = call.getMethodDescriptor().getServiceName();
            String method = call.getMethodDescriptor().getBareMethodName();
            long start = System.nanoTime();
            return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
                @Override
                public void close(Status status, Metadata trailers) {
                    metrics.counter(MetricsRegistry.key("grpc_server_handled_total", "grpc_service", String.valueOf(service),
                            "grpc_method", String.valueOf(method), "grpc_code", status.getCode().name()),
                            "Total gRPC calls completed on the server, by service, method and code.").inc();
                    metrics.timer(MetricsRegistry.key("grpc_server_handling_seconds", "grpc_service", String.valueOf(service),
                            "grpc_method", String.valueOf(method)), "Latency of gRPC calls handled by the server.")
                            .record(System.nanoTime() - start);
                    super.close(status, trailers);
                }
            }, headers);
        }
    }
}
