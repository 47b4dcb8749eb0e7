package io.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.strata.api.http.HttpHandler;
import io.strata.api.metrics.Metrics;
import io.strata.api.objstore.Bucket;
import io.strata.api.plugin.PluginContext;
import io.strata.kernel.metrics.MetricsRegistry;
import io.strata.kernel.plugin.LoadedPlugin;
import io.strata.kernel.plugin.PluginHost;
import io.strata.kernel.plugin.PluginManager;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same plugin checks for every plugin host: the example third-party plugin, dropped into a
 * plugin directory, is found with its version, reference.conf and factories; its factory creates
 * a working component; its start hook registers its route; unloading withdraws the route.
 */
abstract class PluginHostContractTest {
    @TempDir
    Path work;

    protected abstract PluginHost host(Path pluginDirectory, Config boot);

    protected Config boot() {
        return ConfigFactory.parseMap(Map.of(
                "strata.plugins.exported-packages", List.of("io.strata.api", "org.slf4j", "com.typesafe.config"),
                "strata.plugins.osgi.cache-directory", work.resolve("cache").toString(),
                "strata.plugins.osgi.poll-interval", "0s"));
    }

    @Test
    void loadsTheExamplePluginAndItsFactoryWorks() throws Exception {
        Path dir = work.resolve("plugins");
        Files.createDirectories(dir);
        Files.copy(Path.of(System.getProperty("strata.example.plugin")), dir.resolve("example.jar"));
        Map<String, HttpHandler> routes = new ConcurrentHashMap<>();
        PluginManager manager = new PluginManager();
        manager.addHost(host(dir, boot()));
        try {
            LoadedPlugin p = manager.sorted().stream().filter(x -> x.id().equals("example-memory-bucket")).findFirst().orElse(null);
            assertNotNull(p, "example plugin not found; loaded: " + manager.sorted());
            assertTrue(p.version().startsWith("0.1.0"), p.version());
            assertTrue(p.reference().hasPath("strata.objstore.memory"), "its reference.conf is read: " + p.reference());
            assertTrue(manager.types(Bucket.class).contains("memory"), manager.types(Bucket.class).toString());
            // each plugin sees its reference.conf (plugins on the test classpath: the classpath's, as the kernel gives them)
            manager.activate(loaded -> new TestContext(loaded, routes, loaded.reference().withFallback(ConfigFactory.defaultReference())));
            assertTrue(routes.containsKey("/example/memory-bucket"), "start hook registers the route: " + routes.keySet());
            Bucket bucket = manager.find(Bucket.class, "memory", "").factory()
                    .create(new TestContext(p, routes, p.reference().getConfig("strata.objstore.memory")));
            bucket.upload("a/b", new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)));
            try (var in = bucket.get("a/b")) {
                assertEquals("hello", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            manager.removed(p.id());
            assertTrue(routes.isEmpty(), "unloading withdraws the route");
        } finally {
            manager.close();
        }
    }

    /** A context that records routes, as the kernel's does. */
    private static final class TestContext implements PluginContext {
        private final LoadedPlugin plugin;
        private final Map<String, HttpHandler> routes;
        private final Config config;
        private final Metrics metrics = new MetricsRegistry().scope();

        TestContext(LoadedPlugin plugin, Map<String, HttpHandler> routes, Config config) {
            this.plugin = plugin;
            this.routes = routes;
            this.config = config;
        }

        @Override
        public Config config() {
            return config;
        }

        @Override
        public Config rootConfig() {
            return plugin.reference();
        }

        @Override
        public Metrics metrics() {
            return metrics;
        }

        @Override
        public Path dataDirectory() {
            return Path.of("data");
        }

        @Override
        public Registration route(String path, HttpHandler handler) {
            routes.put(path, handler);
            return () -> routes.remove(path);
        }

        @Override
        public Registration grpcService(Object service) {
            throw new IllegalStateException("the example plugin serves no gRPC");
        }

        @Override
        public <T> T create(Class<T> kind, Config c) {
            throw new IllegalStateException("not used by the example plugin");
        }

        @Override
        public List<String> types(Class<?> kind) {
            return List.of();
        }
    }
}
