package io.strata.kernel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.api.plugin.PluginContext.Registration;
import io.strata.kernel.config.ConfigError;
import io.strata.kernel.metrics.MetricsRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpServerTest {
    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void routesComeAndGo() throws Exception {
        try (HttpServer server = new HttpServer(new InetSocketAddress("127.0.0.1", 0), "test.address", Duration.ofSeconds(1),
                new MetricsRegistry())) {
            server.start();
            int port = server.port();
            assertEquals(404, get(port, "/hello").statusCode());
            Registration r = server.route("/hello", (req, resp) -> resp.send(200, "text/plain", "hi " + req.parameter("name")));
            Registration prefix = server.route("/files/*", (req, resp) -> resp.send(200, "text/plain", req.path()));
            assertEquals("hi bob", get(port, "/hello?name=bob").body());
            assertEquals("/files/a/b", get(port, "/files/a/b").body());
            r.close();
            prefix.close();
            assertEquals(404, get(port, "/hello").statusCode());
            assertEquals(404, get(port, "/files/a").statusCode());
        }
    }

    @Test
    void formParametersOfPostRequests() throws Exception {
        try (HttpServer server = new HttpServer(new InetSocketAddress("127.0.0.1", 0), "test.address", Duration.ofSeconds(1),
                new MetricsRegistry())) {
            server.start();
            server.route("/q", (req, resp) -> resp.send(200, "text/plain", String.join(",", req.parameters("match[]"))));
            HttpResponse<String> resp = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/q"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("match%5B%5D=up&match%5B%5D=x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("up,x", resp.body());
        }
    }

    @Test
    void failingHandlerGives500AndServerKeepsServing() throws Exception {
        try (HttpServer server = new HttpServer(new InetSocketAddress("127.0.0.1", 0), "test.address", Duration.ofSeconds(1),
                new MetricsRegistry())) {
            server.start();
            server.route("/boom", (req, resp) -> {
                throw new IllegalStateException("boom");
            });
            HttpResponse<String> r = get(server.port(), "/boom");
            assertEquals(500, r.statusCode());
            assertTrue(r.body().contains("\"errorType\":\"internal\""), r.body());
        }
    }

    @Test
    void portInUseNamesPortAndKey() throws Exception {
        try (HttpServer first = new HttpServer(new InetSocketAddress("127.0.0.1", 0), "a", Duration.ofSeconds(1), new MetricsRegistry())) {
            first.start();
            HttpServer second = new HttpServer(new InetSocketAddress("127.0.0.1", first.port()), "strata.http.address",
                    Duration.ofSeconds(1), new MetricsRegistry());
            ConfigError e = assertThrows(ConfigError.class, second::start);
            assertTrue(e.getMessage().contains("strata.http.address"), e.getMessage());
            assertTrue(e.getMessage().contains("port " + first.port() + " is already in use"), e.getMessage());
            second.close();
        }
    }
}
