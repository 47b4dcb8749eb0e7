package io.strata.kernel.http;

import io.strata.api.http.HttpHandler;
import io.strata.api.plugin.PluginContext.Registration;
import io.strata.kernel.config.ConfigError;
import io.strata.kernel.metrics.MetricsRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one HTTP server (Jetty 12). Routes are exact paths or prefixes ending in
 * {@code /*}; they can be added and withdrawn while the server runs. Stopping drains in-flight
 * requests for up to the grace period.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private final Server server;
    private final ServerConnector connector;
    private final String addressKey;
    private final InetSocketAddress address;
    private final MetricsRegistry metrics;
    private final Map<String, HttpHandler> exact = new ConcurrentHashMap<>();
    private final List<Map.Entry<String, HttpHandler>> prefixes = new CopyOnWriteArrayList<>();

    public HttpServer(InetSocketAddress address, String addressKey, Duration grace, MetricsRegistry metrics) {
        this.address = address;
        this.addressKey = addressKey;
        this.metrics = metrics;
        QueuedThreadPool pool = new QueuedThreadPool(200, 8);
        pool.setName("http");
        this.server = new Server(pool);
        this.connector = new ServerConnector(server);
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        server.addConnector(connector);
        server.setHandler(new GracefulHandler(new Dispatcher()));
        server.setStopTimeout(grace.toMillis());
        server.setStopAtShutdown(false);
    }

    /** Binds and starts serving; a port in use names the port and the setting. */
    public void start() throws Exception {
        try {
            server.start();
        } catch (IOException e) {
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new ConfigError("cannot listen on " + address.getHostString() + ":" + address.getPort()
                        + " (" + addressKey + "): port " + address.getPort() + " is already in use");
            }
            throw e;
        }
        LOG.info("HTTP server listening on {}:{}", address.getHostString(), port());
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Adds a route; a path ending in {@code /*} matches every path under it. */
    public Registration route(String path, HttpHandler handler) {
        if (path.endsWith("/*")) {
            String prefix = path.substring(0, path.length() - 1);
            Map.Entry<String, HttpHandler> e = Map.entry(prefix, handler);
            prefixes.add(e);
            prefixes.sort(Comparator.comparingInt((Map.Entry<String, HttpHandler> x) -> x.getKey().length()).reversed());
            return () -> prefixes.remove(e);
        }
        HttpHandler previous = exact.putIfAbsent(path, handler);
        if (previous != null) {
            throw new IllegalStateException("HTTP route " + path + " is already registered");
        }
        return () -> exact.remove(path, handler);
    }

    private Map.Entry<String, HttpHandler> resolve(String path) {
        HttpHandler h = exact.get(path);
        if (h != null) {
            return Map.entry(path, h);
        }
        for (Map.Entry<String, HttpHandler> e : prefixes) {
            if (path.startsWith(e.getKey())) {
                return Map.entry(e.getKey() + "*", e.getValue());
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("HTTP server did not stop cleanly", e);
        }
    }

    private final class Dispatcher extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            long start = System.nanoTime();
            String path = Request.getPathInContext(request);
            Map.Entry<String, HttpHandler> route = resolve(path);
            String handlerLabel = route == null ? "other" : route.getKey();
            JettyExchange exchange = new JettyExchange(request, response);
            try {
                if (route == null) {
                    exchange.outgoing.send(404, "text/plain; charset=utf-8", "404 page not found\n");
                } else {
                    route.getValue().handle(exchange.in, exchange.outgoing);
                }
                exchange.finish(callback);
            } catch (Throwable t) {
                LOG.warn("HTTP handler {} failed for {} {}", handlerLabel, request.getMethod(), path, t);
                if (!response.isCommitted()) {
                    response.setStatus(500);
                    response.getHeaders().put("Content-Type", "application/json");
                    String body = "{\"status\":\"error\",\"errorType\":\"internal\",\"error\":"
                            + JsonText.quote(String.valueOf(t.getMessage())) + "}";
                    response.write(true, java.nio.ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                } else {
                    callback.failed(t);
                }
            }
            String code = Integer.toString(response.getStatus() == 0 ? 200 : response.getStatus());
            String method = request.getMethod().toLowerCase(Locale.ROOT);
            metrics.counter(MetricsRegistry.key("http_requests_total", "handler", handlerLabel, "code", code, "method", method),
                    "Total HTTP requests by handler, status code and method.").inc();
            metrics.timer(MetricsRegistry.key("http_request_duration_seconds", "handler", handlerLabel),
                    "Latency of HTTP requests by handler.").record(System.nanoTime() - start);
            return true;
        }
    }
}
