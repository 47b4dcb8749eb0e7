package io.strata.plugin.storeapi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.grpc.BindableService;
import io.strata.api.http.HttpHandler;
import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.metrics.Metrics;
import io.strata.api.plugin.Factory;
import io.strata.api.plugin.PluginContext;
import io.strata.api.plugin.Role;
import io.strata.api.storage.Querier;
import io.strata.api.storage.SampleIterator;
import io.strata.api.storage.Series;
import io.strata.api.storage.SeriesSet;
import io.strata.plugin.storeapi.EndpointInfo;
import io.strata.plugin.storeapi.LoopbackGrpcServer;
import io.strata.plugin.storeapi.StoreApiClient;
import io.strata.plugin.storeapi.StoreApiPlugin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code store} role: settings, start-up over a real Prometheus block, Info and Series through gRPC. */
final class StoreRoleTest {
    /** A context that keeps the gRPC services a role registers, for a test server to serve. */
    private static final class RecordingContext implements PluginContext {
        final List<Object> services = new CopyOnWriteArrayList<>();
        private final Config config;

        RecordingContext(Config config) {
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
            throw new UnsupportedOperationException("the store role uses no metrics yet");
        }

        @Override
        public Path dataDirectory() {
            throw new UnsupportedOperationException("the store role keeps no state");
        }

        @Override
        public Registration route(String path, HttpHandler handler) {
            throw new UnsupportedOperationException("the store role serves no HTTP routes");
        }

        @Override
        public Registration grpcService(Object service) {
            services.add(service);
            return () -> services.remove(service);
        }

        @Override
        public <T> T create(Class<T> kind, Config config) {
            throw new UnsupportedOperationException("the store role creates no components");
        }

        @Override
        public List<String> types(Class<?> kind) {
            return List.of();
        }
    }

    /** The plugin's reference settings under strata.store, with overrides. */
    private static Config storeConfig(Map<String, ?> overrides) {
        Config reference = ConfigFactory.parseResources(StoreApiPlugin.class.getClassLoader(), "reference.conf");
        return ConfigFactory.parseMap(overrides).withFallback(reference.getConfig("strata.store")).resolve();
    }

    private static Path golden1() {
        String root = System.getProperty("strata.testdata");
        if (root == null || root.isBlank()) {
            root = System.getenv("STRATA_TESTDATA");
        }
        if (root == null || root.isBlank()) {
            throw new IllegalStateException("test data not configured: set system property strata.testdata or env STRATA_TESTDATA");
        }
        Path p = Paths.get(root, "tsdb-golden", "golden1");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("golden data " + p + " is missing");
        }
        return p;
    }

    private static Role storeRole(RecordingContext context) throws Exception {
        Factory<?> f = new StoreApiPlugin().factories().stream()
                .filter(x -> x.kind() == Role.class && x.type().equals("store")).findFirst().orElseThrow();
        return (Role) f.create(context);
    }

    @Test
    void servesAPrometheusBlockDirectoryWithExternalLabels() throws Exception {
        RecordingContext context = new RecordingContext(storeConfig(Map.of(
                "tsdb-path", golden1().toString(), "external-labels", Map.of("replica", "0"))));
        Role role = storeRole(context);
        assertFalse(role.ready());
        role.start();
        assertTrue(role.ready());
        assertEquals(2, context.services.size(), "Store and Info services");
        List<BindableService> services = new ArrayList<>();
        context.services.forEach(s -> services.add((BindableService) s));
        try (LoopbackGrpcServer grpc = new LoopbackGrpcServer(services); StoreApiClient client = StoreApiClient.connect(grpc.address())) {
            EndpointInfo info = client.info();
            assertEquals("store", info.componentType());
            assertEquals(List.of(Labels.of("replica", "0")), info.labelSets());
            assertEquals(7_200_000, info.minTime(), "the block's min time");
            assertEquals(7_230_000, info.maxTime(), "the block's max time, inclusive");
            // What promtool tsdb dump printed for this block, with the external label.
            List<String> dump = new ArrayList<>();
            try (Querier q = client.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                SeriesSet<Series> set = q.select(true, null, Matcher.regex("__name__", ".+"));
                while (set.next()) {
                    SampleIterator it = set.at().iterator(null);
                    while (it.next()) {
                        dump.add(set.at().labels() + " " + (long) it.atV() + " " + it.atT());
                    }
                }
                assertNull(set.err());
            }
            List<String> expected = new ArrayList<>();
            for (String line : Files.readAllLines(golden1().resolve("promtool-dump.txt"))) {
                if (!line.isBlank()) {
                    expected.add(line.replaceFirst("\\}", ", replica=\"0\"}"));
                }
            }
            assertEquals(expected, dump);
        }
        role.stop(Duration.ofSeconds(5));
        assertFalse(role.ready());
        assertTrue(context.services.isEmpty(), "services withdrawn at stop");
    }

    @Test
    void anEmptyTsdbPathIsAConfigurationErrorNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> storeRole(new RecordingContext(storeConfig(Map.of()))));
        assertTrue(e.getMessage().contains("strata.store.tsdb-path"), e.getMessage());
    }

    @Test
    void aMissingDirectoryFailsAtStartWithItsPath(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope");
        Role role = storeRole(new RecordingContext(storeConfig(Map.of("tsdb-path", missing.toString()))));
        IOException e = assertThrows(IOException.class, role::start);
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertFalse(role.ready());
    }

    @Test
    void anExternalLabelThatIsNotAStringIsAConfigurationError(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> storeRole(new RecordingContext(storeConfig(Map.of(
                "tsdb-path", dir.toString(), "external-labels", Map.of("replica", Map.of("nested", "x")))))));
        assertTrue(e.getMessage().contains("strata.store.external-labels.replica"), e.getMessage());
    }

    @Test
    void anEmptyDirectoryServesNothingAndReportsAnEmptyRange(@TempDir Path dir) throws Exception {
        RecordingContext context = new RecordingContext(storeConfig(Map.of("tsdb-path", dir.toString())));
        Role role = storeRole(context);
        role.start();
        assertTrue(role.ready());
        List<BindableService> services = new ArrayList<>();
        context.services.forEach(s -> services.add((BindableService) s));
        try (LoopbackGrpcServer grpc = new LoopbackGrpcServer(services); StoreApiClient client = StoreApiClient.connect(grpc.address())) {
            EndpointInfo info = client.info();
            assertTrue(info.minTime() > info.maxTime(), "no query overlaps an empty store");
            assertEquals(List.of(), info.labelSets());
        } finally {
            role.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void referenceConfDeclaresTheThanosFlags() {
        Config reference = ConfigFactory.parseResources(StoreApiPlugin.class.getClassLoader(), "reference.conf").resolve();
        assertEquals("strata.store.tsdb-path", reference.getString("strata.cli.flags.\"tsdb.path\".key"));
        assertEquals("strata.store.external-labels", reference.getString("strata.cli.flags.label.key"));
        assertEquals("labels", reference.getString("strata.cli.flags.label.kind"));
        assertEquals("", reference.getString("strata.store.tsdb-path"));
        assertTrue(reference.getObject("strata.store.external-labels").isEmpty());
        assertEquals(Duration.ofMinutes(3), reference.getDuration("strata.store.sync-interval"));
    }

    @Test
    void aNegativeSyncIntervalIsAConfigurationError(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> storeRole(new RecordingContext(storeConfig(Map.of(
                "tsdb-path", dir.toString(), "sync-interval", "-1s")))));
        assertTrue(e.getMessage().contains("strata.store.sync-interval"), e.getMessage());
    }
}
