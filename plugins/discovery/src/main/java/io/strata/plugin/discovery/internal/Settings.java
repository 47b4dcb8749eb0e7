package io.strata.plugin.discovery.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Reads and checks discovery settings; a bad value names the key, where it was set and what was expected. */
public final class Settings {
    private Settings() {
    }

    /** A list of strings; with {@code nonEmpty}, at least one. */
    public static List<String> strings(Config config, String key, boolean nonEmpty) {
        Objects.requireNonNull(config, "config");
        List<String> out = new ArrayList<>();
        ConfigValue whole = config.getValue(key);
        if (whole.valueType() != ConfigValueType.LIST) {
            throw new ConfigException.WrongType(whole.origin(), key, "a list of strings", whole.valueType().name());
        }
        int index = 0;
        for (ConfigValue value : config.getList(key)) {
            index++;
            if (value.valueType() != ConfigValueType.STRING) {
                throw new ConfigException.BadValue(value.origin(), key,
                        "entry " + index + " (" + value.render() + ") is not a string");
            }
            out.add((String) value.unwrapped());
        }
        if (nonEmpty && out.isEmpty()) {
            throw new ConfigException.BadValue(whole.origin(), key, "expected at least one entry, got an empty list");
        }
        return out;
    }

    /** A list of endpoints: {@code host:port}, optionally with a DNS prefix ({@code dns+}, {@code dnssrv+}, {@code dnssrvnoa+}). */
    public static List<Endpoint> endpoints(Config config, String key, boolean nonEmpty) {
        List<Endpoint> out = new ArrayList<>();
        List<? extends ConfigValue> values = config.getList(key);
        List<String> texts = strings(config, key, nonEmpty);
        for (int i = 0; i < texts.size(); i++) {
            try {
                out.add(Endpoint.parse(texts.get(i)));
            } catch (IllegalArgumentException bad) {
                throw new ConfigException.BadValue(values.get(i).origin(), key,
                        "entry " + (i + 1) + " \"" + texts.get(i) + "\": " + bad.getMessage());
            }
        }
        return out;
    }

    /** A list of file SD paths (files, or globs in the last element) ending with .json, .yml or .yaml. */
    public static List<Path> files(Config config, String key) {
        List<Path> out = new ArrayList<>();
        List<? extends ConfigValue> values = config.getList(key);
        List<String> texts = strings(config, key, true);
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            try {
                if (text.isBlank()) {
                    throw new IllegalArgumentException("the path is empty");
                }
                Path path = Path.of(text);
                FileSdParser.Format.of(path);
                out.add(path);
            } catch (IllegalArgumentException bad) {
                throw new ConfigException.BadValue(values.get(i).origin(), key,
                        "entry " + (i + 1) + " \"" + text + "\": " + bad.getMessage()
                                + " (expected the path of a file SD file ending with .json, .yml or .yaml)");
            }
        }
        return out;
    }

    /** A positive duration. */
    public static Duration positiveDuration(Config config, String key) {
        Duration value = config.getDuration(key);
        if (value.isNegative() || value.isZero()) {
            throw new ConfigException.BadValue(config.getValue(key).origin(), key,
                    "expected a positive duration such as 30s, got " + config.getValue(key).render());
        }
        return value;
    }
}
