package io.strata.it;

import com.typesafe.config.Config;
import io.strata.kernel.plugin.ClasspathPluginHost;
import io.strata.kernel.plugin.ExportedPackages;
import io.strata.kernel.plugin.PluginHost;
import java.nio.file.Path;

class ClasspathHostTest extends PluginHostContractTest {
    @Override
    protected PluginHost host(Path pluginDirectory, Config boot) {
        return new ClasspathPluginHost(pluginDirectory, new ExportedPackages(boot.getStringList("strata.plugins.exported-packages")));
    }
}
