package io.strata.plugin.sidecar.internal;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code $(NAME)} references with environment variable values, the syntax of Thanos's
 * {@code --reloader.config-envsubst-file}. A reference to an unset variable is an error, so that a
 * half-substituted configuration never reaches Prometheus.
 */
final class EnvSubstitution {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([a-zA-Z_0-9]+)\\)");

    private EnvSubstitution() {
    }

    static String apply(String text, Map<String, String> environment) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(environment, "environment");
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String value = environment.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("the configuration refers to $(" + m.group(1) + "), an unset environment variable");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
