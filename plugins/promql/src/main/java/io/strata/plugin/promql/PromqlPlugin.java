package io.strata.plugin.promql;

import io.strata.api.plugin.Factory;
import io.strata.api.plugin.Plugin;
import io.strata.api.plugin.Tool;
import io.strata.plugin.promql.testing.PromqlBenchTool;
import io.strata.plugin.promql.testing.PromqlTestTool;
import java.util.List;

/** The PromQL plugin: offers the {@code promql-test} and {@code promql-bench} tools; the engine is a library. */
public final class PromqlPlugin implements Plugin {
    @Override
    public String name() {
        return "promql";
    }

    @Override
    public List<Factory<?>> factories() {
        return List.of(
                Factory.of(Tool.class, "promql-test", context -> new PromqlTestTool(false)),
                Factory.of(Tool.class, "promql-bench", context -> new PromqlBenchTool()));
    }
}
