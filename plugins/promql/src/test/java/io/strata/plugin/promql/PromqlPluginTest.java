package io.strata.plugin.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.strata.api.plugin.Factory;
import io.strata.api.plugin.Plugin;
import io.strata.api.plugin.Tool;
import io.strata.plugin.promql.engine.QueryOptions;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class PromqlPluginTest {
    @Test
    void pluginIsDiscoverableAndOffersTheTools() {
        List<Plugin> plugins = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p instanceof PromqlPlugin).toList();
        assertEquals(1, plugins.size());
        List<String> types = plugins.get(0).factories().stream().map(Factory::type).toList();
        assertEquals(List.of("promql-test", "promql-bench"), types);
        assertTrue(plugins.get(0).factories().stream().allMatch(f -> f.kind() == Tool.class));
    }

    @Test
    void referenceConfHoldsEveryEngineSetting() {
        QueryOptions options = PromqlSettings.queryOptions(ConfigFactory.defaultReference());
        assertEquals(300_000, options.lookbackDeltaMillis());
        assertEquals(120_000, options.timeoutMillis());
        assertEquals(50_000_000, options.maxSamples());
        assertEquals(60_000, options.defaultSubqueryStepMillis());
    }
}
