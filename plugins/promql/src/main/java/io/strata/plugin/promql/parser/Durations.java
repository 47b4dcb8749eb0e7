package io.strata.plugin.promql.parser;

/** Prometheus durations such as {@code 1h30m} or {@code 250ms}, in milliseconds. */
public final class Durations {
    private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
    private static final long[] MILLIS = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1};

    private Durations() {
    }

    /** Parses a duration; units must appear largest first, each at most once. */
    public static long parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty duration string");
        }
        if (text.equals("0")) {
            return 0;
        }
        long total = 0;
        int i = 0;
        int lastUnit = -1;
        while (i < text.length()) {
            int j = i;
            while (j < text.length() && Character.isDigit(text.charAt(j))) {
                j++;
            }
            if (j == i || j >= text.length()) {
                throw new IllegalArgumentException("not a valid duration string: \"" + text + "\"");
            }
            int unit;
            int unitEnd;
            if (text.startsWith("ms", j)) {
                unit = 6;
                unitEnd = j + 2;
            } else {
                unit = "ywdhms".indexOf(text.charAt(j));
                unitEnd = j + 1;
            }
            if (unit < 0 || unit <= lastUnit) {
                throw new IllegalArgumentException("not a valid duration string: \"" + text + "\"");
            }
            lastUnit = unit;
            long n = Long.parseLong(text.substring(i, j));
            total = Math.addExact(total, Math.multiplyExact(n, MILLIS[unit]));
            i = unitEnd;
        }
        return total;
    }

    /** Formats milliseconds as Prometheus does, for example {@code 1h30m}; negative values get a sign. */
    public static String format(long millis) {
        if (millis == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long ms = millis;
        if (ms < 0) {
            sb.append('-');
            ms = -ms;
        }
        for (int u = 0; u < UNITS.length; u++) {
            long n = ms / MILLIS[u];
            if (n > 0) {
                sb.append(n).append(UNITS[u]);
                ms -= n * MILLIS[u];
            }
        }
        return sb.toString();
    }
}
