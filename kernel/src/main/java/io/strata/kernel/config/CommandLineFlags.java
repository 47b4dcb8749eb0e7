package io.strata.kernel.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Maps Thanos-style command-line flags ({@code --http-address=0.0.0.0:10902},
 * {@code --label 'replica="r0"'}) onto configuration keys. Each module declares its flags in its
 * reference.conf under {@code strata.cli.flags}: the flag name (without dashes) maps to
 * {@code { key = "strata....", kind = string|list|labels|bool }}.
 */
public final class CommandLineFlags {
    private final Map<String, Definition> definitions = new LinkedHashMap<>();

    private record Definition(String key, String kind) {
    }

    public CommandLineFlags(Config reference) {
        if (!reference.hasPath("strata.cli.flags")) {
            return;
        }
        ConfigObject flags = reference.getObject("strata.cli.flags");
        for (String name : flags.keySet()) {
            Config def = flags.toConfig().getConfig("\"" + name + "\"");
            String kind = def.hasPath("kind") ? def.getString("kind") : "string";
            if (!List.of("string", "list", "labels", "bool").contains(kind)) {
                throw new ConfigError("strata.cli.flags.\"" + name + "\".kind = " + kind + ": expected string, list, labels or bool");
            }
            definitions.put(name, new Definition(def.getString("key"), kind));
        }
    }

    /** The known flag names, sorted. */
    public List<String> names() {
        return new ArrayList<>(new TreeSet<>(definitions.keySet()));
    }

    /**
     * Only the flags this set knows, skipping the others (and the value after each): the kernel
     * reads its own flags, such as the log format, before the plugins that declare the rest load.
     */
    public Config parseKnown(List<String> args) {
        List<String> known = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg.startsWith("--") ? arg.substring(2).split("=", 2)[0] : arg;
            String base = name.startsWith("no-") ? name.substring(3) : name;
            boolean takesNext = !arg.contains("=") && i + 1 < args.size() && !args.get(i + 1).startsWith("--");
            if (definitions.containsKey(name) || definitions.containsKey(base)) {
                known.add(arg);
                if (takesNext && !definitions.getOrDefault(name, definitions.get(base)).kind.equals("bool")) {
                    known.add(args.get(++i));
                }
            } else if (takesNext) {
                i++;
            }
        }
        return parse(known);
    }

    /** Turns flags into configuration overrides; an unknown flag or a bad value throws ConfigError. */
    public Config parse(List<String> args) {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        Map<String, Map<String, String>> labels = new LinkedHashMap<>();
        Config out = ConfigFactory.empty();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new ConfigError("unexpected argument '" + arg + "': flags start with --");
            }
            String body = arg.substring(2);
            String value = null;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                value = body.substring(eq + 1);
                body = body.substring(0, eq);
            }
            boolean negated = false;
            Definition def = definitions.get(body);
            if (def == null && body.startsWith("no-") && definitions.containsKey(body.substring(3))
                    && definitions.get(body.substring(3)).kind.equals("bool")) {
                def = definitions.get(body.substring(3));
                negated = true;
            }
            if (def == null) {
                throw new ConfigError("unknown flag --" + body + "; known flags: --" + String.join(", --", names()));
            }
            String origin = "command-line flag --" + body;
            if (def.kind.equals("bool")) {
                boolean b = value == null ? !negated : parseBool(body, value);
                out = ConfigValueFactory.fromAnyRef(b, origin).atPath(def.key).withFallback(out);
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new ConfigError("flag --" + body + " needs a value");
                }
                value = args.get(++i);
            }
            switch (def.kind) {
                case "list" -> lists.computeIfAbsent(def.key, k -> new ArrayList<>()).add(value);
                case "labels" -> {
                    int e = value.indexOf('=');
                    if (e <= 0) {
                        throw new ConfigError("flag --" + body + " = '" + value + "': expected name=\"value\"");
                    }
                    String v = value.substring(e + 1);
                    if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
                        v = v.substring(1, v.length() - 1);
                    }
                    labels.computeIfAbsent(def.key, k -> new LinkedHashMap<>()).put(value.substring(0, e), v);
                }
                default -> out = ConfigValueFactory.fromAnyRef(value, origin).atPath(def.key).withFallback(out);
            }
        }
        for (Map.Entry<String, List<String>> e : lists.entrySet()) {
            out = ConfigValueFactory.fromIterable(e.getValue(), "command-line flags").atPath(e.getKey()).withFallback(out);
        }
        for (Map.Entry<String, Map<String, String>> e : labels.entrySet()) {
            out = ConfigValueFactory.fromMap(e.getValue(), "command-line flags").atPath(e.getKey()).withFallback(out);
        }
        return out;
    }

    private static boolean parseBool(String flag, String v) {
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigError("flag --" + flag + " = '" + v + "': expected true or false");
        };
    }
}
