package io.strata.kernel.plugin;

import com.typesafe.config.Config;
import io.strata.api.plugin.Factory;
import io.strata.api.plugin.Plugin;
import java.util.List;
import java.util.Objects;

/**
 * A plugin as a host found it.
 *
 * @param id        unique id: the bundle symbolic name, the plugin directory, or the plugin name
 * @param plugin    the entry point
 * @param version   the plugin's version
 * @param source    where it came from (jar path, bundle location, "classpath")
 * @param host      the host that loaded it
 * @param reference its reference.conf, or an empty config when already merged with the classpath's
 * @param factories the factories it offers (read once at load)
 */
public record LoadedPlugin(String id, Plugin plugin, String version, String source, String host, Config reference,
                           List<Factory<?>> factories) {
    public LoadedPlugin {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(plugin, "plugin");
        factories = List.copyOf(factories);
    }
}
