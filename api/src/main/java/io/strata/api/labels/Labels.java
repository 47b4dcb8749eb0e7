package io.strata.api.labels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable set of label name/value pairs sorted by name, as Prometheus keeps them.
 * Names are unique; empty values are dropped (a label with an empty value does not exist).
 * Backed by one array of alternating names and values, so iteration allocates nothing.
 */
public final class Labels implements Comparable<Labels> {
    /** The name of the label that holds the metric name. */
    public static final String METRIC_NAME = "__name__";
    private static final String[] NONE = new String[0];
    public static final Labels EMPTY = new Labels(NONE);

    private final String[] pairs;
    private int hash;

    private Labels(String[] pairs) {
        this.pairs = pairs;
    }

    /** Labels from alternating names and values, in any order; later duplicates win. */
    public static Labels of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("labels need name/value pairs, got an odd count: " + namesAndValues.length);
        }
        Builder b = new Builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            b.set(namesAndValues[i], namesAndValues[i + 1]);
        }
        return b.build();
    }

    public static Labels fromMap(Map<String, String> map) {
        Builder b = new Builder();
        map.forEach(b::set);
        return b.build();
    }

    /**
     * Wraps an array of alternating names and values that the caller guarantees is sorted by name,
     * free of duplicates and of empty values. The array is not copied and must not be changed.
     */
    public static Labels wrapSorted(String[] pairs) {
        return pairs.length == 0 ? EMPTY : new Labels(pairs);
    }

    public int size() {
        return pairs.length >> 1;
    }

    public boolean isEmpty() {
        return pairs.length == 0;
    }

    public String name(int i) {
        return pairs[i << 1];
    }

    public String value(int i) {
        return pairs[(i << 1) + 1];
    }

    /** The value of the label, or {@code ""} when it is absent (Prometheus semantics). */
    public String get(String name) {
        int i = indexOf(name);
        return i < 0 ? "" : pairs[(i << 1) + 1];
    }

    public boolean has(String name) {
        return indexOf(name) >= 0;
    }

    private int indexOf(String name) {
        int lo = 0;
        int hi = size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compareUtf8(pairs[mid << 1], name);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < pairs.length; i += 2) {
            action.accept(pairs[i], pairs[i + 1]);
        }
    }

    public List<String> names() {
        List<String> out = new ArrayList<>(size());
        for (int i = 0; i < pairs.length; i += 2) {
            out.add(pairs[i]);
        }
        return out;
    }

    public Map<String, String> toMap() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        forEach(m::put);
        return m;
    }

    /** These labels without the given names. */
    public Labels without(Collection<String> names) {
        if (names.isEmpty() || pairs.length == 0) {
            return this;
        }
        int dropped = 0;
        for (int i = 0; i < pairs.length; i += 2) {
            if (names.contains(pairs[i])) {
                dropped++;
            }
        }
        return dropped == 0 ? this : subset(names, false, size() - dropped);
    }

    /** Only the given names. */
    public Labels keep(Collection<String> names) {
        if (names.isEmpty() || pairs.length == 0) {
            return EMPTY;
        }
        int kept = 0;
        for (int i = 0; i < pairs.length; i += 2) {
            if (names.contains(pairs[i])) {
                kept++;
            }
        }
        return kept == size() ? this : subset(names, true, kept);
    }

    /** The {@code count} labels whose names are ({@code in}) or are not in {@code names}, still sorted. */
    private Labels subset(Collection<String> names, boolean in, int count) {
        String[] out = new String[count << 1];
        int o = 0;
        for (int i = 0; i < pairs.length; i += 2) {
            if (names.contains(pairs[i]) == in) {
                out[o++] = pairs[i];
                out[o++] = pairs[i + 1];
            }
        }
        return wrapSorted(out);
    }

    public Labels withoutMetricName() {
        return has(METRIC_NAME) ? without(Set.of(METRIC_NAME)) : this;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        for (int i = 0; i < pairs.length; i += 2) {
            b.set(pairs[i], pairs[i + 1]);
        }
        return b;
    }

    /** A copy of the backing array of alternating names and values. */
    public String[] toArray() {
        return pairs.clone();
    }

    @Override
    public int compareTo(Labels o) {
        int n = Math.min(pairs.length, o.pairs.length);
        for (int i = 0; i < n; i++) {
            int c = compareUtf8(pairs[i], o.pairs[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(pairs.length, o.pairs.length);
    }

    /**
     * Compares strings in the order of their UTF-8 bytes (Unicode code point order), as Go and
     * Prometheus sort; {@link String#compareTo} differs for characters above U+FFFF.
     */
    public static int compareUtf8(String a, String b) {
        if (a == b) {
            return 0;
        }
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                boolean xs = Character.isSurrogate(x);
                boolean ys = Character.isSurrogate(y);
                if (xs != ys) {
                    // a surrogate stands for a code point above U+FFFF: above every BMP character
                    return xs ? 1 : -1;
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Labels l && hashCode() == l.hashCode() && Arrays.equals(pairs, l.pairs));
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(pairs);
            hash = h == 0 ? 1 : h;
        }
        return h;
    }

    /** Prometheus's rendering: {@code {a="1", b="2"}} with Go-style escaping of values. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(16 * size() + 2).append('{');
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(pairs[i]).append('=');
            quote(sb, pairs[i + 1]);
        }
        return sb.append('}').toString();
    }

    /** Appends a double-quoted, escaped string as Go's strconv.Quote does for printable text. */
    public static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Mutable builder; {@link #build()} sorts and drops empty values. */
    public static final class Builder {
        private String[] names = new String[8];
        private String[] values = new String[8];
        private int n;

        public Builder set(String name, String value) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("label name must not be empty");
            }
            for (int i = 0; i < n; i++) {
                if (names[i].equals(name)) {
                    values[i] = value == null ? "" : value;
                    return this;
                }
            }
            if (n == names.length) {
                names = Arrays.copyOf(names, n * 2);
                values = Arrays.copyOf(values, n * 2);
            }
            names[n] = name;
            values[n] = value == null ? "" : value;
            n++;
            return this;
        }

        public Builder delete(String name) {
            for (int i = 0; i < n; i++) {
                if (names[i].equals(name)) {
                    values[i] = "";
                }
            }
            return this;
        }

        public String get(String name) {
            for (int i = 0; i < n; i++) {
                if (names[i].equals(name)) {
                    return values[i];
                }
            }
            return "";
        }

        public Builder reset() {
            n = 0;
            return this;
        }

        public Labels build() {
            Integer[] order = new Integer[n];
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (!values[i].isEmpty()) {
                    order[m++] = i;
                }
            }
            if (m == 0) {
                return EMPTY;
            }
            Arrays.sort(order, 0, m, (a, b) -> compareUtf8(names[a], names[b]));
            String[] out = new String[m * 2];
            for (int i = 0; i < m; i++) {
                out[2 * i] = names[order[i]];
                out[2 * i + 1] = values[order[i]];
            }
            return new Labels(out);
        }
    }
}
