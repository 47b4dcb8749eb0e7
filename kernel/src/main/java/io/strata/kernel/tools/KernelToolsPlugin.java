package io.strata.kernel.tools;

import io.strata.api.plugin.Factory;
import io.strata.api.plugin.Plugin;
import io.strata.api.plugin.Tool;
import io.strata.kernel.server.BuildInfo;
import java.util.List;

/** The tools the kernel itself offers: {@code strata tools bucket ...}. */
public final class KernelToolsPlugin implements Plugin {
    @Override
    public String name() {
        return "kernel-tools";
    }

    @Override
    public String version() {
        return BuildInfo.version();
    }

    @Override
    public List<Factory<?>> factories() {
        return List.of(Factory.of(Tool.class, "bucket", BucketTool::new));
    }
}
