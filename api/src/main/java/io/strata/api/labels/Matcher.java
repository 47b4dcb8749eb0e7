package io.strata.api.labels;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A label matcher with Prometheus semantics: regular expressions are RE2 syntax, fully anchored,
 * with {@code .} matching newlines; a missing label matches as the empty string.
 */
public final class Matcher {
    private final MatchType type;
    private final String name;
    private final String value;
    private final Pattern pattern;
    private final List<String> alternatives;
    private final String prefix;

    private Matcher(MatchType type, String name, String value) {
        this.type = Objects.requireNonNull(type, "type");
        this.name = Objects.requireNonNull(name, "name");
        this.value = Objects.requireNonNull(value, "value");
        if (type == MatchType.REGEX || type == MatchType.NOT_REGEX) {
            this.alternatives = Re2.literalAlternatives(value);
            this.prefix = alternatives == null ? Re2.literalPrefixWithDotStar(value) : null;
            this.pattern = Re2.compile(value);
        } else {
            this.pattern = null;
            this.alternatives = null;
            this.prefix = null;
        }
    }

    /** Builds a matcher; a regex that RE2 rejects throws {@link IllegalArgumentException}. */
    public static Matcher of(MatchType type, String name, String value) {
        return new Matcher(type, name, value);
    }

    public static Matcher equal(String name, String value) {
        return new Matcher(MatchType.EQUAL, name, value);
    }

    public static Matcher notEqual(String name, String value) {
        return new Matcher(MatchType.NOT_EQUAL, name, value);
    }

    public static Matcher regex(String name, String value) {
        return new Matcher(MatchType.REGEX, name, value);
    }

    public static Matcher notRegex(String name, String value) {
        return new Matcher(MatchType.NOT_REGEX, name, value);
    }

    public MatchType type() {
        return type;
    }

    public String name() {
        return name;
    }

    public String value() {
        return value;
    }

    /**
     * For a regex made only of literal alternatives ({@code a|b|c}, or one literal), the literals;
     * otherwise null. Index readers use this to look values up directly instead of scanning.
     */
    public List<String> literalAlternatives() {
        return alternatives;
    }

    /** For a regex of the form {@code literal.*}, the literal; otherwise null. */
    public String literalPrefix() {
        return prefix;
    }

    public boolean matches(String s) {
        return switch (type) {
            case EQUAL -> value.equals(s);
            case NOT_EQUAL -> !value.equals(s);
            case REGEX -> regexMatches(s);
            case NOT_REGEX -> !regexMatches(s);
        };
    }

    private boolean regexMatches(String s) {
        if (alternatives != null) {
            return alternatives.contains(s);
        }
        if (prefix != null) {
            return s.startsWith(prefix);
        }
        return pattern.matcher(s).matches();
    }

    /** True when this matcher accepts the empty string, i.e. series without the label too. */
    public boolean matchesEmpty() {
        return matches("");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matcher m && m.type == type && m.name.equals(name) && m.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, name, value);
    }

    /** PromQL rendering, for example {@code job=~"api|web"}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(type.operator());
        Labels.quote(sb, value);
        return sb.toString();
    }
}
