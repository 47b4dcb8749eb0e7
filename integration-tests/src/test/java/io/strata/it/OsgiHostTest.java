package io.strata.it;

import com.typesafe.config.Config;
import io.strata.kernel.plugin.PluginHost;
import io.strata.kernel.plugin.osgi.OsgiPluginHost;
import java.nio.file.Path;

class OsgiHostTest extends PluginHostContractTest {
    @Override
    protected PluginHost host(Path pluginDirectory, Config boot) {
        return new OsgiPluginHost(pluginDirectory, boot);
    }
}
