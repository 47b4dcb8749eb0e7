package io.strata.plugin.sidecar.internal;

import io.strata.api.labels.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code global.external_labels} out of the configuration YAML that Prometheus returns from
 * {@code /api/v1/status/config}. Only that part is understood: block mappings by indentation, with
 * plain, single-quoted or double-quoted scalars (what Prometheus's YAML encoder writes), plus an
 * inline flow mapping such as {@code {}}.
 */
final class PrometheusConfigYaml {
    private PrometheusConfigYaml() {
    }

    /** The external labels; empty when the configuration has none. */
    static Labels externalLabels(String yaml) {
        List<String> lines = yaml.lines().toList();
        int global = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = stripComment(lines.get(i));
            if (indent(line) == 0 && line.trim().equals("global:")) {
                global = i;
                break;
            }
        }
        Labels.Builder labels = new Labels.Builder();
        if (global < 0) {
            return labels.build();
        }
        for (int i = global + 1; i < lines.size(); i++) {
            String line = stripComment(lines.get(i));
            if (line.isBlank()) {
                continue;
            }
            int indent = indent(line);
            if (indent == 0) {
                break;
            }
            String trimmed = line.trim();
            if (!trimmed.startsWith("external_labels:")) {
                continue;
            }
            String rest = trimmed.substring("external_labels:".length()).trim();
            if (rest.startsWith("{")) {
                parseFlow(rest, labels);
                return labels.build();
            }
            for (int j = i + 1; j < lines.size(); j++) {
                String child = stripComment(lines.get(j));
                if (child.isBlank()) {
                    continue;
                }
                if (indent(child) <= indent) {
                    break;
                }
                String[] pair = splitPair(child.trim());
                labels.set(scalar(pair[0]), scalar(pair[1]));
            }
            return labels.build();
        }
        return labels.build();
    }

    private static void parseFlow(String flow, Labels.Builder labels) {
        int end = flow.lastIndexOf('}');
        String body = flow.substring(1, end < 0 ? flow.length() : end).trim();
        if (body.isEmpty()) {
            return;
        }
        for (String entry : splitOutsideQuotes(body, ',')) {
            if (!entry.isBlank()) {
                String[] pair = splitPair(entry.trim());
                labels.set(scalar(pair[0]), scalar(pair[1]));
            }
        }
    }

    /** Splits {@code key: value} at the first colon followed by a space (or the end) outside quotes. */
    private static String[] splitPair(String entry) {
        char quote = 0;
        for (int i = 0; i < entry.length(); i++) {
            char c = entry.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == ':' && (i + 1 == entry.length() || entry.charAt(i + 1) == ' ')) {
                return new String[]{entry.substring(0, i).trim(), entry.substring(i + 1).trim()};
            }
        }
        throw new IllegalArgumentException("expected 'name: value' in external_labels, got: " + entry);
    }

    private static List<String> splitOutsideQuotes(String s, char separator) {
        List<String> out = new ArrayList<>();
        char quote = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == separator) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }

    /** The value of a plain, single-quoted or double-quoted scalar. */
    static String scalar(String s) {
        if (s.length() >= 2 && s.charAt(0) == '\'' && s.charAt(s.length() - 1) == '\'') {
            return s.substring(1, s.length() - 1).replace("''", "'");
        }
        if (s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"') {
            return unescapeDoubleQuoted(s.substring(1, s.length() - 1));
        }
        return s;
    }

    private static String unescapeDoubleQuoted(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                sb.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case '0' -> sb.append('\0');
                case 'x' -> {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                case 'U' -> {
                    sb.appendCodePoint(Integer.parseInt(s.substring(i + 1, i + 9), 16));
                    i += 8;
                }
                default -> sb.append(e);
            }
        }
        return sb.toString();
    }

    private static int indent(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** The line without a trailing {@code # comment} outside quotes. */
    private static String stripComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' && (i == 0 || line.charAt(i - 1) == ' ')) {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
