package io.strata.plugin.sidecar.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.strata.api.labels.Labels;
import io.strata.plugin.storeapi.LoopbackGrpcServer;
import io.strata.proto.thanos.info.InfoGrpc;
import io.strata.proto.thanos.info.InfoRequest;
import io.strata.proto.thanos.info.InfoResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The role against a real Prometheus: start-up checks, Info, readiness, and settings errors. */
class SidecarRoleTest {
    @TempDir
    Path dir;

    private FakePluginContext context(String url, String more) {
        return new FakePluginContext("strata.sidecar { prometheus-url = \"" + url + "\", refresh-interval = 100ms, startup-timeout = 30s }\n"
                + more, dir);
    }

    @Test
    void refusesAPrometheusWithoutExternalLabels() throws Exception {
        try (PrometheusServer prometheus = PrometheusServer.start(Files.createDirectories(dir.resolve("p")),
                port -> PrometheusServer.config(Labels.EMPTY, false, port))) {
            SidecarRole role = new SidecarRole(context(prometheus.url(), ""));
            IllegalStateException e = assertThrows(IllegalStateException.class, role::start);
            assertTrue(e.getMessage().contains("has no external labels"), e.getMessage());
            role.stop(Duration.ofSeconds(1));
        }
    }

    @Test
    void servesInfoAsASidecarAndFollowsPrometheusReadiness() throws Exception {
        Labels external = Labels.of("cluster", "eu1", "replica", "0");
        PrometheusServer prometheus = PrometheusServer.start(Files.createDirectories(dir.resolve("p")),
                port -> PrometheusServer.config(external, true, port));
        FakePluginContext context = context(prometheus.url(), "");
        SidecarRole role = new SidecarRole(context);
        try {
            role.start();
            assertTrue(role.ready());
            assertEquals(4, context.services.size(), "Store, Info, Metadata and Exemplars");
            try (LoopbackGrpcServer grpc = new LoopbackGrpcServer(List.copyOf(context.services))) {
                ManagedChannel channel = ManagedChannelBuilder.forTarget(grpc.address()).usePlaintext().build();
                try {
                    InfoResponse info = InfoGrpc.newBlockingStub(channel).info(InfoRequest.getDefaultInstance());
                    assertEquals("sidecar", info.getComponentType());
                    assertEquals("cluster", info.getLabelSets(0).getLabels(0).getName());
                    assertEquals("eu1", info.getLabelSets(0).getLabels(0).getValue());
                    assertEquals(Long.MAX_VALUE, info.getStore().getMaxTime());
                    assertTrue(info.hasMetricMetadata(), "the sidecar serves its Prometheus's metadata");
                    assertTrue(info.hasExemplars(), "and its exemplars");
                } finally {
                    channel.shutdownNow();
                }
            }
            prometheus.close();
            Await.until(Duration.ofSeconds(30), () -> !role.ready());
        } finally {
            role.stop(Duration.ofSeconds(1));
            prometheus.close();
        }
        assertFalse(role.ready());
        assertEquals(0, context.services.size());
    }

    @Test
    void badSettingsNameTheirKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> new SidecarRole(context("localhost:9090", "")));
        assertTrue(e.getMessage().contains("strata.sidecar.prometheus-url"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> new SidecarRole(context("http://localhost:9090", "strata.sidecar.min-time = soon")));
        assertTrue(e.getMessage().contains("strata.sidecar.min-time"), e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> new SidecarRole(context("http://localhost:9090", "strata.sidecar.reloader.config-envsubst-file = out.yml")));
        assertTrue(e.getMessage().contains("needs --reloader.config-file"), e.getMessage());
    }

    @Test
    void theDataDirectoryFallsBackToTheSharedTsdbPathFlag() {
        var c = context("http://localhost:9090", "strata.store.tsdb-path = /prom/data");
        assertEquals(Path.of("/prom/data"), SidecarRole.tsdbPath(c.config(), c.rootConfig()));
        c = context("http://localhost:9090", "strata.store.tsdb-path = /prom/data\nstrata.sidecar.tsdb-path = /own");
        assertEquals(Path.of("/own"), SidecarRole.tsdbPath(c.config(), c.rootConfig()));
    }
}
