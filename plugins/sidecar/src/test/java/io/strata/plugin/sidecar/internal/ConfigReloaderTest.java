package io.strata.plugin.sidecar.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReloaderTest {
    @TempDir
    Path dir;
    private final FakeMetrics metrics = new FakeMetrics();
    private final AtomicInteger reloads = new AtomicInteger();
    private volatile boolean refuse;

    private void reload() throws IOException {
        if (refuse) {
            throw new IOException("HTTP 500");
        }
        reloads.incrementAndGet();
    }

    private ConfigReloader reloader(Path config, Path output, List<Path> rules, Duration watch) {
        return new ConfigReloader(new ConfigReloader.Settings(config, output, rules, watch, Duration.ofMillis(20), Duration.ofMillis(100)),
                this::reload, Map.of("POD", "pod-7"), metrics);
    }

    @Test
    void reloadsOnlyWhenContentChangesAndWritesTheSubstitutedCopy() throws Exception {
        Path config = Files.writeString(dir.resolve("prometheus.yml.tmpl"), "replica: $(POD)\n");
        Path output = dir.resolve("prometheus.yml");
        Path rules = Files.createDirectories(dir.resolve("rules"));
        ConfigReloader r = reloader(config, output, List.of(rules), Duration.ofMinutes(1));
        assertTrue(r.applyIfChanged());
        assertEquals("replica: pod-7\n", Files.readString(output));
        assertFalse(r.applyIfChanged());
        Files.writeString(rules.resolve("a.yml"), "groups: []\n");
        assertTrue(r.applyIfChanged());
        Files.writeString(config, "replica: $(POD)\n# same text, new comment\n");
        assertTrue(r.applyIfChanged());
        assertEquals(3, reloads.get());
        assertEquals(3, metrics.count("strata_sidecar_reloader_reloads_total"));
        assertEquals(1.0, metrics.gauges.get("strata_sidecar_reloader_last_reload_successful").getAsDouble());
    }

    @Test
    void aFailedReloadStaysPendingAndCountsAsFailure() throws Exception {
        Path config = Files.writeString(dir.resolve("prometheus.yml"), "a: 1\n");
        ConfigReloader r = reloader(config, null, List.of(), Duration.ofMinutes(1));
        refuse = true;
        assertThrows(IOException.class, r::applyIfChanged);
        assertEquals(1, metrics.count("strata_sidecar_reloader_reloads_failed_total"));
        assertEquals(0.0, metrics.gauges.get("strata_sidecar_reloader_last_reload_successful").getAsDouble());
        refuse = false;
        assertTrue(r.applyIfChanged());
    }

    @Test
    void anUnsetVariableFailsTheApplyWithoutReloading() throws Exception {
        Path config = Files.writeString(dir.resolve("in.yml"), "x: $(NOPE)\n");
        ConfigReloader r = reloader(config, dir.resolve("out.yml"), List.of(), Duration.ofMinutes(1));
        IOException e = assertThrows(IOException.class, r::applyIfChanged);
        assertTrue(e.getMessage().contains("$(NOPE)"), e.getMessage());
        assertEquals(0, reloads.get());
        assertEquals(1, metrics.count("strata_sidecar_reloader_config_apply_operations_failed_total"));
    }

    @Test
    void theRunningReloaderSeesAnEditAndRetriesFailures() throws Exception {
        Path config = Files.writeString(dir.resolve("prometheus.yml"), "a: 1\n");
        refuse = true;
        try (ConfigReloader r = reloader(config, null, List.of(), Duration.ofMinutes(10))) {
            r.start();
            Await.until(Duration.ofSeconds(20), () -> metrics.count("strata_sidecar_reloader_reloads_failed_total") >= 2);
            refuse = false;
            Await.until(Duration.ofSeconds(20), () -> reloads.get() == 1);
            Files.writeString(config, "a: 2\n");
            Await.until(Duration.ofSeconds(20), () -> reloads.get() == 2);
        }
    }
}
