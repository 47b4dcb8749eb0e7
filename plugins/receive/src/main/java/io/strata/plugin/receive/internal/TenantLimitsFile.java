package io.strata.plugin.receive.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-tenant write limits from Thanos's limits file ({@code --receive.limits-config-file}), re-read
 * while running; an invalid file keeps the limits in force. The file is YAML of this shape (block
 * mappings of scalars; the {@code global} section is accepted and ignored):
 *
 * <pre>
 * write:
 *   default:
 *     request:
 *       size_bytes_limit: 1048576
 *       series_limit: 1000
 *       samples_limit: 10000
 *     head_series_limit: 100000
 *   tenants:
 *     acme:
 *       request:
 *         series_limit: 10
 * </pre>
 *
 * A tenant's unset limits fall back to the default's; 0 means unlimited.
 */
public final class TenantLimitsFile implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TenantLimitsFile.class);

    private record State(Limits defaults, Map<String, Limits> tenants) {
    }

    private final String file;
    private final ScheduledExecutorService watcher;
    private volatile State state = new State(Limits.NONE, Map.of());
    private volatile String lastContent;

    /** @param file the limits file, or "" for no limits */
    public TenantLimitsFile(String file, Duration refreshInterval) {
        this.file = file == null ? "" : file;
        if (this.file.isEmpty()) {
            watcher = null;
            return;
        }
        reload();
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "limits-watcher");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(100, refreshInterval.toMillis());
        watcher.scheduleWithFixedDelay(this::reload, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** The tenant's limits now. */
    public Limits limits(String tenant) {
        State s = state;
        Limits l = s.tenants().get(tenant);
        return l == null ? s.defaults() : l;
    }

    void reload() {
        String content;
        try {
            content = Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (Exception e) {
            LOG.error("cannot read limits file {}: {}; keeping the current limits", file, e.toString());
            return;
        }
        if (content.equals(lastContent)) {
            return;
        }
        lastContent = content;
        try {
            state = parse(content);
            LOG.info("loaded limits file {}: default {}, {} tenant override(s)", file, state.defaults(), state.tenants().size());
        } catch (IllegalArgumentException e) {
            LOG.error("invalid limits file {}: {}; keeping the current limits", file, e.getMessage());
        }
    }

    static State parse(String yaml) {
        Map<String, Object> root = parseYaml(yaml);
        Object write = root.get("write");
        if (write == null) {
            return new State(Limits.NONE, Map.of());
        }
        Map<String, Object> w = map(write, "write");
        Limits defaults = limits(w.get("default"), Limits.NONE, "write.default");
        Map<String, Limits> tenants = new HashMap<>();
        if (w.get("tenants") != null) {
            for (Map.Entry<String, Object> e : map(w.get("tenants"), "write.tenants").entrySet()) {
                tenants.put(e.getKey(), limits(e.getValue(), defaults, "write.tenants." + e.getKey()));
            }
        }
        return new State(defaults, Map.copyOf(tenants));
    }

    private static Limits limits(Object node, Limits fallback, String where) {
        if (node == null) {
            return fallback;
        }
        Map<String, Object> m = map(node, where);
        Map<String, Object> request = m.get("request") == null ? Map.of() : map(m.get("request"), where + ".request");
        return new Limits(number(request.get("size_bytes_limit"), fallback.sizeBytes(), where + ".request.size_bytes_limit"),
                number(request.get("series_limit"), fallback.series(), where + ".request.series_limit"),
                number(request.get("samples_limit"), fallback.samples(), where + ".request.samples_limit"),
                number(m.get("head_series_limit"), fallback.headSeries(), where + ".head_series_limit"));
    }

    private static long number(Object v, long fallback, String where) {
        if (v == null || v.toString().isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.toString());
            if (n < 0) {
                throw new IllegalArgumentException(where + " must not be negative, got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + " must be a whole number, got \"" + v + "\"");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String where) {
        if (o instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException(where + " must be a mapping, got \"" + o + "\"");
    }

    /** Parses block-style YAML mappings of scalars (indentation nesting, # comments, quoted scalars). */
    static Map<String, Object> parseYaml(String yaml) {
        Map<String, Object> root = new LinkedHashMap<>();
        Deque<Map<String, Object>> stack = new ArrayDeque<>();
        Deque<Integer> indents = new ArrayDeque<>();
        stack.push(root);
        indents.push(-1);
        int lineNo = 0;
        for (String raw : yaml.split("\n", -1)) {
            lineNo++;
            String line = stripComment(raw).stripTrailing();
            if (line.isBlank() || line.strip().equals("---")) {
                continue;
            }
            if (line.indexOf('\t') >= 0 && line.substring(0, line.length() - line.stripLeading().length()).indexOf('\t') >= 0) {
                throw new IllegalArgumentException("line " + lineNo + ": tabs are not allowed for indentation");
            }
            int indent = line.length() - line.stripLeading().length();
            String text = line.strip();
            int colon = text.indexOf(':');
            if (colon <= 0 || text.startsWith("- ")) {
                throw new IllegalArgumentException("line " + lineNo + ": expected \"key: value\" or \"key:\", got \"" + text + "\"");
            }
            while (indent <= indents.peek()) {
                stack.pop();
                indents.pop();
            }
            String key = unquote(text.substring(0, colon).strip());
            String value = text.substring(colon + 1).strip();
            Map<String, Object> parent = stack.peek();
            if (value.isEmpty()) {
                Map<String, Object> child = new LinkedHashMap<>();
                parent.put(key, child);
                stack.push(child);
                indents.push(indent);
            } else if (value.equals("{}")) {
                parent.put(key, new LinkedHashMap<String, Object>());
            } else {
                parent.put(key, unquote(value));
            }
        }
        return root;
    }

    private static String stripComment(String line) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            } else if (c == '#' && !single && !dbl && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && ((s.startsWith("\"") && s.endsWith("\"")) || (s.startsWith("'") && s.endsWith("'")))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
