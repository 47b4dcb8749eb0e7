package io.strata.plugin.tsdb.tools;

import io.strata.api.labels.MatchType;
import io.strata.api.labels.Matcher;
import java.util.ArrayList;
import java.util.List;

/** Parses a series selector such as {@code up{job=~"a|b", env!="dev"}} into matchers. */
public final class SelectorParser {
    private SelectorParser() {
    }

    public static Matcher[] parse(String s) {
        s = s.trim();
        List<Matcher> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n && s.charAt(i) != '{') {
            i++;
        }
        String name = s.substring(0, i).trim();
        if (!name.isEmpty()) {
            out.add(Matcher.equal("__name__", name));
        }
        if (i == n) {
            if (out.isEmpty()) {
                throw new IllegalArgumentException("empty selector");
            }
            return out.toArray(new Matcher[0]);
        }
        i++;
        while (true) {
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == ',')) {
                i++;
            }
            if (i >= n) {
                throw new IllegalArgumentException("selector " + s + ": missing '}'");
            }
            if (s.charAt(i) == '}') {
                break;
            }
            int start = i;
            while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                i++;
            }
            String label = s.substring(start, i);
            while (i < n && s.charAt(i) == ' ') {
                i++;
            }
            MatchType type;
            if (s.startsWith("=~", i)) {
                type = MatchType.REGEX;
                i += 2;
            } else if (s.startsWith("!~", i)) {
                type = MatchType.NOT_REGEX;
                i += 2;
            } else if (s.startsWith("!=", i)) {
                type = MatchType.NOT_EQUAL;
                i += 2;
            } else if (s.startsWith("=", i)) {
                type = MatchType.EQUAL;
                i += 1;
            } else {
                throw new IllegalArgumentException("selector " + s + ": expected an operator after " + label);
            }
            while (i < n && s.charAt(i) == ' ') {
                i++;
            }
            if (i >= n || (s.charAt(i) != '"' && s.charAt(i) != '\'')) {
                throw new IllegalArgumentException("selector " + s + ": expected a quoted value for " + label);
            }
            char q = s.charAt(i++);
            StringBuilder v = new StringBuilder();
            while (i < n && s.charAt(i) != q) {
                char c = s.charAt(i++);
                if (c == '\\' && i < n) {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> v.append('\n');
                        case 't' -> v.append('\t');
                        default -> v.append(e);
                    }
                } else {
                    v.append(c);
                }
            }
            i++;
            out.add(Matcher.of(type, label, v.toString()));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("selector " + s + " has no matchers");
        }
        return out.toArray(new Matcher[0]);
    }
}
