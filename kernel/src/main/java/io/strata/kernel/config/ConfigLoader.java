package io.strata.kernel.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Builds the effective configuration, highest precedence first: command-line overrides
 * ({@code -Dkey=value} and Thanos flags), JVM system properties under {@code strata.}, the
 * configuration file (with {@code include} and {@code ${?ENV}}), then every module's
 * {@code reference.conf}.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /**
     * @param references the reference.conf of every loaded module, any order
     * @param file       the user's configuration file, or null
     * @param overrides  command-line settings (already typed)
     */
    public static Config load(List<Config> references, Path file, Config overrides) {
        Config reference = ConfigFactory.empty();
        for (Config r : references) {
            reference = reference.withFallback(r);
        }
        Config user = ConfigFactory.empty();
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new ConfigError("configuration file " + file + " does not exist or is not a file");
            }
            try {
                user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults()
                        .setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
            } catch (ConfigException e) {
                throw new ConfigError("malformed configuration: " + e.getMessage(), e);
            }
        }
        Config system = systemOverrides();
        try {
            return overrides.withFallback(system).withFallback(user).withFallback(reference)
                    .resolve(ConfigResolveOptions.defaults().setAllowUnresolved(false));
        } catch (ConfigException e) {
            throw new ConfigError("invalid configuration: " + e.getMessage(), e);
        }
    }

    private static Config systemOverrides() {
        Config all = ConfigFactory.systemProperties();
        return all.hasPath("strata") ? all.withOnlyPath("strata") : ConfigFactory.empty();
    }

    /** A {@code -Dkey=value} setting: lists and objects are parsed as HOCON, anything else is a string. */
    public static Config setting(String key, String value, String origin) {
        String v = value.trim();
        if (v.startsWith("[") || v.startsWith("{")) {
            try {
                return ConfigFactory.parseString("\"\" = " + v, ConfigParseOptions.defaults().setOriginDescription(origin))
                        .getValue("\"\"").atPath(key);
            } catch (ConfigException e) {
                throw new ConfigError(origin + ": cannot parse value of " + key + ": " + e.getMessage(), e);
            }
        }
        return ConfigValueFactory.fromAnyRef(value, origin).atPath(key);
    }

    /** Several settings at once, each with its own origin. */
    public static Config settings(Map<String, Object> values, String origin) {
        Config c = ConfigFactory.empty();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            c = ConfigValueFactory.fromAnyRef(e.getValue(), origin).atPath(e.getKey()).withFallback(c);
        }
        return c;
    }
}
