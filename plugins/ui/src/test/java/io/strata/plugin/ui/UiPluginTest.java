package io.strata.plugin.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.strata.api.http.HttpHandler;
import io.strata.api.http.HttpRequest;
import io.strata.api.http.HttpResponse;
import io.strata.api.metrics.Metrics;
import io.strata.api.plugin.PluginContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class UiPluginTest {
    @Test
    void aQueryProcessServesTheRedirectThePagesAndTheBuiltAssets() throws Exception {
        RecordingContext context = new RecordingContext("strata.roles = [query]");
        UiPlugin plugin = new UiPlugin();
        plugin.start(context);
        assertEquals(List.of("/", "/graph", "/stores", "/status", "/static/*"), List.copyOf(context.routes.keySet()));

        Answer root = context.call("GET", "/");
        assertEquals(302, root.status);
        assertEquals("/graph", root.headers.get("Location"));

        for (String page : UiPlugin.PAGES) {
            Answer html = context.call("GET", page);
            assertEquals(200, html.status, page);
            assertEquals("text/html; charset=utf-8", html.headers.get("Content-Type"));
            assertEquals("no-cache", html.headers.get("Cache-Control"));
            assertTrue(html.body.contains("<main id=\"app\">"), html.body);
        }
        String index = context.call("GET", "/graph").body;
        Matcher script = Pattern.compile("src=\"(/static/main-[A-Z0-9]{8}\\.js)\"").matcher(index);
        Matcher stylesheet = Pattern.compile("href=\"(/static/main-[A-Z0-9]{8}\\.css)\"").matcher(index);
        assertTrue(script.find() && stylesheet.find(), index);

        Answer js = context.call("GET", script.group(1));
        assertEquals(200, js.status);
        assertEquals("text/javascript; charset=utf-8", js.headers.get("Content-Type"));
        assertEquals("public, max-age=31536000, immutable", js.headers.get("Cache-Control"));
        assertEquals("nosniff", js.headers.get("X-Content-Type-Options"));
        assertTrue(js.body.contains("/api/v1/query_range") && js.body.contains("/api/v1/stores"), "the bundle calls the API");
        assertEquals(Integer.toString(js.body.getBytes(StandardCharsets.UTF_8).length), js.headers.get("Content-Length"));

        Answer css = context.call("GET", stylesheet.group(1));
        assertEquals("text/css; charset=utf-8", css.headers.get("Content-Type"));
        assertTrue(css.body.contains(".uplot"), "uPlot's stylesheet is bundled");

        Answer head = context.call("HEAD", script.group(1));
        assertEquals(200, head.status);
        assertEquals("", head.body);
        assertEquals(js.headers.get("Content-Length"), head.headers.get("Content-Length"));
    }

    @Test
    void unknownOrUnsafeNamesAreNotFoundAndOnlyGetAndHeadAreAllowed() throws Exception {
        RecordingContext context = new RecordingContext("strata.roles = [query]");
        new UiPlugin().start(context);
        for (String path : List.of("/static/missing.js", "/static/../reference.conf", "/static/", "/static/.hidden",
                "/static/a/b.js", "/static/..%2Freference.conf")) {
            assertEquals(404, context.call("GET", path).status, path);
        }
        Answer post = context.call("POST", "/graph");
        assertEquals(405, post.status);
        assertEquals("GET, HEAD", post.headers.get("Allow"));
    }

    @Test
    void contentTypesAndCacheHeadersFollowTheName() {
        assertEquals("text/javascript; charset=utf-8", UiAssets.contentType("main-ABCDEFGH.js"));
        assertEquals("image/svg+xml", UiAssets.contentType("logo.SVG"));
        assertEquals("application/octet-stream", UiAssets.contentType("LICENSE"));
        assertEquals("public, max-age=31536000, immutable", UiAssets.cacheControl("main-ABCDEFGH.css"));
        assertEquals("no-cache", UiAssets.cacheControl("index.html"));
        assertEquals("no-cache", UiAssets.cacheControl("favicon.ico"));
    }

    @Test
    void disabledOrWithoutTheQueryRoleNothingIsServed() throws Exception {
        RecordingContext disabled = new RecordingContext("strata.roles = [query], strata.ui.enabled = false");
        new UiPlugin().start(disabled);
        assertTrue(disabled.routes.isEmpty(), disabled.routes.keySet().toString());

        RecordingContext store = new RecordingContext("strata.roles = [store]");
        new UiPlugin().start(store);
        assertTrue(store.routes.isEmpty(), store.routes.keySet().toString());

        RecordingContext everywhere = new RecordingContext("strata.roles = [store], strata.ui.roles = []");
        new UiPlugin().start(everywhere);
        assertEquals(5, everywhere.routes.size());
    }

    @Test
    void stopWithdrawsTheRoutes() throws Exception {
        RecordingContext context = new RecordingContext("strata.roles = [query, store]");
        UiPlugin plugin = new UiPlugin();
        plugin.start(context);
        assertEquals(5, context.routes.size());
        plugin.stop();
        assertTrue(context.routes.isEmpty(), context.routes.keySet().toString());
    }

    /** What a handler answered. */
    private record Answer(int status, Map<String, String> headers, String body) {
    }

    /** A plugin context that only records routes; the config is the given HOCON over the reference settings. */
    private static final class RecordingContext implements PluginContext {
        final Map<String, HttpHandler> routes = new LinkedHashMap<>();
        private final Config config;

        RecordingContext(String hocon) {
            this.config = ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
        }

        Answer call(String method, String path) throws Exception {
            HttpHandler handler = routes.get(path);
            if (handler == null) {
                for (Map.Entry<String, HttpHandler> e : routes.entrySet()) {
                    if (e.getKey().endsWith("/*") && path.startsWith(e.getKey().substring(0, e.getKey().length() - 1))) {
                        handler = e.getValue();
                    }
                }
            }
            if (handler == null) {
                return new Answer(404, Map.of(), "");
            }
            FakeResponse response = new FakeResponse();
            handler.handle(new FakeRequest(method, path), response);
            return new Answer(response.status, response.headers, response.body.toString(StandardCharsets.UTF_8));
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
            throw new UnsupportedOperationException();
        }

        @Override
        public Path dataDirectory() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Registration route(String path, HttpHandler handler) {
            if (routes.putIfAbsent(path, handler) != null) {
                throw new IllegalStateException("route " + path + " registered twice");
            }
            return () -> routes.remove(path, handler);
        }

        @Override
        public Registration grpcService(Object service) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> T create(Class<T> kind, Config given) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> types(Class<?> kind) {
            return List.of();
        }
    }

    private record FakeRequest(String method, String path) implements HttpRequest {
        @Override
        public String header(String name) {
            return null;
        }

        @Override
        public String parameter(String name) {
            return null;
        }

        @Override
        public List<String> parameters(String name) {
            return List.of();
        }

        @Override
        public InputStream body() {
            return new ByteArrayInputStream(new byte[0]);
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1";
        }
    }

    private static final class FakeResponse implements HttpResponse {
        int status;
        final Map<String, String> headers = new TreeMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        @Override
        public void status(int code) {
            status = code;
        }

        @Override
        public void header(String name, String value) {
            headers.put(name, value);
        }

        @Override
        public OutputStream body() {
            return body;
        }
    }
}
