package io.strata.kernel.plugin;

import io.strata.kernel.config.ConfigError;
import java.util.List;

/** A configured type no loaded plugin offers. */
public final class UnknownTypeException {
    private UnknownTypeException() {
    }

    static ConfigError of(Class<?> kind, String type, List<String> known, String where) {
        return new ConfigError(where + "unknown " + kind.getSimpleName().toLowerCase(java.util.Locale.ROOT) + " type '" + type
                + "'; known types: " + (known.isEmpty() ? "(none loaded)" : String.join(", ", known)));
    }
}
