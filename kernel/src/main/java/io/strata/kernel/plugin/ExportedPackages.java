package io.strata.kernel.plugin;

import java.util.List;

/**
 * The packages the kernel shares with plugins: the api and the transport and utility libraries.
 * Everything else on the kernel's class path is invisible to plugins.
 */
public final class ExportedPackages {
    private final List<String> prefixes;

    public ExportedPackages(List<String> prefixes) {
        this.prefixes = List.copyOf(prefixes);
    }

    /** True when a class or package name is shared. */
    public boolean exports(String className) {
        for (String p : prefixes) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    public List<String> prefixes() {
        return prefixes;
    }
}
