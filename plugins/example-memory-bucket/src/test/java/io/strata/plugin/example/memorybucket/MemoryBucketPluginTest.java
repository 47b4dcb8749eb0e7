package io.strata.plugin.example.memorybucket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.strata.api.http.HttpHandler;
import io.strata.api.http.HttpRequest;
import io.strata.api.http.HttpResponse;
import io.strata.api.metrics.Metrics;
import io.strata.api.objstore.Bucket;
import io.strata.api.plugin.Factory;
import io.strata.api.plugin.Plugin;
import io.strata.api.plugin.PluginContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class MemoryBucketPluginTest {
    /** The objstore block as the kernel would pass it: the user's type over this plugin's reference.conf. */
    private static final Config OBJSTORE_BLOCK = ConfigFactory.parseString("type = memory")
            .withFallback(ConfigFactory.parseResources(MemoryBucketPlugin.class.getClassLoader(), "reference.conf")
                    .getConfig("strata.objstore"));

    @Test
    void serviceLoaderFindsThePluginAndItOffersTheMemoryBucket() {
        Plugin plugin = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("example-memory-bucket")).findFirst().orElseThrow();
        assertInstanceOf(MemoryBucketPlugin.class, plugin);
        Factory<?> factory = plugin.factories().get(0);
        assertEquals(Bucket.class, factory.kind());
        assertEquals("memory", factory.type());
    }

    @Test
    void referenceConfHoldsTheDefaults() {
        assertEquals("memory", OBJSTORE_BLOCK.getString("memory.name"));
        assertEquals(256L * 1024 * 1024, OBJSTORE_BLOCK.getBytes("memory.max-object-size"));
    }

    @Test
    void routeReportsTheBucketsAndTheirObjectsUntilStopped() throws Exception {
        MemoryBucketPlugin plugin = new MemoryBucketPlugin();
        RouteRecordingContext context = new RouteRecordingContext(OBJSTORE_BLOCK);
        plugin.start(context);
        HttpHandler route = context.routes.get(MemoryBucketPlugin.ROUTE);
        assertNotNull(route, "the plugin serves " + MemoryBucketPlugin.ROUTE);

        assertEquals("{\"objects\":0,\"buckets\":[]}", get(route).body);

        Bucket bucket = (Bucket) plugin.factories().get(0).create(context);
        bucket.upload("a/1", new ByteArrayInputStream(new byte[5]));
        bucket.upload("a/2", new ByteArrayInputStream(new byte[2]));
        RecordedResponse response = get(route);
        assertEquals(200, response.status);
        assertEquals("application/json", response.headers.get("Content-Type"));
        assertEquals("{\"objects\":2,\"buckets\":[{\"name\":\"memory\",\"objects\":2,\"bytes\":7}]}", response.body);

        bucket.close();
        assertEquals("{\"objects\":0,\"buckets\":[]}", get(route).body, "a closed bucket is no longer reported");

        plugin.stop();
        assertNull(context.routes.get(MemoryBucketPlugin.ROUTE), "stop withdraws the route");
    }

    @Test
    void routeRefusesOtherMethods() throws Exception {
        RecordedResponse response = new RecordedResponse();
        new MemoryBucketStatusRoute(List.of()).handle(new GetRequest("DELETE"), response);
        assertEquals(405, response.status);
    }

    @Test
    void bucketNamesAreEscapedInJson() throws Exception {
        MemoryBucket bucket = new MemoryBucket("quote\" back\\slash\n", 10, closed -> { });
        RecordedResponse response = new RecordedResponse();
        new MemoryBucketStatusRoute(List.of(bucket)).handle(new GetRequest("GET"), response);
        assertEquals("{\"objects\":0,\"buckets\":[{\"name\":\"quote\\\" back\\\\slash\\n\",\"objects\":0,\"bytes\":0}]}",
                response.body);
    }

    @Test
    void createsFromItsOwnBlockAndRejectsBadSettings() throws Exception {
        MemoryBucketPlugin plugin = new MemoryBucketPlugin();
        try (MemoryBucket bucket = plugin.createBucket(ConfigFactory.parseString("name = own, max-object-size = 1KiB"))) {
            assertEquals("own", bucket.bucketName());
        }
        ConfigException bad = assertThrows(ConfigException.class,
                () -> plugin.createBucket(ConfigFactory.parseString("name = x, max-object-size = 10GiB")));
        assertTrue(bad.getMessage().contains("max-object-size"), bad.getMessage());
        ConfigException missing = assertThrows(ConfigException.Missing.class,
                () -> plugin.createBucket(ConfigFactory.parseString("memory { max-object-size = 1KiB }")));
        assertTrue(missing.getMessage().contains("memory.name"), missing.getMessage());
    }

    private static RecordedResponse get(HttpHandler route) throws Exception {
        RecordedResponse response = new RecordedResponse();
        route.handle(new GetRequest("GET"), response);
        return response;
    }

    private static final class GetRequest implements HttpRequest {
        private final String method;

        GetRequest(String method) {
            this.method = method;
        }

        @Override
        public String method() {
            return method;
        }

        @Override
        public String path() {
            return MemoryBucketPlugin.ROUTE;
        }

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
            return InputStream.nullInputStream();
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1";
        }
    }

    private static final class RecordedResponse implements HttpResponse {
        int status;
        final Map<String, String> headers = new HashMap<>();
        String body;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream() {
            @Override
            public void close() {
                body = toString(StandardCharsets.UTF_8);
            }
        };

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
            return bytes;
        }
    }

    /** A context that records routes and carries the bucket configuration. */
    private static final class RouteRecordingContext implements PluginContext {
        final Map<String, HttpHandler> routes = new HashMap<>();
        private final Config config;

        RouteRecordingContext(Config config) {
            this.config = config;
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
            throw new UnsupportedOperationException("not used by the memory bucket");
        }

        @Override
        public Path dataDirectory() {
            throw new UnsupportedOperationException("not used by the memory bucket");
        }

        @Override
        public Registration route(String path, HttpHandler handler) {
            routes.put(path, handler);
            return () -> routes.remove(path);
        }

        @Override
        public Registration grpcService(Object service) {
            throw new UnsupportedOperationException("not used by the memory bucket");
        }

        @Override
        public <T> T create(Class<T> kind, Config config) {
            throw new UnsupportedOperationException("not used by the memory bucket");
        }

        @Override
        public List<String> types(Class<?> kind) {
            return List.of();
        }
    }
}
