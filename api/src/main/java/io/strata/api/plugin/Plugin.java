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
}
