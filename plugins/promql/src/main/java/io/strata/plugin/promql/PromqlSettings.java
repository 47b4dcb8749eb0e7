package io.strata.plugin.promql;

import com.typesafe.config.Config;
import io.strata.plugin.promql.engine.QueryOptions;
import java.util.concurrent.TimeUnit;

/** Reads the {@code strata.promql} block (see reference.conf) into engine options. */
public final class PromqlSettings {
    private PromqlSettings() {
    }

    /** The default query options from a config holding {@code strata.promql}, or the block itself. */
    public static QueryOptions queryOptions(Config config) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        Config c = config.hasPath("strata.promql") ? config.getConfig("strata.promql") : config;
        return new QueryOptions(
                c.getDuration("lookback-delta", TimeUnit.MILLISECONDS),
                c.getDuration("timeout", TimeUnit.MILLISECONDS),
                c.getLong("max-samples"),
                c.getDuration("default-subquery-step", TimeUnit.MILLISECONDS),
                () -> false);
    }
}
