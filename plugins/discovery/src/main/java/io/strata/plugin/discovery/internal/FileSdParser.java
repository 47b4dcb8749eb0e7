package io.strata.plugin.discovery.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the file SD format Prometheus and Thanos use: a list of target groups, each with a list of
 * {@code targets} and optional {@code labels}, written in JSON or YAML.
 *
 * <pre>
 * - targets: ["store-1:10901", "dns+store-2:10901"]
 *   labels: { zone: eu-1 }
 * </pre>
 *
 * <p>Only the part of YAML such files use is understood: block sequences and mappings, flow
 * sequences and mappings ({@code [..]}, <code>{..}</code>, possibly over several lines), plain,
 * single- and double-quoted scalars, {@code #} comments and a leading {@code ---}. Anchors,
 * aliases, tags, block scalars ({@code |}, {@code >}) and several documents are rejected with the
 * line they are on. Labels are checked (names and values are strings) and otherwise ignored:
 * discovery reports addresses only.
 */
public final class FileSdParser {
    /** The two syntaxes of a file SD file. */
    public enum Format {
        JSON,
        YAML;

        /**
         * The format a file's name ends with: {@code .json}, or {@code .yml}/{@code .yaml}.
         *
         * @throws IllegalArgumentException for any other name
         */
        public static Format of(Path file) {
            String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
            if (name.endsWith(".json")) {
                return JSON;
            }
            if (name.endsWith(".yml") || name.endsWith(".yaml")) {
                return YAML;
            }
            throw new IllegalArgumentException("\"" + file + "\" does not end with .json, .yml or .yaml");
        }
    }

    /** A parsed value with the line it starts on. */
    private record Node(Object value, int line) {
    }

    /** A JSON number, {@code true} or {@code false}: a value that is not a string. */
    private record Literal(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    private final String text;
    private final Format format;
    private final int[] lineStarts;

    private FileSdParser(String text, Format format) {
        this.text = text.startsWith("\uFEFF") ? " " + text.substring(1) : text;
        this.format = format;
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < this.text.length(); i++) {
            if (this.text.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The endpoints of every target group in a file, in file order.
     *
     * @throws FileSdException when the text is not a valid file SD document, or a target is not
     *     {@code host:port} (optionally with a DNS prefix)
     */
    public static List<Endpoint> parse(String text, Format format) throws FileSdException {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(format, "format");
        FileSdParser parser = new FileSdParser(text, format);
        Node document = format == Format.JSON ? parser.parseJsonDocument() : parser.new Block().document();
        return targets(document);
    }

    // ---------------------------------------------------------------- the file SD shape

    private static List<Endpoint> targets(Node document) throws FileSdException {
        List<Endpoint> out = new ArrayList<>();
        if (document.value() == null) {
            return out;
        }
        if (!(document.value() instanceof List<?> groups)) {
            throw new FileSdException(document.line(), "expected a list of target groups, got " + describe(document));
        }
        for (Object g : groups) {
            Node group = (Node) g;
            if (!(group.value() instanceof Map<?, ?> fields)) {
                throw new FileSdException(group.line(),
                        "expected a target group ({targets: [...], labels: {...}}), got " + describe(group));
            }
            for (Map.Entry<?, ?> field : fields.entrySet()) {
                Node value = (Node) field.getValue();
                switch ((String) field.getKey()) {
                    case "targets" -> addTargets(value, out);
                    case "labels" -> checkLabels(value);
                    default -> throw new FileSdException(value.line(),
                            "unknown key \"" + field.getKey() + "\" in a target group (expected targets or labels)");
                }
            }
        }
        return out;
    }

    private static void addTargets(Node targets, List<Endpoint> out) throws FileSdException {
        if (targets.value() == null) {
            return;
        }
        if (!(targets.value() instanceof List<?> list)) {
            throw new FileSdException(targets.line(), "expected a list of targets, got " + describe(targets));
        }
        for (Object t : list) {
            Node target = (Node) t;
            if (!(target.value() instanceof String address)) {
                throw new FileSdException(target.line(), "expected a target \"host:port\", got " + describe(target));
            }
            try {
                out.add(Endpoint.parse(address));
            } catch (IllegalArgumentException bad) {
                throw new FileSdException(target.line(), "target \"" + address + "\": " + bad.getMessage());
            }
        }
    }

    private static void checkLabels(Node labels) throws FileSdException {
        if (labels.value() == null) {
            return;
        }
        if (!(labels.value() instanceof Map<?, ?> map)) {
            throw new FileSdException(labels.line(), "expected a mapping of label names to values, got " + describe(labels));
        }
        for (Map.Entry<?, ?> label : map.entrySet()) {
            Node value = (Node) label.getValue();
            if (!(value.value() instanceof String)) {
                throw new FileSdException(value.line(),
                        "label \"" + label.getKey() + "\": expected a string value, got " + describe(value));
            }
        }
    }

    private static String describe(Node node) {
        Object v = node.value();
        if (v == null) {
            return "null";
        }
        if (v instanceof List<?>) {
            return "a list";
        }
        if (v instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (v instanceof Literal literal) {
            return literal.text();
        }
        return "\"" + v + "\"";
    }

    // ---------------------------------------------------------------- positions

    private int lineOf(int offset) {
        int i = Arrays.binarySearch(lineStarts, offset);
        return (i >= 0 ? i : -i - 2) + 1;
    }

    private int lineEnd(int offset) {
        int end = text.indexOf('\n', offset);
        end = end < 0 ? text.length() : end;
        return end > offset && text.charAt(end - 1) == '\r' ? end - 1 : end;
    }

    private FileSdException error(int offset, String message) {
        return new FileSdException(lineOf(Math.min(offset, Math.max(0, text.length() - 1))), message);
    }

    private static String shown(char c) {
        return c == '\n' ? "end of line" : "'" + c + "'";
    }

    // ---------------------------------------------------------------- JSON and YAML flow values

    private Node parseJsonDocument() throws FileSdException {
        Flow flow = new Flow(0);
        flow.skipSpace();
        if (flow.pos >= text.length()) {
            throw error(flow.pos, "empty file (expected a JSON array of target groups)");
        }
        Node document = flow.value();
        flow.skipSpace();
        if (flow.pos < text.length()) {
            throw error(flow.pos, "unexpected " + shown(text.charAt(flow.pos)) + " after the JSON document");
        }
        return document;
    }

    /** Flow values: JSON, or YAML's flow style (which adds single quotes, plain scalars and comments). */
    private final class Flow {
        int pos;

        Flow(int pos) {
            this.pos = pos;
        }

        boolean yaml() {
            return format == Format.YAML;
        }

        void skipSpace() throws FileSdException {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pos++;
                } else if (c == '#' && yaml() && (pos == 0 || Character.isWhitespace(text.charAt(pos - 1)))) {
                    pos = lineEnd(pos);
                } else if (c == '/' && !yaml()) {
                    throw error(pos, "comments are not allowed in JSON");
                } else {
                    return;
                }
            }
        }

        Node value() throws FileSdException {
            skipSpace();
            if (pos >= text.length()) {
                throw error(pos, "unexpected end of file (expected a value)");
            }
            int start = pos;
            char c = text.charAt(pos);
            switch (c) {
                case '[':
                    return new Node(sequence(), lineOf(start));
                case '{':
                    return new Node(mapping(), lineOf(start));
                case '"':
                    return new Node(doubleQuoted(), lineOf(start));
                case '\'':
                    if (yaml()) {
                        return new Node(singleQuoted(), lineOf(start));
                    }
                    throw error(pos, "JSON strings need double quotes");
                default:
                    return yaml() ? plain() : literal();
            }
        }

        private List<Node> sequence() throws FileSdException {
            int open = pos++;
            List<Node> items = new ArrayList<>();
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ']') {
                pos++;
                return items;
            }
            while (true) {
                items.add(value());
                skipSpace();
                if (pos >= text.length()) {
                    throw error(open, "'[' is never closed");
                }
                char c = text.charAt(pos++);
                if (c == ']') {
                    return items;
                }
                if (c != ',') {
                    throw error(pos - 1, "expected ',' or ']' in a list, got " + shown(c));
                }
                skipSpace();
                if (yaml() && pos < text.length() && text.charAt(pos) == ']') {
                    pos++;
                    return items;
                }
            }
        }

        private Map<String, Node> mapping() throws FileSdException {
            int open = pos++;
            Map<String, Node> fields = new LinkedHashMap<>();
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == '}') {
                pos++;
                return fields;
            }
            while (true) {
                Node key = value();
                if (!(key.value() instanceof String name)) {
                    throw error(pos, "expected a string key, got " + describe(key));
                }
                skipSpace();
                if (pos >= text.length() || text.charAt(pos) != ':') {
                    throw error(pos, "expected ':' after the key \"" + name + "\"");
                }
                pos++;
                Node value = value();
                if (fields.put(name, value) != null) {
                    throw new FileSdException(key.line(), "duplicate key \"" + name + "\"");
                }
                skipSpace();
                if (pos >= text.length()) {
                    throw error(open, "'{' is never closed");
                }
                char c = text.charAt(pos++);
                if (c == '}') {
                    return fields;
                }
                if (c != ',') {
                    throw error(pos - 1, "expected ',' or '}' in a mapping, got " + shown(c));
                }
                skipSpace();
                if (yaml() && pos < text.length() && text.charAt(pos) == '}') {
                    pos++;
                    return fields;
                }
            }
        }

        String doubleQuoted() throws FileSdException {
            int open = pos++;
            StringBuilder out = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\n' || c == '\r') {
                    throw error(open, "string is not closed on its line");
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (pos >= text.length()) {
                    break;
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw error(pos, "incomplete \\u escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException bad) {
                            throw error(pos, "bad \\u escape \"" + text.substring(pos, pos + 4) + "\"");
                        }
                        pos += 4;
                    }
                    default -> throw error(pos - 1, "unknown escape \\" + e);
                }
            }
            throw error(open, "string is never closed");
        }

        String singleQuoted() throws FileSdException {
            int open = pos++;
            StringBuilder out = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == '\'') {
                    if (pos < text.length() && text.charAt(pos) == '\'') {
                        out.append('\'');
                        pos++;
                        continue;
                    }
                    return out.toString();
                }
                if (c == '\n' || c == '\r') {
                    throw error(open, "string is not closed on its line");
                }
                out.append(c);
            }
            throw error(open, "string is never closed");
        }

        /** A JSON number, true, false or null. */
        private Node literal() throws FileSdException {
            int start = pos;
            while (pos < text.length() && "-+.eE0123456789abcdefghijklmnopqrstuvwxyz".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
            String word = text.substring(start, pos);
            if (word.equals("null")) {
                return new Node(null, lineOf(start));
            }
            if (word.equals("true") || word.equals("false") || word.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) {
                return new Node(new Literal(word), lineOf(start));
            }
            throw error(start, word.isEmpty() ? "unexpected " + shown(text.charAt(start)) + " (expected a JSON value)"
                    : "unexpected \"" + word + "\" (expected a JSON value; strings need double quotes)");
        }

        /** A YAML plain scalar inside a flow collection: up to a flow indicator, ": " or a comment. */
        private Node plain() throws FileSdException {
            int start = pos;
            checkPlainStart(start);
            int end = lineEnd(pos);
            while (pos < end) {
                char c = text.charAt(pos);
                if (c == ',' || c == '[' || c == ']' || c == '{' || c == '}') {
                    break;
                }
                if (c == ':' && (pos + 1 >= end || " ,[]{}\t".indexOf(text.charAt(pos + 1)) >= 0)) {
                    break;
                }
                if (c == '#' && Character.isWhitespace(text.charAt(pos - 1))) {
                    break;
                }
                pos++;
            }
            String word = text.substring(start, pos).strip();
            if (word.isEmpty()) {
                throw error(start, "unexpected " + shown(text.charAt(start)) + " (expected a value)");
            }
            return new Node(plainValue(word), lineOf(start));
        }
    }

    private void checkPlainStart(int at) throws FileSdException {
        char c = text.charAt(at);
        if (c == '&' || c == '*' || c == '!') {
            throw error(at, "YAML anchors, aliases and tags are not supported here");
        }
        if (c == '|' || c == '>') {
            throw error(at, "YAML block scalars (| and >) are not supported here");
        }
        if (c == '@' || c == '`' || c == '%') {
            throw error(at, "a plain YAML value cannot start with " + shown(c) + "; quote it");
        }
    }

    private static Object plainValue(String word) {
        return word.equals("null") || word.equals("~") || word.equals("Null") || word.equals("NULL") ? null : word;
    }

    // ---------------------------------------------------------------- YAML block style

    /** A meaningful line: not blank, not only a comment. {@code indent} is the column where its content starts. */
    private record Line(int start, int indent, int end) {
    }

    /** YAML block style, line by line: a node's lines are indented more than its parent's. */
    private final class Block {
        private final List<Line> lines = new ArrayList<>();
        private int next;

        Block() throws FileSdException {
            boolean first = true;
            for (int start : lineStarts) {
                if (start > text.length()) {
                    continue;
                }
                int end = lineEnd(start);
                int i = start;
                while (i < end && text.charAt(i) == ' ') {
                    i++;
                }
                if (i < end && text.charAt(i) == '\t') {
                    throw error(i, "tabs are not allowed for indentation in YAML");
                }
                if (i == end || text.charAt(i) == '#') {
                    continue;
                }
                if (i == start && text.startsWith("---", i) && (i + 3 == end || Character.isWhitespace(text.charAt(i + 3)))) {
                    if (!first) {
                        throw error(i, "several YAML documents in one file are not supported");
                    }
                    first = false;
                    int rest = skipBlanks(i + 3, end);
                    if (rest < end && text.charAt(rest) != '#') {
                        lines.add(new Line(start, rest - start, end));
                    }
                    continue;
                }
                if (i == start && text.startsWith("...", i) && (i + 3 == end || Character.isWhitespace(text.charAt(i + 3)))) {
                    break;
                }
                first = false;
                lines.add(new Line(start, i - start, end));
            }
        }

        Node document() throws FileSdException {
            if (lines.isEmpty()) {
                return new Node(null, 1);
            }
            Node document = node(-1);
            if (next < lines.size()) {
                Line line = lines.get(next);
                throw error(line.start() + line.indent(), "unexpected content here (check the indentation)");
            }
            return document;
        }

        private int skipBlanks(int from, int end) {
            while (from < end && (text.charAt(from) == ' ' || text.charAt(from) == '\t')) {
                from++;
            }
            return from;
        }

        private int contentOf(Line line) {
            return line.start() + line.indent();
        }

        private boolean isDash(Line line) {
            int at = contentOf(line);
            return text.charAt(at) == '-' && (at + 1 == line.end() || text.charAt(at + 1) == ' ' || text.charAt(at + 1) == '\t');
        }

        /** Whether the content at {@code at} is the end of the line or a comment. */
        private boolean atEnd(int at, int end) {
            int i = skipBlanks(at, end);
            return i == end || text.charAt(i) == '#';
        }

        /** The node whose lines are indented more than {@code parentIndent}, or a null node. */
        private Node node(int parentIndent) throws FileSdException {
            if (next >= lines.size() || lines.get(next).indent() <= parentIndent) {
                int line = next < lines.size() ? lineOf(lines.get(next).start()) : lineOf(text.length());
                return new Node(null, Math.max(1, line));
            }
            Line line = lines.get(next);
            if (isDash(line)) {
                return sequence(line.indent());
            }
            if (keyEnd(line) >= 0) {
                return mapping(line.indent());
            }
            return inline(contentOf(line), line.indent());
        }

        private Node sequence(int indent) throws FileSdException {
            int firstLine = lineOf(lines.get(next).start());
            List<Node> items = new ArrayList<>();
            while (next < lines.size() && lines.get(next).indent() == indent && isDash(lines.get(next))) {
                Line line = lines.get(next);
                int after = skipBlanks(contentOf(line) + 1, line.end());
                if (atEnd(after, line.end())) {
                    next++;
                    items.add(node(indent));
                } else {
                    // "- value": the value is a node of its own, starting at its column
                    lines.set(next, new Line(line.start(), after - line.start(), line.end()));
                    items.add(node(indent));
                }
            }
            return new Node(items, firstLine);
        }

        private Node mapping(int indent) throws FileSdException {
            int firstLine = lineOf(lines.get(next).start());
            Map<String, Node> fields = new LinkedHashMap<>();
            while (next < lines.size() && lines.get(next).indent() == indent && !isDash(lines.get(next))) {
                Line line = lines.get(next);
                int colon = keyEnd(line);
                if (colon < 0) {
                    throw error(contentOf(line), "expected \"key: value\" in a mapping");
                }
                String key = key(line, colon);
                int keyLine = lineOf(line.start());
                int after = skipBlanks(colon + 1, line.end());
                Node value;
                if (atEnd(after, line.end())) {
                    next++;
                    if (next < lines.size() && lines.get(next).indent() == indent && isDash(lines.get(next))) {
                        value = sequence(indent);
                    } else {
                        value = node(indent);
                    }
                    value = value.value() == null ? new Node(null, keyLine) : value;
                } else {
                    value = inline(after, indent);
                }
                if (fields.put(key, value) != null) {
                    throw new FileSdException(keyLine, "duplicate key \"" + key + "\"");
                }
            }
            return new Node(fields, firstLine);
        }

        /** The offset of the ':' ending the line's key, or -1 when the line is not "key: ...". */
        private int keyEnd(Line line) throws FileSdException {
            int at = contentOf(line);
            char c = text.charAt(at);
            if (c == '"' || c == '\'') {
                Flow flow = new Flow(at);
                if (c == '"') {
                    flow.doubleQuoted();
                } else {
                    flow.singleQuoted();
                }
                int i = skipBlanks(flow.pos, line.end());
                return i < line.end() && text.charAt(i) == ':' ? i : -1;
            }
            if (c == '[' || c == '{') {
                return -1;
            }
            for (int i = at; i < line.end(); i++) {
                char d = text.charAt(i);
                if (d == '#' && i > at && Character.isWhitespace(text.charAt(i - 1))) {
                    return -1;
                }
                if (d == ':' && (i + 1 == line.end() || text.charAt(i + 1) == ' ' || text.charAt(i + 1) == '\t')) {
                    return i;
                }
            }
            return -1;
        }

        private String key(Line line, int colon) throws FileSdException {
            int at = contentOf(line);
            char c = text.charAt(at);
            if (c == '"') {
                return new Flow(at).doubleQuoted();
            }
            if (c == '\'') {
                return new Flow(at).singleQuoted();
            }
            checkPlainStart(at);
            String key = text.substring(at, colon).strip();
            if (key.isEmpty()) {
                throw error(at, "empty key");
            }
            return key;
        }

        /** A value written on the current line from {@code at}: a flow collection, a quoted or a plain scalar. */
        private Node inline(int at, int indent) throws FileSdException {
            Line line = lines.get(next);
            char c = text.charAt(at);
            int end;
            Node value;
            if (c == '[' || c == '{') {
                Flow flow = new Flow(at);
                value = flow.value();
                end = flow.pos;
                while (next < lines.size() && lines.get(next).start() <= end) {
                    line = lines.get(next);
                    next++;
                }
                if (line.end() < end) {
                    throw error(end, "unexpected text after the value");
                }
            } else if (c == '"' || c == '\'') {
                Flow flow = new Flow(at);
                value = new Node(c == '"' ? flow.doubleQuoted() : flow.singleQuoted(), lineOf(at));
                end = flow.pos;
                next++;
            } else {
                checkPlainStart(at);
                end = line.end();
                for (int i = at; i < line.end(); i++) {
                    if (text.charAt(i) == '#' && Character.isWhitespace(text.charAt(i - 1))) {
                        end = i;
                        break;
                    }
                }
                String word = text.substring(at, end).strip();
                if (word.contains(": ") || word.endsWith(":")) {
                    throw error(at, "a mapping cannot start here (check the indentation, or quote the value)");
                }
                value = new Node(plainValue(word), lineOf(at));
                next++;
            }
            if (!atEnd(end, line.end())) {
                throw error(end, "unexpected text after the value");
            }
            if (next < lines.size() && lines.get(next).indent() > indent && !(value.value() == null)) {
                Line more = lines.get(next);
                throw error(contentOf(more), "unexpected indentation (a value continues over several lines?)");
            }
            return value;
        }
    }
}
