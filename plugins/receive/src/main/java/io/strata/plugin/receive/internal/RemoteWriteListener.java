package io.strata.plugin.receive.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The remote-write listener of its own ({@code remote-write.address}), separate from the process's
 * HTTP server, on the JDK's HTTP server with a bounded pool of worker threads. Serves
 * {@code /api/v1/receive} (and {@code /api/v1/write}, the path Prometheus uses).
 */
public final class RemoteWriteListener implements AutoCloseable {
    private final HttpServer server;
    private final ThreadPoolExecutor pool;

    public RemoteWriteListener(InetSocketAddress address, int threads, int queue, RemoteWriteHandler handler) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(handler, "handler");
        if (threads <= 0 || queue <= 0) {
            throw new IllegalArgumentException("threads and queue must be positive, got " + threads + " and " + queue);
        }
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, "remote-write-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
        this.server = HttpServer.create(address, 1024);
        this.server.setExecutor(pool);
        com.sun.net.httpserver.HttpHandler h = exchange -> serve(exchange, handler);
        server.createContext("/api/v1/receive", h);
        server.createContext("/api/v1/write", h);
        server.start();
    }

    private static void serve(HttpExchange exchange, RemoteWriteHandler handler) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            RemoteWriteHandler.Response r = handler.handle(exchange.getRequestMethod(), exchange.getRequestHeaders()::getFirst, body);
            for (Map.Entry<String, String> e : r.headers().entrySet()) {
                exchange.getResponseHeaders().set(e.getKey(), e.getValue());
            }
            byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
            if (bytes.length > 0) {
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            }
            boolean noBody = bytes.length == 0 || r.status() == 204;
            exchange.sendResponseHeaders(r.status(), noBody ? -1 : bytes.length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops accepting, waits up to {@code seconds} for requests in flight. */
    public void stop(int seconds) {
        server.stop(Math.max(0, seconds));
        pool.shutdown();
        try {
            pool.awaitTermination(Math.max(1, seconds), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(0);
    }
}
