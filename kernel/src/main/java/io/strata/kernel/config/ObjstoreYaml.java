package io.strata.kernel.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a Thanos objstore YAML file ({@code --objstore.config-file}) into the object storage block
 * Strata's configuration uses:
 *
 * <pre>
 * type: FILESYSTEM                 { type = filesystem
 * config:                    =&gt;      filesystem { directory = /data/bucket }
 *   directory: /data/bucket          prefix = tenant-a }
 * prefix: tenant-a
 * </pre>
 *
 * <p>The type is lower-cased and the {@code config} mapping becomes the block named after it, with
 * its keys unchanged ({@code access_key} stays {@code access_key}; a backend reads the names Thanos
 * documents). {@code prefix} is kept when present. Scalars become strings, which typesafe-config
 * converts on {@code getInt}, {@code getBoolean} or {@code getDuration}; {@code null}, {@code ~} and
 * empty values are left out, so the backend's reference.conf default applies.
 *
 * <p>Objstore files use a small part of YAML and so does this reader, without a YAML library:
 * block mappings by indentation (nested, as in {@code http_config:}), flow mappings and sequences
 * on one line ({@code config: {directory: /x}}, {@code [a, b]}), plain, single- and double-quoted
 * scalars, {@code #} comments and a leading {@code ---}. Block sequences, block scalars
 * ({@code |}, {@code >}), anchors and multi-line flow collections are rejected with the line.
 */
public final class ObjstoreYaml {
    private static final Set<String> TOP_LEVEL_KEYS = Set.of("type", "config", "prefix");

    private final String originDescription;
    private final List<Line> lines = new ArrayList<>();
    private int next;

    private ObjstoreYaml(String originDescription) {
        this.originDescription = originDescription;
    }

    /** Reads an objstore YAML file. */
    public static Config read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Parses objstore YAML text; {@code originDescription} (a file name, say) appears in errors,
     * which are {@link ConfigException.Parse} with the line number.
     */
    public static Config parse(String text, String originDescription) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(originDescription, "originDescription");
        return new ObjstoreYaml(originDescription).convert(text);
    }

    private Config convert(String text) {
        splitLines(text);
        Map<String, Object> document = lines.isEmpty() ? Map.of() : parseBlockMapping(lines.get(0).indent);
        if (next < lines.size()) {
            throw error(lines.get(next).number, "unexpected indentation");
        }
        for (String key : document.keySet()) {
            if (!TOP_LEVEL_KEYS.contains(key)) {
                throw error(lineOfKey(key), "unknown key '" + key + "': an objstore file has type, config and prefix");
            }
        }
        Object type = document.get("type");
        if (!(type instanceof String) || ((String) type).isBlank()) {
            throw error(type == null ? 1 : lineOfKey("type"), "missing 'type' (for example FILESYSTEM, S3, GCS, AZURE)");
        }
        String typeName = ((String) type).trim().toLowerCase(Locale.ROOT);
        Object config = document.get("config");
        if (config != null && !(config instanceof Map)) {
            throw error(lineOfKey("config"), "'config' must be a mapping of the backend's settings");
        }
        Object prefix = document.get("prefix");
        if (prefix != null && !(prefix instanceof String)) {
            throw error(lineOfKey("prefix"), "'prefix' must be a string");
        }

        Map<String, Object> block = new LinkedHashMap<>();
        block.put("type", typeName);
        block.put(typeName, config == null ? Map.of() : config);
        if (prefix != null && !((String) prefix).isEmpty()) {
            block.put("prefix", prefix);
        }
        return ConfigValueFactory.fromMap(block, originDescription).toConfig();
    }

    // ---- lines ------------------------------------------------------------------------------

    /** A meaningful line: its number, indentation and text without the comment. */
    private record Line(int number, int indent, String text) {
    }

    private void splitLines(String text) {
        String[] raw = text.split("\r?\n|\r", -1);
        for (int i = 0; i < raw.length; i++) {
            int number = i + 1;
            String line = raw[i];
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            int indent = 0;
            while (indent < line.length() && line.charAt(indent) == ' ') {
                indent++;
            }
            String content = stripComment(line.substring(indent), number).stripTrailing();
            if (content.isEmpty()) {
                continue;
            }
            if (content.charAt(0) == '\t') {
                throw error(number, "tabs are not allowed for indentation");
            }
            if (indent == 0 && (content.equals("---") || content.startsWith("--- "))) {
                if (!lines.isEmpty()) {
                    throw error(number, "only one YAML document is allowed");
                }
                if (!content.equals("---") && !stripComment(content.substring(4), number).isBlank()) {
                    throw error(number, "content after '---' is not supported");
                }
                continue;
            }
            if (indent == 0 && content.equals("...")) {
                break;
            }
            lines.add(new Line(number, indent, content));
        }
    }

    /** Removes a {@code #} comment: one at the start or after a space, outside quoted scalars. */
    private String stripComment(String text, int number) {
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == '"') {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quote = 0;
                }
            } else if (quote == '\'') {
                if (c == '\'') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                        i++;
                    } else {
                        quote = 0;
                    }
                }
            } else if (c == '#' && (i == 0 || Character.isWhitespace(text.charAt(i - 1)))) {
                return text.substring(0, i);
            } else if ((c == '"' || c == '\'') && startsScalar(text, i)) {
                quote = c;
            }
        }
        if (quote != 0) {
            throw error(number, "unterminated quoted string (multi-line strings are not supported)");
        }
        return text;
    }

    /** A quote starts a quoted scalar when it opens a key or follows ':', '-', '{', '[' or ','. */
    private static boolean startsScalar(String text, int quoteIndex) {
        int j = quoteIndex - 1;
        while (j >= 0 && text.charAt(j) == ' ') {
            j--;
        }
        return j < 0 || ":-{[,".indexOf(text.charAt(j)) >= 0;
    }

    // ---- block mappings ---------------------------------------------------------------------

    private Map<String, Object> parseBlockMapping(int indent) {
        Map<String, Object> mapping = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        while (next < lines.size()) {
            Line line = lines.get(next);
            if (line.indent < indent) {
                break;
            }
            if (line.indent > indent) {
                throw error(line.number, "unexpected indentation");
            }
            next++;
            if (line.text.startsWith("- ") || line.text.equals("-")) {
                throw error(line.number, "block sequences ('- item') are not supported; write [a, b]");
            }
            Cursor cursor = new Cursor(line.text, line.number);
            String key = cursor.key();
            String rest = cursor.rest();
            Object value;
            if (rest.isEmpty()) {
                if (next < lines.size() && lines.get(next).indent > indent) {
                    value = parseBlockMapping(lines.get(next).indent);
                } else {
                    value = null;
                }
            } else {
                char first = rest.charAt(0);
                if (first == '|' || first == '>') {
                    throw error(line.number, "block scalars ('|', '>') are not supported; use a quoted string");
                }
                if (first == '&' || first == '*' || first == '!') {
                    throw error(line.number, "anchors, aliases and tags are not supported");
                }
                value = new Cursor(rest, line.number).valueToEnd();
            }
            if (!seen.add(key)) {
                throw error(line.number, "duplicate key '" + key + "'");
            }
            if (value != null) {
                mapping.put(key, value);
            }
        }
        return mapping;
    }

    private int lineOfKey(String key) {
        for (Line line : lines) {
            if (line.indent == lines.get(0).indent && line.text.matches("[\"']?" + key + "[\"']?\\s*:.*")) {
                return line.number;
            }
        }
        return 1;
    }

    private ConfigException error(int line, String message) {
        ConfigOrigin origin = ConfigOriginFactory.newSimple(originDescription).withLineNumber(line);
        return new ConfigException.Parse(origin, "objstore YAML: " + message);
    }

    // ---- scalars and flow collections ---------------------------------------------------------

    /** Reads keys, scalars and flow collections from one line. */
    private final class Cursor {
        private final String text;
        private final int number;
        private int position;

        Cursor(String text, int number) {
            this.text = text;
            this.number = number;
        }

        /** A block mapping key and its ':' separator. */
        String key() {
            String key;
            if (peek() == '"' || peek() == '\'') {
                key = quoted();
                skipSpaces();
                if (peek() != ':') {
                    throw error(number, "expected ':' after the key");
                }
                position++;
            } else {
                int colon = -1;
                for (int i = position; i < text.length(); i++) {
                    if (text.charAt(i) == ':' && (i + 1 == text.length() || text.charAt(i + 1) == ' ')) {
                        colon = i;
                        break;
                    }
                }
                if (colon < 0) {
                    throw error(number, "expected 'key: value'");
                }
                key = text.substring(position, colon).strip();
                position = colon + 1;
            }
            if (key.isEmpty()) {
                throw error(number, "empty key");
            }
            if (position < text.length() && text.charAt(position) != ' ') {
                throw error(number, "expected a space after ':'");
            }
            return key;
        }

        String rest() {
            return text.substring(position).strip();
        }

        /** The value filling the rest of the line. */
        Object valueToEnd() {
            skipSpaces();
            Object value;
            char first = peek();
            if (first == '{') {
                value = flowMapping();
            } else if (first == '[') {
                value = flowSequence();
            } else if (first == '"' || first == '\'') {
                value = quoted();
            } else {
                value = plain(text.substring(position).strip());
                position = text.length();
            }
            skipSpaces();
            if (position < text.length()) {
                throw error(number, "unexpected text after the value: " + text.substring(position));
            }
            return value;
        }

        private Object flowValue() {
            skipSpaces();
            char first = peek();
            if (first == '{') {
                return flowMapping();
            }
            if (first == '[') {
                return flowSequence();
            }
            if (first == '"' || first == '\'') {
                return quoted();
            }
            int start = position;
            while (position < text.length() && ",]}".indexOf(text.charAt(position)) < 0) {
                position++;
            }
            return plain(text.substring(start, position).strip());
        }

        private Map<String, Object> flowMapping() {
            position++;
            Map<String, Object> mapping = new LinkedHashMap<>();
            skipSpaces();
            if (peek() == '}') {
                position++;
                return mapping;
            }
            while (true) {
                skipSpaces();
                if (position >= text.length()) {
                    throw error(number, "unterminated flow mapping: '{' and '}' must be on the same line");
                }
                String key;
                if (peek() == '"' || peek() == '\'') {
                    key = quoted();
                    skipSpaces();
                } else {
                    int start = position;
                    while (position < text.length() && text.charAt(position) != ':' && ",}".indexOf(text.charAt(position)) < 0) {
                        position++;
                    }
                    key = text.substring(start, position).strip();
                }
                if (peek() != ':' || key.isEmpty()) {
                    throw error(number, "expected 'key: value' in a flow mapping");
                }
                position++;
                Object value = flowValue();
                if (mapping.containsKey(key)) {
                    throw error(number, "duplicate key '" + key + "'");
                }
                if (value != null) {
                    mapping.put(key, value);
                }
                skipSpaces();
                char c = peek();
                position++;
                if (c == '}') {
                    return mapping;
                }
                if (c != ',') {
                    throw error(number, "expected ',' or '}' in a flow mapping (they must end on the same line)");
                }
            }
        }

        private List<Object> flowSequence() {
            position++;
            List<Object> sequence = new ArrayList<>();
            skipSpaces();
            if (peek() == ']') {
                position++;
                return sequence;
            }
            while (true) {
                skipSpaces();
                if (position >= text.length()) {
                    throw error(number, "unterminated flow sequence: '[' and ']' must be on the same line");
                }
                Object value = flowValue();
                if (value == null) {
                    throw error(number, "null items in a sequence are not supported");
                }
                sequence.add(value);
                skipSpaces();
                char c = peek();
                position++;
                if (c == ']') {
                    return sequence;
                }
                if (c != ',') {
                    throw error(number, "expected ',' or ']' in a flow sequence (they must end on the same line)");
                }
            }
        }

        private String quoted() {
            char quote = text.charAt(position++);
            StringBuilder value = new StringBuilder();
            while (position < text.length()) {
                char c = text.charAt(position++);
                if (quote == '\'' && c == '\'') {
                    if (peek() == '\'') {
                        value.append('\'');
                        position++;
                        continue;
                    }
                    return value.toString();
                }
                if (quote == '"' && c == '"') {
                    return value.toString();
                }
                if (quote == '"' && c == '\\') {
                    value.append(escape());
                    continue;
                }
                value.append(c);
            }
            throw error(number, "unterminated quoted string");
        }

        private String escape() {
            if (position >= text.length()) {
                throw error(number, "unterminated escape sequence");
            }
            char c = text.charAt(position++);
            switch (c) {
                case '0': return "\0";
                case 'a': return "\u0007";
                case 'b': return "\b";
                case 't': return "\t";
                case 'n': return "\n";
                case 'v': return "\u000B";
                case 'f': return "\f";
                case 'r': return "\r";
                case 'e': return "\u001B";
                case ' ': return " ";
                case '"': return "\"";
                case '/': return "/";
                case '\\': return "\\";
                case 'x': return codePoint(2);
                case 'u': return codePoint(4);
                case 'U': return codePoint(8);
                default: throw error(number, "unknown escape sequence \\" + c);
            }
        }

        private String codePoint(int digits) {
            if (position + digits > text.length()) {
                throw error(number, "short escape sequence");
            }
            try {
                int codePoint = Integer.parseUnsignedInt(text.substring(position, position + digits), 16);
                position += digits;
                return new String(Character.toChars(codePoint));
            } catch (IllegalArgumentException invalid) {
                throw error(number, "invalid escape sequence: " + invalid.getMessage());
            }
        }

        /** A plain scalar: null for empty, {@code ~} and {@code null}, else the text. */
        private String plain(String value) {
            if (value.isEmpty() || value.equals("~") || value.equals("null") || value.equals("Null") || value.equals("NULL")) {
                return null;
            }
            char first = value.charAt(0);
            if (first == '&' || first == '*' || first == '!' || first == '|' || first == '>') {
                throw error(number, "anchors, aliases, tags and block scalars are not supported");
            }
            return value;
        }

        private char peek() {
            return position < text.length() ? text.charAt(position) : '\0';
        }

        private void skipSpaces() {
            while (position < text.length() && text.charAt(position) == ' ') {
                position++;
            }
        }
    }
}
