package io.strata.kernel.objstore;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.strata.kernel.config.ConfigError;
import io.strata.kernel.config.ObjstoreYaml;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The effective object storage block: the HOCON block itself, or, when {@code config-file} or
 * {@code config} holds Thanos objstore YAML, that YAML converted (with the HOCON block's
 * defaults underneath).
 */
public final class ObjstoreSettings {
    private ObjstoreSettings() {
    }

    public static Config effective(Config block) {
        String file = block.hasPath("config-file") ? block.getString("config-file") : "";
        String inline = block.hasPath("config") && block.getValue("config").valueType() == com.typesafe.config.ConfigValueType.STRING
                ? block.getString("config") : "";
        Config stripped = block.withoutPath("config-file").withoutPath("config");
        try {
            if (!file.isBlank()) {
                return ObjstoreYaml.read(Path.of(file)).withFallback(stripped.withoutPath("type"));
            }
            if (!inline.isBlank()) {
                return ObjstoreYaml.parse(inline, "objstore config (inline YAML)").withFallback(stripped.withoutPath("type"));
            }
        } catch (IOException e) {
            throw new ConfigError("cannot read objstore config file " + file + ": " + e.getMessage(), e);
        } catch (ConfigException e) {
            throw new ConfigError("invalid objstore YAML: " + e.getMessage(), e);
        }
        return stripped;
    }

    /** The prefix every object name gets, or "". */
    public static String prefix(Config effective) {
        return effective.hasPath("prefix") ? effective.getString("prefix") : "";
    }
}
