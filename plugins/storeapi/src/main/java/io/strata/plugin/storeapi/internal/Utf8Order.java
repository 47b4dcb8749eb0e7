package io.strata.plugin.storeapi.internal;

import io.strata.api.labels.Labels;
import java.util.Comparator;

/**
 * Orders strings and label sets by their UTF-8 bytes, as Go compares strings: the order Thanos and
 * Prometheus sort series in. Java's {@link String#compareTo} compares UTF-16 units, which differs for
 * characters above U+FFFF against characters between U+E000 and U+FFFF.
 */
public final class Utf8Order {
    /** Strings in UTF-8 byte order. */
    public static final Comparator<String> STRINGS = Utf8Order::compare;
    /** Label sets in UTF-8 byte order: name, then value, label by label; a prefix sorts first. */
    public static final Comparator<Labels> LABELS = Utf8Order::compare;

    private Utf8Order() {
    }

    public static int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                boolean xs = Character.isSurrogate(x);
                boolean ys = Character.isSurrogate(y);
                if (xs != ys) {
                    // A surrogate (a code point above U+FFFF) sorts after every BMP character in UTF-8.
                    return xs ? 1 : -1;
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

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
        return Integer.compare(a.size(), b.size());
    }
}
