package io.strata.plugin.tsdb.internal;

import io.strata.api.labels.Labels;
import java.util.Comparator;

/**
 * Go's string order (bytewise on UTF-8, i.e. code-point order), which differs from
 * {@link String#compareTo} for characters above U+FFFF.
 */
public final class Utf8Order {
    public static final Comparator<String> STRINGS = Utf8Order::compare;
    public static final Comparator<Labels> LABELS = Utf8Order::compare;

    private Utf8Order() {
    }

    public static int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                boolean sx = Character.isSurrogate(x);
                boolean sy = Character.isSurrogate(y);
                if (sx != sy) {
                    return sx ? 1 : -1;
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    /** Prometheus's labels.Compare with Go string order. */
    public static int compare(Labels a, Labels b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = compare(a.name(i), b.name(i));
            if (c != 0) {
                return c;
            }
            c = compare(a.value(i), b.value(i));
            if (c != 0) {
                return c;
            }
        }
        return a.size() - b.size();
    }
}
