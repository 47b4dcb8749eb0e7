package io.strata.plugin.tsdb;

import io.strata.api.plugin.Factory;
import io.strata.api.plugin.Plugin;
import io.strata.api.plugin.Tool;
import io.strata.plugin.tsdb.tools.TsdbTool;
import java.util.List;

/**
 * The tsdb plugin: the Prometheus-compatible storage engine as a library for the receive, store and
 * query plugins, and the {@code tsdb} tool ({@code strata tools tsdb dump|analyze|import-openmetrics}).
 * Open a database with {@link Db#open} and {@link DbOptions#fromConfig}.
 */
public final class TsdbPlugin implements Plugin {
    @Override
    public String name() {
        return "tsdb";
    }

    @Override
    public List<Factory<?>> factories() {
        return List.of(Factory.of(Tool.class, "tsdb", context -> new TsdbTool()));
    }
}
