package io.strata.plugin.tsdb.tools;

import io.strata.api.labels.Labels;
import java.io.BufferedReader;
import java.io.IOException;

/**
 * Reads samples from OpenMetrics text (the subset promtool's block import uses): comment lines are
 * skipped, each sample line is {@code name{label="value",...} value timestamp} with the timestamp in
 * seconds (converted to milliseconds by truncation, as Prometheus does). NaN becomes Go's
 * {@code math.NaN()} bits.
 */
public final class OpenMetricsReader {
    /** Go's math.NaN() bits, which Prometheus's parsers produce for "NaN". */
    public static final long GO_NAN_BITS = 0x7FF8000000000001L;

    private final BufferedReader in;
    private int lineNo;
    private Labels labels;
    private long t;
    private double v;
    private boolean hasTimestamp;

    public OpenMetricsReader(BufferedReader in) {
        this.in = in;
    }

    /** Advances to the next sample; false at the end or at {@code # EOF}. */
    public boolean next() throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                if (line.equals("# EOF")) {
                    return false;
                }
                continue;
            }
            parse(line);
            return true;
        }
        return false;
    }

    private IOException error(String what) {
        return new IOException("line " + lineNo + ": " + what);
    }

    private void parse(String line) throws IOException {
        int i = 0;
        int n = line.length();
        while (i < n && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        if (name.isEmpty()) {
            throw error("missing metric name");
        }
        Labels.Builder b = new Labels.Builder();
        b.set(Labels.METRIC_NAME, name);
        if (i < n && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (i >= n) {
                    throw error("unterminated label set");
                }
                if (line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                if (eq < 0) {
                    throw error("expected '=' in label set");
                }
                String ln = line.substring(i, eq).trim();
                i = eq + 1;
                if (i >= n || line.charAt(i) != '"') {
                    throw error("expected '\"' after " + ln + "=");
                }
                i++;
                StringBuilder val = new StringBuilder();
                while (true) {
                    if (i >= n) {
                        throw error("unterminated label value");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\' && i < n) {
                        char e = line.charAt(i++);
                        val.append(e == 'n' ? '\n' : e);
                    } else {
                        val.append(c);
                    }
                }
                b.set(ln, val.toString());
                if (i < n && line.charAt(i) == ',') {
                    i++;
                }
            }
        }
        String[] rest = line.substring(i).trim().split(" +");
        if (rest.length < 1 || rest[0].isEmpty()) {
            throw error("missing value");
        }
        v = parseGoFloat(rest[0]);
        hasTimestamp = rest.length >= 2 && !rest[1].startsWith("#");
        if (hasTimestamp) {
            double ts = parseGoFloat(rest[1]);
            if (Double.isNaN(ts) || Double.isInfinite(ts)) {
                throw error("invalid timestamp " + rest[1]);
            }
            t = (long) (ts * 1000);
        }
        labels = b.build();
    }

    /** Parses a float as Go's strconv.ParseFloat does for the usual spellings. */
    public static double parseGoFloat(String s) throws IOException {
        switch (s) {
            case "NaN", "nan" -> {
                return Double.longBitsToDouble(GO_NAN_BITS);
            }
            case "+Inf", "Inf", "+inf", "inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-Inf", "-inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IOException("not a number: " + s);
                }
            }
        }
    }

    public Labels labels() {
        return labels;
    }

    public long timestamp() {
        return t;
    }

    public boolean hasTimestamp() {
        return hasTimestamp;
    }

    public double value() {
        return v;
    }

    public int lineNumber() {
        return lineNo;
    }
}
