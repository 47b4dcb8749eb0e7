package io.strata.plugin.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.strata.api.plugin.Factory;
import io.strata.api.plugin.Plugin;
import io.strata.api.plugin.Tool;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class TsdbPluginTest {
    @Test
    void registeredWithToolFactory() throws Exception {
        Plugin p = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get)
                .filter(x -> x instanceof TsdbPlugin).findFirst().orElseThrow();
        assertEquals("tsdb", p.name());
        Factory<?> f = p.factories().stream().filter(x -> x.kind() == Tool.class && x.type().equals("tsdb")).findFirst().orElseThrow();
        Tool t = (Tool) f.create(null);
        assertTrue(t.description().contains("dump"));
    }

    @Test
    void referenceConfHoldsEveryOption() {
        Config c = ConfigFactory.defaultReference().getConfig("strata.tsdb");
        DbOptions o = DbOptions.fromConfig(c);
        assertEquals(2 * 3600 * 1000L, o.blockDuration());
        assertEquals(15L * 24 * 3600 * 1000, o.retentionTime());
        assertEquals(128L * 1024 * 1024, o.walSegmentSize());
        assertEquals(120, o.samplesPerChunk());
        assertEquals(512L * 1024 * 1024, o.chunkSegmentSize());
        assertEquals(0, o.outOfOrderWindow());
        assertTrue(o.externalLabels().isEmpty());
        assertEquals("tsdb", c.getString("path"));
    }
}
