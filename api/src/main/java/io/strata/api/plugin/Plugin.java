package io.strata.api.plugin;

import java.util.List;

/**
 * The one entry point of a plugin. The kernel finds it (through {@code META-INF/services} on the
 * classpath host, through the bundle's manifest on the OSGi host) and asks it for its factories.
 */
public interface Plugin {
    /** A short name, for example {@code objstore-filesystem}. */
    String name();

    /** The plugin's version; by default the implementation version of its jar. */
    default String version() {
        String v = getClass().getPackage() == null ? null : getClass().getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The named factories this plugin offers. */
    List<Factory<?>> factories();

    /**
     * Called once when the plugin is loaded, before any of its factories is used: the place to
     * serve routes or gRPC services of its own. Registrations made here are withdrawn when the
     * plugin is unloaded.
     */
    default void start(PluginContext context) throws Exception {
    }

    /** Called when the plugin is unloaded (its bundle removed, or the process stopping). */
    default void stop() throws Exception {
    }
}
