package io.strata.kernel.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** Typed reads of configuration values whose errors name the key, the value, its origin and what was expected. */
public final class Settings {
    private Settings() {
    }

    public static String string(Config c, String key) {
        try {
            return c.getString(key);
        } catch (ConfigException e) {
            throw wrap(c, key, "a string", e);
        }
    }

    public static int integer(Config c, String key) {
        try {
            return c.getInt(key);
        } catch (ConfigException e) {
            throw wrap(c, key, "an integer", e);
        }
    }

    public static boolean bool(Config c, String key) {
        try {
            return c.getBoolean(key);
        } catch (ConfigException e) {
            throw wrap(c, key, "true or false", e);
        }
    }

    public static Duration duration(Config c, String key) {
        try {
            return c.getDuration(key);
        } catch (ConfigException e) {
            throw wrap(c, key, "a duration such as 30s or 5m", e);
        }
    }

    public static List<String> strings(Config c, String key) {
        try {
            return c.getStringList(key);
        } catch (ConfigException e) {
            throw wrap(c, key, "a list of strings", e);
        }
    }

    /** A {@code host:port} address; an empty host means all interfaces. */
    public static InetSocketAddress address(Config c, String key) {
        String v = string(c, key);
        int colon = v.lastIndexOf(':');
        if (colon < 0) {
            throw invalid(c, key, v, "host:port, for example 0.0.0.0:10902");
        }
        String host = v.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw invalid(c, key, v, "host:port with a numeric port");
        }
        if (port < 0 || port > 65535) {
            throw invalid(c, key, v, "a port between 0 and 65535");
        }
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    /** One of the allowed values. */
    public static String oneOf(Config c, String key, List<String> allowed) {
        String v = string(c, key);
        if (!allowed.contains(v)) {
            throw invalid(c, key, v, "one of " + allowed);
        }
        return v;
    }

    /** An error for a value that has the right type but a wrong value. */
    public static ConfigError invalid(Config c, String key, Object value, String expected) {
        return new ConfigError(where(c, key) + key + " = '" + value + "': expected " + expected);
    }

    private static ConfigError wrap(Config c, String key, String expected, ConfigException e) {
        if (e instanceof ConfigException.Missing) {
            return new ConfigError("missing setting " + key + " (expected " + expected + ")", e);
        }
        String value;
        try {
            value = c.getValue(key).render();
        } catch (ConfigException ignored) {
            value = "?";
        }
        return new ConfigError(where(c, key) + key + " = " + value + ": expected " + expected, e);
    }

    /** "file: line: " of a value, or "" when unknown. */
    public static String where(Config c, String key) {
        try {
            ConfigValue v = c.getValue(key);
            String d = v.origin().description();
            return d == null ? "" : d + ": ";
        } catch (ConfigException e) {
            return "";
        }
    }
}
