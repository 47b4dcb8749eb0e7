package io.strata.plugin.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.strata.api.discovery.Discovery;
import io.strata.api.metrics.Metrics;
import io.strata.api.plugin.Factory;
import io.strata.api.plugin.Plugin;
import io.strata.api.http.HttpHandler;
import io.strata.api.plugin.PluginContext;
import io.strata.plugin.discovery.DnsResolver.SrvRecord;
import io.strata.plugin.discovery.internal.FakeDnsResolver;
import io.strata.plugin.discovery.internal.Recorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscoveryPluginTest {
    @TempDir
    Path dir;

    /** The part of a kernel context a discovery factory uses: its block and the root configuration. */
    private record Context(Config config, Config rootConfig) implements PluginContext {
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
            throw new UnsupportedOperationException();
        }

        @Override
        public Registration grpcService(Object service) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> T create(Class<T> kind, Config config) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> types(Class<?> kind) {
            return List.of();
        }
    }

    private static Discovery create(DiscoveryPlugin plugin, String type, String block) throws Exception {
        return create(plugin, type, block, ConfigFactory.defaultReference());
    }

    private static Discovery create(DiscoveryPlugin plugin, String type, String block, Config root) throws Exception {
        Factory<?> factory = plugin.factories().stream().filter(f -> f.type().equals(type)).findFirst().orElseThrow();
        assertEquals(Discovery.class, factory.kind());
        return (Discovery) factory.create(new Context(ConfigFactory.parseString(block), root));
    }

    @Test
    void isFoundByServiceLoaderWithThreeTypes() {
        Plugin plugin = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p instanceof DiscoveryPlugin).findFirst().orElseThrow();
        assertEquals("discovery", plugin.name());
        assertEquals(List.of("static", "file", "dns"), plugin.factories().stream().map(Factory::type).toList());
    }

    @Test
    void referenceConfHasEveryDefault() {
        Config reference = ConfigFactory.defaultReference().getConfig("strata.discovery");
        assertEquals(List.of(), reference.getStringList("static.addresses"));
        assertEquals(Duration.ofSeconds(30), reference.getDuration("static.dns-interval"));
        assertEquals(List.of(), reference.getStringList("file.files"));
        assertEquals(Duration.ofMinutes(5), reference.getDuration("file.refresh-interval"));
        assertEquals(List.of(), reference.getStringList("dns.names"));
        assertEquals(Duration.ofSeconds(30), reference.getDuration("dns.interval"));
    }

    @Test
    void staticReportsItsSortedListOnce() throws Exception {
        Recorder recorder = new Recorder();
        try (Discovery d = create(new DiscoveryPlugin(), "static",
                "type = static, addresses = [\"b:2\", \"a:1\", \"[::1]:3\", \"b:2\"]")) {
            d.start(recorder);
        }
        assertEquals(List.of(List.of("[::1]:3", "a:1", "b:2")), recorder.calls());
    }

    @Test
    void staticMixesPlainAndDnsEntries() throws Exception {
        FakeDnsResolver dns = new FakeDnsResolver().address("store", "10.0.0.1")
                .srv("_grpc._tcp.receive", new SrvRecord("receive-0", 10907)).address("receive-0", "10.0.1.1");
        Recorder recorder = new Recorder();
        try (Discovery d = create(new DiscoveryPlugin(dns), "static",
                "addresses = [\"sidecar:10901\", \"dns+store:10901\", \"dnssrv+_grpc._tcp.receive\"]")) {
            d.start(recorder);
        }
        assertEquals(List.of("10.0.0.1:10901", "10.0.1.1:10907", "sidecar:10901"), recorder.last());
    }

    @Test
    void staticRejectsBadEntriesNamingTheKeyAndTheEntry() {
        ConfigException.BadValue e = assertThrows(ConfigException.BadValue.class,
                () -> create(new DiscoveryPlugin(), "static", "addresses = [\"a:1\", \"store-2\"]"));
        assertTrue(e.getMessage().contains("addresses"), e.getMessage());
        assertTrue(e.getMessage().contains("entry 2 \"store-2\": the port is missing"), e.getMessage());

        ConfigException.BadValue number = assertThrows(ConfigException.BadValue.class,
                () -> create(new DiscoveryPlugin(), "static", "addresses = [\"a:1\", 10901]"));
        assertTrue(number.getMessage().contains("addresses") && number.getMessage().contains("entry 2 (10901) is not a string"),
                number.getMessage());

        ConfigException.WrongType notList = assertThrows(ConfigException.WrongType.class,
                () -> create(new DiscoveryPlugin(), "static", "addresses = \"a:1\""));
        assertTrue(notList.getMessage().contains("addresses"), notList.getMessage());

        ConfigException.BadValue interval = assertThrows(ConfigException.BadValue.class,
                () -> create(new DiscoveryPlugin(), "static", "addresses = [\"dns+a:1\"], dns-interval = 0s"));
        assertTrue(interval.getMessage().contains("dns-interval"), interval.getMessage());
    }

    @Test
    void fileAndDnsCheckTheirSettings() {
        ConfigException.BadValue noFiles = assertThrows(ConfigException.BadValue.class,
                () -> create(new DiscoveryPlugin(), "file", "type = file"));
        assertTrue(noFiles.getMessage().contains("files") && noFiles.getMessage().contains("at least one"), noFiles.getMessage());
        ConfigException.BadValue extension = assertThrows(ConfigException.BadValue.class,
                () -> create(new DiscoveryPlugin(), "file", "files = [\"/etc/strata/stores.txt\"]"));
        assertTrue(extension.getMessage().contains("stores.txt") && extension.getMessage().contains(".json, .yml or .yaml"),
                extension.getMessage());
        ConfigException.BadValue badName = assertThrows(ConfigException.BadValue.class,
                () -> create(new DiscoveryPlugin(), "dns", "names = [\"dnssrv+_grpc._tcp.store\", \"dns+store\"]"));
        assertTrue(badName.getMessage().contains("names") && badName.getMessage().contains("entry 2 \"dns+store\""),
                badName.getMessage());
        assertThrows(ConfigException.BadValue.class, () -> create(new DiscoveryPlugin(), "dns", "names = []"));
        assertThrows(ConfigException.BadValue.class,
                () -> create(new DiscoveryPlugin(), "file", "files = [\"a.yaml\"], refresh-interval = -1s"));
    }

    @Test
    void fileDiscoveryFromConfiguration() throws Exception {
        Path file = dir.resolve("stores.yaml");
        Files.writeString(file, "- targets: [store-1:10901]\n");
        Recorder recorder = new Recorder();
        try (Discovery d = create(new DiscoveryPlugin(), "file", "files = [\"" + file + "\"]")) {
            d.start(recorder);
            assertEquals(List.of("store-1:10901"), recorder.last());
            Files.writeString(file, "- targets: [store-1:10901, store-2:10901]\n");
            recorder.awaitLast(List.of("store-1:10901", "store-2:10901"));
        }
    }

    @Test
    void defaultsComeFromTheRootConfigurationOfTheType() throws Exception {
        FakeDnsResolver dns = new FakeDnsResolver().address("store", "10.0.0.1");
        Config root = ConfigFactory.parseString("strata.discovery.dns.interval = 10ms")
                .withFallback(ConfigFactory.defaultReference());
        Recorder recorder = new Recorder();
        try (Discovery d = create(new DiscoveryPlugin(dns), "dns", "names = [\"dns+store:10901\"]", root)) {
            d.start(recorder);
            dns.address("store", "10.0.0.2");
            // only the 10ms interval from the root configuration can bring the change within the deadline
            recorder.awaitLast(List.of("10.0.0.2:10901"));
        }
        Discovery withoutRoot = create(new DiscoveryPlugin(dns), "dns", "names = [\"dns+store:10901\"]", null);
        assertInstanceOf(Discovery.class, withoutRoot);
        withoutRoot.close();
    }
}
