package io.strata.api.labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Translates RE2 syntax (Go's regexp, which Prometheus uses) to an equivalent
 * {@link java.util.regex.Pattern}, rejecting what RE2 rejects: look-around, back-references,
 * possessive and nested quantifiers, atomic groups, unknown escapes, unbalanced parentheses and
 * repetition counts above 1000. Literal braces that are not a repetition, POSIX classes and
 * {@code (?P<name>)} groups are rewritten to their Java spelling. The result is fully anchored
 * and {@code .} matches newlines, as in Prometheus label matchers.
 */
public final class Re2 {
    private static final Map<String, String> POSIX = Map.ofEntries(
            Map.entry("alnum", "\\p{Alnum}"), Map.entry("alpha", "\\p{Alpha}"), Map.entry("ascii", "\\p{ASCII}"),
            Map.entry("blank", "\\p{Blank}"), Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("digit", "\\p{Digit}"),
            Map.entry("graph", "\\p{Graph}"), Map.entry("lower", "\\p{Lower}"), Map.entry("print", "\\p{Print}"),
            Map.entry("punct", "\\p{Punct}"), Map.entry("space", "\\s"), Map.entry("upper", "\\p{Upper}"),
            Map.entry("word", "\\w"), Map.entry("xdigit", "\\p{XDigit}"));
    private static final String META = "\\.+*?()|[]{}^$";

    private Re2() {
    }

    /** Compiles an RE2 expression for anchored matching; throws IllegalArgumentException with RE2-like messages. */
    public static Pattern compile(String re2) {
        String java = translate(re2);
        try {
            return Pattern.compile("(?:" + java + ")", Pattern.DOTALL | Pattern.UNICODE_CASE);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("error parsing regexp: " + e.getDescription() + ": `" + re2 + "`", e);
        }
    }

    /** The Java spelling of an RE2 expression (not yet anchored). */
    public static String translate(String re) {
        StringBuilder out = new StringBuilder(re.length() + 8);
        int depth = 0;
        boolean lastWasQuantifier = false;
        boolean canRepeat = false;
        int i = 0;
        int n = re.length();
        while (i < n) {
            char c = re.charAt(i);
            switch (c) {
                case '\\' -> {
                    i = escape(re, i, out, false);
                    lastWasQuantifier = false;
                    canRepeat = true;
                    continue;
                }
                case '[' -> {
                    i = characterClass(re, i, out);
                    lastWasQuantifier = false;
                    canRepeat = true;
                    continue;
                }
                case '(' -> {
                    i = group(re, i, out);
                    if (out.charAt(out.length() - 1) != ')') {
                        depth++; // a bare flag group such as (?i) opens nothing
                    }
                    lastWasQuantifier = false;
                    canRepeat = false;
                    continue;
                }
                case ')' -> {
                    if (depth == 0) {
                        throw error("unexpected )", re);
                    }
                    depth--;
                    out.append(c);
                    lastWasQuantifier = false;
                    canRepeat = true;
                }
                case '*', '+', '?' -> {
                    if (lastWasQuantifier) {
                        if (c == '?' && re.charAt(i - 1) != '?') {
                            out.append('?'); // lazy modifier
                            lastWasQuantifier = false;
                            canRepeat = false;
                            i++;
                            continue;
                        }
                        throw error("invalid nested repetition operator: `" + re.substring(i - 1, i + 1) + "`", re);
                    }
                    if (!canRepeat) {
                        throw error("missing argument to repetition operator: `" + c + "`", re);
                    }
                    out.append(c);
                    lastWasQuantifier = true;
                }
                case '{' -> {
                    int end = repetitionEnd(re, i);
                    if (end < 0) {
                        out.append("\\{");
                        lastWasQuantifier = false;
                        canRepeat = true;
                    } else {
                        if (lastWasQuantifier) {
                            throw error("invalid nested repetition operator: `" + re.substring(i, end) + "`", re);
                        }
                        if (!canRepeat) {
                            throw error("missing argument to repetition operator: `" + re.substring(i, end) + "`", re);
                        }
                        out.append(re, i, end);
                        lastWasQuantifier = true;
                        i = end;
                        continue;
                    }
                }
                case '}' -> {
                    out.append("\\}");
                    lastWasQuantifier = false;
                    canRepeat = true;
                }
                case '|' -> {
                    out.append(c);
                    lastWasQuantifier = false;
                    canRepeat = false;
                }
                case '$' -> {
                    // Go's $ without the m flag is end of text; Java's also matches before a final newline.
                    out.append(inMultiline(re) ? "$" : "\\z");
                    lastWasQuantifier = false;
                    canRepeat = false;
                }
                case '^' -> {
                    out.append(c);
                    lastWasQuantifier = false;
                    canRepeat = false;
                }
                default -> {
                    out.append(c);
                    lastWasQuantifier = false;
                    canRepeat = true;
                }
            }
            i++;
        }
        if (depth != 0) {
            throw error("missing closing )", re);
        }
        return out.toString();
    }

    private static boolean inMultiline(String re) {
        int i = re.indexOf("(?");
        while (i >= 0) {
            int j = i + 2;
            while (j < re.length() && Character.isLetter(re.charAt(j)) || j < re.length() && re.charAt(j) == '-') {
                if (re.charAt(j) == 'm') {
                    return true;
                }
                j++;
            }
            i = re.indexOf("(?", i + 2);
        }
        return false;
    }

    private static int group(String re, int i, StringBuilder out) {
        if (i + 1 < re.length() && re.charAt(i + 1) == '?') {
            int j = i + 2;
            if (j >= re.length()) {
                throw error("missing argument to repetition operator: `?`", re);
            }
            char k = re.charAt(j);
            if (k == '=' || k == '!' || k == '>' || (k == '<' && j + 1 < re.length() && (re.charAt(j + 1) == '=' || re.charAt(j + 1) == '!'))) {
                throw error("invalid or unsupported Perl syntax: `" + re.substring(i, Math.min(re.length(), j + 2)) + "`", re);
            }
            if (k == 'P' && j + 1 < re.length() && re.charAt(j + 1) == '<') {
                int close = re.indexOf('>', j);
                if (close < 0) {
                    throw error("invalid named capture: `" + re.substring(i) + "`", re);
                }
                out.append("(?<").append(checkGroupName(re, re.substring(j + 2, close))).append('>');
                return close + 1;
            }
            if (k == '<') {
                int close = re.indexOf('>', j);
                if (close < 0) {
                    throw error("invalid named capture: `" + re.substring(i) + "`", re);
                }
                out.append("(?<").append(checkGroupName(re, re.substring(j + 1, close))).append('>');
                return close + 1;
            }
            // flags: (?flags) or (?flags:re)
            int f = j;
            while (f < re.length() && "imsU-".indexOf(re.charAt(f)) >= 0) {
                if (re.charAt(f) == 'U') {
                    throw error("the ungreedy flag (?U) is not supported: `" + re.substring(i, f + 1) + "`", re);
                }
                f++;
            }
            if (f >= re.length() || (re.charAt(f) != ')' && re.charAt(f) != ':')) {
                throw error("invalid or unsupported Perl syntax: `" + re.substring(i, Math.min(re.length(), f + 1)) + "`", re);
            }
            out.append(re, i, f + 1);
            return f + 1;
        }
        out.append('(');
        return i + 1;
    }

    private static String checkGroupName(String re, String name) {
        if (name.isEmpty() || !name.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_')) {
            throw error("invalid named capture: `" + name + "`", re);
        }
        // Java group names must be ASCII letters and digits; underscores and others are mapped.
        StringBuilder sb = new StringBuilder("g");
        for (char ch : name.toCharArray()) {
            if (ch < 128 && Character.isLetterOrDigit(ch)) {
                sb.append(ch);
            } else {
                sb.append('x').append(Integer.toHexString(ch));
            }
        }
        return sb.toString();
    }

    private static int repetitionEnd(String re, int i) {
        int j = i + 1;
        int n = re.length();
        int start = j;
        while (j < n && Character.isDigit(re.charAt(j))) {
            j++;
        }
        if (j == start) {
            return -1;
        }
        int min = parseCount(re, start, j);
        int max = min;
        if (j < n && re.charAt(j) == ',') {
            j++;
            int s2 = j;
            while (j < n && Character.isDigit(re.charAt(j))) {
                j++;
            }
            max = j == s2 ? -1 : parseCount(re, s2, j);
        }
        if (j >= n || re.charAt(j) != '}') {
            return -1;
        }
        if (min > 1000 || max > 1000 || (max >= 0 && max < min)) {
            throw error("invalid repeat count: `" + re.substring(i, j + 1) + "`", re);
        }
        return j + 1;
    }

    private static int parseCount(String re, int from, int to) {
        if (to - from > 5) {
            return Integer.MAX_VALUE;
        }
        return Integer.parseInt(re.substring(from, to));
    }

    private static int characterClass(String re, int i, StringBuilder out) {
        int n = re.length();
        int j = i + 1;
        out.append('[');
        if (j < n && re.charAt(j) == '^') {
            out.append('^');
            j++;
        }
        boolean first = true;
        while (j < n) {
            char c = re.charAt(j);
            if (c == ']' && !first) {
                out.append(']');
                return j + 1;
            }
            first = false;
            if (c == '[' && j + 1 < n && re.charAt(j + 1) == ':') {
                int close = re.indexOf(":]", j + 2);
                if (close < 0) {
                    throw error("missing closing ]: `" + re.substring(i) + "`", re);
                }
                String name = re.substring(j + 2, close);
                boolean negated = name.startsWith("^");
                String cls = POSIX.get(negated ? name.substring(1) : name);
                if (cls == null) {
                    throw error("invalid character class range: `" + re.substring(j, close + 2) + "`", re);
                }
                out.append(negated ? negate(cls) : cls);
                j = close + 2;
                continue;
            }
            if (c == '\\') {
                j = escape(re, j, out, true);
                continue;
            }
            if (c == '[' || c == '&' || c == ']') {
                out.append('\\');
            }
            out.append(c);
            j++;
        }
        throw error("missing closing ]: `" + re.substring(i) + "`", re);
    }

    private static String negate(String cls) {
        if (cls.startsWith("\\p")) {
            return "\\P" + cls.substring(2);
        }
        return cls.toUpperCase(java.util.Locale.ROOT);
    }

    private static int escape(String re, int i, StringBuilder out, boolean inClass) {
        if (i + 1 >= re.length()) {
            throw error("trailing backslash at end of expression", re);
        }
        char c = re.charAt(i + 1);
        switch (c) {
            case 'd', 'D', 's', 'S', 'w', 'W', 'a', 'f', 't', 'n', 'r' -> {
                out.append('\\').append(c);
                return i + 2;
            }
            case 'b', 'B', 'A', 'z' -> {
                if (inClass) {
                    throw error("invalid escape sequence: `\\" + c + "`", re);
                }
                out.append('\\').append(c);
                return i + 2;
            }
            case 'v' -> {
                out.append("\\x0B");
                return i + 2;
            }
            case 'p', 'P' -> {
                int end = i + 3;
                if (i + 2 < re.length() && re.charAt(i + 2) == '{') {
                    end = re.indexOf('}', i + 2);
                    if (end < 0) {
                        throw error("invalid character class range: `" + re.substring(i) + "`", re);
                    }
                    end++;
                }
                if (end > re.length()) {
                    throw error("invalid character class range: `" + re.substring(i) + "`", re);
                }
                out.append(re, i, end);
                return end;
            }
            case 'Q' -> {
                int end = re.indexOf("\\E", i + 2);
                String lit = end < 0 ? re.substring(i + 2) : re.substring(i + 2, end);
                for (char l : lit.toCharArray()) {
                    if (META.indexOf(l) >= 0 || l == '&' || l == '-') {
                        out.append('\\');
                    }
                    out.append(l);
                }
                return end < 0 ? re.length() : end + 2;
            }
            case 'x' -> {
                int j = i + 2;
                if (j < re.length() && re.charAt(j) == '{') {
                    int end = re.indexOf('}', j);
                    if (end < 0) {
                        throw error("invalid escape sequence: `" + re.substring(i) + "`", re);
                    }
                    out.append(re, i, end + 1);
                    return end + 1;
                }
                if (j + 2 > re.length() || !isHex(re.charAt(j)) || !isHex(re.charAt(j + 1))) {
                    throw error("invalid escape sequence: `" + re.substring(i, Math.min(re.length(), j + 2)) + "`", re);
                }
                out.append(re, i, j + 2);
                return j + 2;
            }
            default -> {
                if (c >= '0' && c <= '7') {
                    int j = i + 1;
                    int end = j;
                    while (end < re.length() && end < j + 3 && re.charAt(end) >= '0' && re.charAt(end) <= '7') {
                        end++;
                    }
                    if (c != '0' && end - j == 1) {
                        throw error("invalid escape sequence: `\\" + c + "`", re);
                    }
                    out.append("\\x{").append(Integer.toHexString(Integer.parseInt(re.substring(j, end), 8))).append('}');
                    return end;
                }
                if (c < 128 && !Character.isLetterOrDigit(c)) {
                    out.append('\\').append(c);
                    return i + 2;
                }
                throw error("invalid escape sequence: `\\" + c + "`", re);
            }
        }
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    /** For {@code a|b|c} made only of literals, the literals (unescaped); otherwise null. */
    public static List<String> literalAlternatives(String re) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '\\') {
                if (i + 1 >= re.length()) {
                    return null;
                }
                char e = re.charAt(i + 1);
                if (e < 128 && !Character.isLetterOrDigit(e)) {
                    cur.append(e);
                    i++;
                    continue;
                }
                return null;
            }
            if (c == '|') {
                out.add(cur.toString());
                cur.setLength(0);
                continue;
            }
            if (META.indexOf(c) >= 0) {
                return null;
            }
            cur.append(c);
        }
        out.add(cur.toString());
        return List.copyOf(out);
    }

    /** For {@code literal.*}, the literal; otherwise null. */
    public static String literalPrefixWithDotStar(String re) {
        if (!re.endsWith(".*") || re.endsWith("\\.*")) {
            return null;
        }
        List<String> alts = literalAlternatives(re.substring(0, re.length() - 2));
        return alts != null && alts.size() == 1 ? alts.get(0) : null;
    }

    private static IllegalArgumentException error(String what, String re) {
        return new IllegalArgumentException("error parsing regexp: " + what + " in `" + re + "`");
    }
}
