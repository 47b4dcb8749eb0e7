package io.strata.plugin.promql.testing;

import io.strata.api.labels.Labels;
import io.strata.api.labels.MatchType;
import io.strata.api.storage.StaleMarker;
import io.strata.plugin.promql.engine.PromqlEngine;
import io.strata.plugin.promql.engine.QueryException;
import io.strata.plugin.promql.engine.QueryOptions;
import io.strata.plugin.promql.engine.QueryResult;
import io.strata.plugin.promql.parser.Durations;
import io.strata.plugin.promql.parser.Expr;
import io.strata.plugin.promql.parser.ParseException;
import io.strata.plugin.promql.parser.Parser;
import io.strata.plugin.promql.parser.Printer;
import io.strata.plugin.promql.parser.Rewriter;
import io.strata.plugin.promql.parser.ValueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs Prometheus PromQL test scripts ({@code *.test}) against {@link PromqlEngine} over a {@link MemoryStorage}.
 * Besides each eval as written, it runs the {@code @}-modifier variants and the range-mode cross-check, as the
 * reference runner does. Native-histogram and experimental cases are skipped with their reason.
 */
public final class PromqlTestRunner {
    private static final Set<String> TIME_FUNCTIONS = Set.of("time", "timestamp", "minute", "hour", "day_of_week",
            "day_of_month", "day_of_year", "days_in_month", "month", "year", "predict_linear");

    private final PromqlEngine engine = new PromqlEngine();
    private final QueryOptions options;
    private final MemoryStorage storage = new MemoryStorage();
    private final Set<String> histogramMetrics = new HashSet<>();
    private final List<Labels> histogramSeries = new ArrayList<>();
    private final List<Labels> typeAndUnitSeries = new ArrayList<>();
    private final Set<String> startTimestampMetrics = new HashSet<>();

    /** A runner with the settings the scripts assume: lookback 5m, max samples 10000, subquery step 1m. */
    public PromqlTestRunner() {
        this(new QueryOptions(300_000, 0, 10_000, 60_000, () -> false));
    }

    public PromqlTestRunner(QueryOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        this.options = options;
    }

    /** Runs one script file. */
    public FileReport run(Path file) throws IOException {
        String name = file.getFileName().toString();
        return run(name, Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Runs a script given as text; {@code name} identifies it in case ids. */
    public FileReport run(String name, String script) {
        storage.clear();
        histogramMetrics.clear();
        startTimestampMetrics.clear();
        String[] raw = script.split("\n", -1);
        String[] lines = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            String l = raw[i].trim();
            lines[i] = l.startsWith("#") ? "" : l;
        }
        List<CaseResult> results = new ArrayList<>();
        boolean wholeFileSkipped = name.equals("native_histograms.test");
        int i = 0;
        while (i < lines.length) {
            String l = lines[i];
            if (l.isEmpty()) {
                i++;
                continue;
            }
            String command = l.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
            int end = i + 1;
            while (!command.equals("clear") && end < lines.length && !lines[end].isEmpty()) {
                end++;
            }
            List<String> body = new ArrayList<>();
            for (int j = i + 1; j < end; j++) {
                body.add(lines[j]);
            }
            String id = name + ":" + (i + 1);
            if (command.equals("clear")) {
                storage.clear();
                histogramMetrics.clear();
                histogramSeries.clear();
                typeAndUnitSeries.clear();
                startTimestampMetrics.clear();
            } else if (command.equals("load") || command.equals("load_with_nhcb")) {
                try {
                    load(l, body, command.equals("load_with_nhcb"));
                } catch (RuntimeException e) {
                    results.add(new CaseResult(id, l, CaseResult.Status.FAILED, "load failed: " + e));
                }
            } else if (command.startsWith("eval")) {
                if (wholeFileSkipped) {
                    results.add(new CaseResult(id, queryOf(l), CaseResult.Status.SKIPPED, "native histograms (whole file)"));
                } else {
                    results.add(evalCase(id, name, l, body));
                }
            } else {
                results.add(new CaseResult(id, l, CaseResult.Status.FAILED, "invalid command " + command));
            }
            i = end;
        }
        return new FileReport(name, results);
    }

    private static String queryOf(String line) {
        Matcher m = EVAL_INSTANT.matcher(line);
        if (m.matches()) {
            return m.group(3);
        }
        m = EVAL_RANGE.matcher(line);
        if (m.matches()) {
            return m.group(5);
        }
        return line;
    }

    // ------------------------------------------------------------------ load

    private void load(String header, List<String> body, boolean nhcb) {
        String[] parts = header.split("\\s+");
        long step = Durations.parse(parts[1]);
        Map<Labels, List<double[]>> series = new LinkedHashMap<>();
        for (String line : body) {
            int split = seriesEnd(line);
            String metric = line.substring(0, split).trim();
            String values = line.substring(split).trim();
            if (metric.endsWith("@st") || values.startsWith("@st")) {
                startTimestampMetrics.add(metricName(metric.endsWith("@st") ? metric.substring(0, metric.length() - 3) : metric));
                continue;
            }
            Labels labels = parseSeries(metric);
            String name = labels.get(Labels.METRIC_NAME);
            if (labels.has("__type__") || labels.has("__unit__")) {
                typeAndUnitSeries.add(labels);
            }
            if (values.contains("{{")) {
                histogramMetrics.add(name);
                histogramSeries.add(labels);
                continue;
            }
            if (nhcb) {
                for (String suffix : new String[] {"_bucket", "_count", "_sum"}) {
                    if (name.endsWith(suffix)) {
                        String base = name.substring(0, name.length() - suffix.length());
                        histogramSeries.add(labels.toBuilder().delete("le").set(Labels.METRIC_NAME, base).build());
                    }
                }
                if (name.endsWith("_bucket")) {
                    histogramMetrics.add(name.substring(0, name.length() - "_bucket".length()));
                }
                if (name.endsWith("_count") || name.endsWith("_sum")) {
                    histogramMetrics.add(name.substring(0, name.lastIndexOf('_')));
                }
            }
            List<double[]> samples = new ArrayList<>();
            List<Double> expanded = expandValues(values);
            for (int k = 0; k < expanded.size(); k++) {
                if (expanded.get(k) != null) {
                    samples.add(new double[] {k * step, expanded.get(k)});
                }
            }
            series.put(labels, samples);
        }
        for (Map.Entry<Labels, List<double[]>> en : series.entrySet()) {
            for (double[] s : en.getValue()) {
                storage.append(en.getKey(), (long) s[0], s[1]);
            }
        }
    }

    private static String metricName(String metric) {
        try {
            return parseSeries(metric).get(Labels.METRIC_NAME);
        } catch (RuntimeException e) {
            return metric;
        }
    }

    /** Where the series part of a description ends (after the closing brace, or at the first space). */
    static int seriesEnd(String line) {
        int brace = line.indexOf('{');
        int space = indexOfWhitespace(line);
        if (brace >= 0 && (space < 0 || brace < space)) {
            boolean quoted = false;
            char quote = 0;
            for (int i = brace; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '\\') {
                        i++;
                    } else if (c == quote) {
                        quoted = false;
                    }
                } else if (c == '"' || c == '\'' || c == '`') {
                    quoted = true;
                    quote = c;
                } else if (c == '}') {
                    return i + 1;
                }
            }
            return line.length();
        }
        return space < 0 ? line.length() : space;
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    static Labels parseSeries(String metric) {
        if (metric.replace(" ", "").equals("{}")) {
            return Labels.EMPTY;
        }
        List<io.strata.api.labels.Matcher> matchers = Parser.parseSelector(metric);
        Labels.Builder b = new Labels.Builder();
        for (io.strata.api.labels.Matcher m : matchers) {
            if (m.type() != MatchType.EQUAL) {
                throw new IllegalArgumentException("series descriptions only allow = matchers: " + metric);
            }
            b.set(m.name(), m.value());
        }
        return b.build();
    }

    private static final String NUMBER = "[+-]?(?:0[xX][0-9a-fA-F]+|(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|[iI]nf|NaN|nan)";
    private static final Pattern SERIES_ITEM = Pattern.compile("(" + NUMBER + ")(?:([+-])(" + NUMBER + "))?x(\\d+)");

    /** Expands the value items of a series description; null marks an empty slot. */
    static List<Double> expandValues(String values) {
        List<Double> out = new ArrayList<>();
        if (values.isEmpty()) {
            return out;
        }
        for (String item : values.trim().split("\\s+")) {
            if (item.equals("_")) {
                out.add(null);
            } else if (item.startsWith("_x")) {
                int k = Integer.parseInt(item.substring(2));
                for (int j = 0; j < k; j++) {
                    out.add(null);
                }
            } else if (item.equals("stale")) {
                out.add(StaleMarker.VALUE);
            } else {
                Matcher m = SERIES_ITEM.matcher(item);
                if (m.matches()) {
                    double start = parseNumber(m.group(1));
                    double inc = m.group(3) == null ? 0 : parseNumber(m.group(3));
                    if ("-".equals(m.group(2))) {
                        inc = -inc;
                    }
                    int k = Integer.parseInt(m.group(4));
                    double v = start;
                    for (int j = 0; j <= k; j++) {
                        out.add(v);
                        v += inc;
                    }
                } else {
                    out.add(parseNumber(item));
                }
            }
        }
        return out;
    }

    static double parseNumber(String s) {
        String t = s.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "inf", "+inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "nan", "+nan", "-nan" -> {
                return Double.NaN;
            }
            default -> {
                boolean negative = t.startsWith("-");
                String u = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
                double v;
                if (u.startsWith("0x") || u.startsWith("0X")) {
                    v = Long.parseLong(u.substring(2), 16);
                } else {
                    v = Double.parseDouble(u);
                }
                return negative ? -v : v;
            }
        }
    }

    // ------------------------------------------------------------------ eval

    private static final Pattern EVAL_INSTANT = Pattern.compile("(?i)^(eval(?:_fail|_warn|_info|_ordered)?)\\s+instant\\s+at\\s+(\\S+)\\s+(.+)$");
    private static final Pattern EVAL_RANGE = Pattern.compile(
            "(?i)^(eval(?:_fail|_warn|_info|_ordered)?)\\s+range\\s+from\\s+(\\S+)\\s+to\\s+(\\S+)\\s+step\\s+(\\S+)\\s+(.+)$");

    /** What an eval statement expects. */
    private static final class Expectation {
        boolean fail;
        String failMessage;
        Pattern failRegex;
        boolean ordered;
        boolean anyWarnExpected;
        boolean anyInfoExpected;
        boolean noWarn;
        boolean noInfo;
        final List<Object> warnMatchers = new ArrayList<>();
        final List<Object> infoMatchers = new ArrayList<>();
        String expectedString;
        boolean rangeVector;
        long rvFrom;
        long rvTo;
        long rvStep;
        Double scalar;
        final List<Labels> seriesLabels = new ArrayList<>();
        final List<List<Double>> seriesValues = new ArrayList<>();
        boolean hasHistogram;
    }

    private CaseResult evalCase(String id, String file, String line, List<String> body) {
        Matcher mi = EVAL_INSTANT.matcher(line);
        Matcher mr = EVAL_RANGE.matcher(line);
        String kind;
        String query;
        long at = 0;
        long start = 0;
        long end = 0;
        long step = 0;
        boolean range;
        try {
            if (mi.matches()) {
                kind = mi.group(1).toLowerCase(Locale.ROOT);
                at = parseTime(mi.group(2));
                query = mi.group(3);
                range = false;
            } else if (mr.matches()) {
                kind = mr.group(1).toLowerCase(Locale.ROOT);
                start = parseTime(mr.group(2));
                end = parseTime(mr.group(3));
                step = Durations.parse(mr.group(4));
                query = mr.group(5);
                range = true;
            } else {
                return new CaseResult(id, line, CaseResult.Status.FAILED, "cannot parse eval statement");
            }
        } catch (RuntimeException e) {
            return new CaseResult(id, line, CaseResult.Status.FAILED, "cannot parse eval statement: " + e.getMessage());
        }
        Expectation ex = new Expectation();
        ex.fail = kind.equals("eval_fail");
        ex.ordered = kind.equals("eval_ordered");
        if (kind.equals("eval_warn")) {
            ex.anyWarnExpected = true;
        }
        if (kind.equals("eval_info")) {
            ex.anyInfoExpected = true;
        }
        String skip = skipReason(file, query, body);
        if (skip != null) {
            return new CaseResult(id, query, CaseResult.Status.SKIPPED, skip);
        }
        try {
            parseBody(body, ex, range, start, end, step);
        } catch (RuntimeException e) {
            return new CaseResult(id, query, CaseResult.Status.FAILED, "cannot parse expectations: " + e);
        }
        try {
            String failure;
            if (range) {
                failure = runRange(query, start, end, step, ex);
            } else {
                failure = runInstant(query, at, ex);
            }
            if (failure != null) {
                return new CaseResult(id, query, CaseResult.Status.FAILED, failure);
            }
            return new CaseResult(id, query, CaseResult.Status.PASSED, "");
        } catch (RuntimeException | StackOverflowError e) {
            return new CaseResult(id, query, CaseResult.Status.FAILED, "unexpected " + e);
        }
    }

    private static long parseTime(String s) {
        if (s.matches("-?\\d+")) {
            return Long.parseLong(s) * 1000;
        }
        if (s.startsWith("-")) {
            return -Durations.parse(s.substring(1));
        }
        return Durations.parse(s);
    }

    private String skipReason(String file, String query, List<String> body) {
        for (String b : body) {
            if (b.contains("{{")) {
                return "native histograms in the expected result";
            }
        }
        try {
            Expr parsed = Parser.parse(query);
            String[] hit = {null};
            Rewriter.any(parsed, n -> {
                if (n instanceof Expr.VectorSelector vs) {
                    for (Labels l : histogramSeries) {
                        boolean all = true;
                        for (io.strata.api.labels.Matcher m : vs.matchers()) {
                            if (!m.matches(l.get(m.name()))) {
                                all = false;
                                break;
                            }
                        }
                        if (all) {
                            hit[0] = l.toString();
                            return true;
                        }
                    }
                }
                return false;
            });
            if (hit[0] != null) {
                return "selects native histogram series " + hit[0];
            }
            boolean[] typed = {false};
            Rewriter.any(parsed, n -> {
                if (n instanceof Expr.VectorSelector vs) {
                    for (Labels l : typeAndUnitSeries) {
                        boolean all = true;
                        for (io.strata.api.labels.Matcher m : vs.matchers()) {
                            if (!m.matches(l.get(m.name()))) {
                                all = false;
                                break;
                            }
                        }
                        if (all) {
                            typed[0] = true;
                            return true;
                        }
                    }
                }
                return false;
            });

        } catch (RuntimeException e) {
            // not parseable: decided by the eval itself
        }
        for (String metric : startTimestampMetrics) {
            if (!metric.isEmpty() && query.contains(metric)) {
                return "experimental: start timestamps (@st) of " + metric;
            }
        }
        return null;
    }

    private static final Pattern MSG = Pattern.compile("^(msg|regex):\\s?(.*)$");

    private static void parseBody(List<String> body, Expectation ex, boolean range, long start, long end, long step) {
        for (String line : body) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("expect ")) {
                String rest = line.substring("expect ".length()).trim();
                String word = rest.split("\\s+", 2)[0];
                String arg = rest.length() > word.length() ? rest.substring(word.length()).trim() : "";
                switch (word) {
                    case "fail" -> {
                        ex.fail = true;
                        Matcher m = MSG.matcher(arg);
                        if (m.matches()) {
                            if (m.group(1).equals("msg")) {
                                ex.failMessage = m.group(2).trim();
                            } else {
                                ex.failRegex = Pattern.compile(m.group(2).trim());
                            }
                        }
                    }
                    case "ordered" -> ex.ordered = true;
                    case "warn", "info" -> {
                        List<Object> target = word.equals("warn") ? ex.warnMatchers : ex.infoMatchers;
                        Matcher m = MSG.matcher(arg);
                        if (m.matches()) {
                            target.add(m.group(1).equals("msg") ? m.group(2).trim() : Pattern.compile(m.group(2).trim()));
                        } else {
                            target.add(Boolean.TRUE);
                        }
                    }
                    case "no_warn" -> ex.noWarn = true;
                    case "no_info" -> ex.noInfo = true;
                    case "string" -> ex.expectedString = ((Expr.StringLiteral) Parser.parse(arg)).value();
                    case "range" -> {
                        Matcher m = Pattern.compile("vector\\s+from\\s+(\\S+)\\s+to\\s+(\\S+)\\s+step\\s+(\\S+)").matcher(arg);
                        if (!m.matches()) {
                            throw new IllegalArgumentException("bad expect range vector: " + line);
                        }
                        ex.rangeVector = true;
                        ex.rvFrom = parseTime(m.group(1));
                        ex.rvTo = parseTime(m.group(2));
                        ex.rvStep = Durations.parse(m.group(3));
                    }
                    default -> throw new IllegalArgumentException("unknown expectation: " + line);
                }
                continue;
            }
            if (lower.startsWith("expected_fail_message")) {
                ex.fail = true;
                ex.failMessage = line.substring(line.indexOf(' ') + 1).trim();
                continue;
            }
            if (lower.startsWith("expected_fail_regexp")) {
                ex.fail = true;
                ex.failRegex = Pattern.compile(line.substring(line.indexOf(' ') + 1).trim());
                continue;
            }
            if (ex.scalar != null) {
                break;
            }
            // a bare number is a scalar
            if (line.matches("[-+]?(\\d|\\.\\d|[iI]nf|NaN|nan|0x).*") && !line.contains("{")) {
                try {
                    ex.scalar = parseNumber(line.split("\\s+")[0]);
                    break;
                } catch (NumberFormatException e) {
                    // a series after all
                }
            }
            int split = seriesEnd(line);
            Labels labels = parseSeries(line.substring(0, split).trim());
            String values = line.substring(split).trim();
            if (values.contains("{{")) {
                ex.hasHistogram = true;
            }
            ex.seriesLabels.add(labels);
            ex.seriesValues.add(expandValues(values));
        }
    }

    // ------------------------------------------------------------------ running

    private String runInstant(String query, long at, Expectation ex) {
        String failure = runInstantOnce(query, at, ex, true);
        if (failure != null) {
            return failure;
        }
        if (ex.fail) {
            return null;
        }
        // @ modifier variants
        Expr parsed = Parser.parse(query);
        if (!Rewriter.any(parsed, n -> n instanceof Expr.Call c && TIME_FUNCTIONS.contains(c.function().name()))) {
            Expr withAt = Rewriter.rewriteMarkingSubqueries(parsed, (n, underAt) -> {
                if (underAt) {
                    return n;
                }
                if (n instanceof Expr.VectorSelector vs && vs.at() == Expr.At.NONE) {
                    return vs.withAt(Expr.At.TIMESTAMP, at);
                }
                if (n instanceof Expr.Subquery sq && sq.at() == Expr.At.NONE) {
                    return sq.withAt(Expr.At.TIMESTAMP, at);
                }
                return n;
            });
            String rewritten = Printer.print(withAt);
            if (!rewritten.equals(Printer.print(parsed))) {
                long[] times = at == 0 ? new long[] {-1000, 0, 1000} : new long[] {-10 * at, 0, at / 5, at, 10 * at};
                for (long t : times) {
                    String f = runInstantOnce(rewritten, t, ex, false);
                    if (f != null) {
                        return "@-modifier variant " + rewritten + " at " + t + "ms: " + f;
                    }
                }
            }
        }
        return null;
    }

    private String runInstantOnce(String query, long at, Expectation ex, boolean original) {
        QueryResult result;
        try {
            result = engine.instantQuery(storage, query, at, options);
        } catch (QueryException e) {
            if (ex.fail) {
                return checkFailMessage(e.getMessage(), ex);
            }
            return "query failed: " + e.getMessage();
        }
        if (ex.fail) {
            return "expected the query to fail, got " + describe(result.value());
        }
        if (original) {
            String a = checkAnnotations(result, ex);
            if (a != null) {
                return a;
            }
        }
        String cmp = compareInstant(result.value(), ex);
        if (cmp != null) {
            return cmp;
        }
        if (original && !ex.ordered && (result.value().type() == ValueType.VECTOR || result.value().type() == ValueType.SCALAR)
                && !Pattern.compile("(?i)\\b(start|end|step|range)\\s*\\(\\s*\\)").matcher(query).find()) {
            QueryResult rangeResult;
            try {
                rangeResult = engine.rangeQuery(storage, query, at - 60_000, at + 60_000, 60_000, options);
            } catch (QueryException e) {
                return "range-mode check failed: " + e.getMessage();
            }
            List<QueryResult.Sample> samples = new ArrayList<>();
            for (QueryResult.SeriesPoints s : ((QueryResult.MatrixValue) rangeResult.value()).series()) {
                for (int k = 0; k < s.timestamps().length; k++) {
                    if (s.timestamps()[k] == at) {
                        samples.add(new QueryResult.Sample(s.labels(), at, s.values()[k]));
                        break;
                    }
                }
            }
            QueryResult.Value asInstant = result.value().type() == ValueType.SCALAR
                    ? new QueryResult.ScalarValue(at, samples.isEmpty() ? Double.NaN : samples.get(0).value())
                    : new QueryResult.VectorValue(samples);
            String r = compareInstant(asInstant, ex);
            if (r != null) {
                return "range-mode check: " + r;
            }
        }
        return null;
    }

    private String runRange(String query, long start, long end, long step, Expectation ex) {
        QueryResult result;
        try {
            result = engine.rangeQuery(storage, query, start, end, step, options);
        } catch (QueryException e) {
            if (ex.fail) {
                return checkFailMessage(e.getMessage(), ex);
            }
            return "query failed: " + e.getMessage();
        }
        if (ex.fail) {
            return "expected the query to fail, got " + describe(result.value());
        }
        String a = checkAnnotations(result, ex);
        if (a != null) {
            return a;
        }
        return compareMatrix((QueryResult.MatrixValue) result.value(), ex, start, step);
    }

    private static String checkFailMessage(String message, Expectation ex) {
        if (ex.failMessage != null && !ex.failMessage.equals(message)) {
            return "expected error message \"" + ex.failMessage + "\", got \"" + message + "\"";
        }
        if (ex.failRegex != null && !ex.failRegex.matcher(message).find()) {
            return "expected error matching " + ex.failRegex + ", got \"" + message + "\"";
        }
        return null;
    }

    private static String checkAnnotations(QueryResult result, Expectation ex) {
        String w = checkKind("warning", result.warnings(), ex.warnMatchers, ex.anyWarnExpected, ex.noWarn);
        if (w != null) {
            return w;
        }
        return checkKind("info", result.infos(), ex.infoMatchers, ex.anyInfoExpected, ex.noInfo);
    }

    private static String checkKind(String kind, List<String> actual, List<Object> matchers, boolean anyExpected, boolean none) {
        if (none && !actual.isEmpty()) {
            return "expected no " + kind + ", got " + actual;
        }
        if (anyExpected && actual.isEmpty()) {
            return "expected a " + kind + ", got none";
        }
        if (matchers.isEmpty()) {
            return null;
        }
        for (Object m : matchers) {
            boolean found = false;
            for (String a : actual) {
                if (matchesAnnotation(m, a)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return "expected " + kind + " " + m + ", got " + actual;
            }
        }
        for (String a : actual) {
            boolean matched = false;
            for (Object m : matchers) {
                if (matchesAnnotation(m, a)) {
                    matched = true;
                    break;
                }
            }
            if (!matched) {
                return "unexpected " + kind + " " + a;
            }
        }
        return null;
    }

    private static boolean matchesAnnotation(Object matcher, String actual) {
        if (matcher instanceof Boolean) {
            return true;
        }
        if (matcher instanceof Pattern p) {
            return p.matcher(actual).find();
        }
        return matcher.equals(actual);
    }

    private static String describe(QueryResult.Value v) {
        if (v instanceof QueryResult.VectorValue vv) {
            StringBuilder sb = new StringBuilder("vector[");
            for (QueryResult.Sample s : vv.samples()) {
                sb.append(s.labels()).append(' ').append(s.value()).append("; ");
            }
            return sb.append(']').toString();
        }
        if (v instanceof QueryResult.MatrixValue mv) {
            StringBuilder sb = new StringBuilder("matrix[");
            for (QueryResult.SeriesPoints s : mv.series()) {
                sb.append(s.labels()).append(" @").append(java.util.Arrays.toString(s.timestamps())).append(' ')
                        .append(java.util.Arrays.toString(s.values())).append("; ");
            }
            return sb.append(']').toString();
        }
        return v.toString();
    }

    private static String compareInstant(QueryResult.Value value, Expectation ex) {
        if (ex.expectedString != null) {
            if (value instanceof QueryResult.StringValue s && s.value().equals(ex.expectedString)) {
                return null;
            }
            return "expected string \"" + ex.expectedString + "\", got " + describe(value);
        }
        if (ex.scalar != null) {
            if (!(value instanceof QueryResult.ScalarValue s)) {
                return "expected scalar " + ex.scalar + ", got " + describe(value);
            }
            return almostEqual(ex.scalar, s.value()) ? null : "expected scalar " + ex.scalar + ", got " + s.value();
        }
        if (ex.rangeVector) {
            if (!(value instanceof QueryResult.MatrixValue mv)) {
                return "expected a range vector, got " + describe(value);
            }
            return compareMatrix(mv, ex, ex.rvFrom, ex.rvStep);
        }
        if (value instanceof QueryResult.ScalarValue || value instanceof QueryResult.StringValue) {
            return "expected a vector, got " + describe(value);
        }
        if (value instanceof QueryResult.MatrixValue mv) {
            if (ex.seriesLabels.isEmpty() && mv.series().isEmpty()) {
                return null;
            }
            return "expected a vector, got " + describe(value);
        }
        List<QueryResult.Sample> samples = ((QueryResult.VectorValue) value).samples();
        if (samples.size() != ex.seriesLabels.size()) {
            return "expected " + ex.seriesLabels.size() + " samples, got " + samples.size() + ": " + describe(value);
        }
        Map<Labels, Integer> expectedIndex = new HashMap<>();
        for (int i = 0; i < ex.seriesLabels.size(); i++) {
            expectedIndex.put(ex.seriesLabels.get(i), i);
        }
        for (int i = 0; i < samples.size(); i++) {
            QueryResult.Sample s = samples.get(i);
            Integer idx = expectedIndex.get(s.labels());
            if (idx == null) {
                return "unexpected sample " + s.labels() + " " + s.value() + " in " + describe(value);
            }
            if (ex.ordered && idx != i) {
                return "expected " + ex.seriesLabels.get(i) + " at position " + i + ", got " + s.labels() + " in " + describe(value);
            }
            List<Double> vals = ex.seriesValues.get(idx);
            if (vals.size() != 1 || vals.get(0) == null) {
                return "expected exactly one value for " + s.labels();
            }
            if (!sameValue(vals.get(0), s.value())) {
                return "expected " + vals.get(0) + " for " + s.labels() + ", got " + s.value();
            }
        }
        return null;
    }

    private static String compareMatrix(QueryResult.MatrixValue mv, Expectation ex, long start, long step) {
        List<QueryResult.SeriesPoints> series = mv.series();
        for (int i = 1; i < series.size(); i++) {
            if (series.get(i - 1).labels().compareTo(series.get(i).labels()) >= 0) {
                return "matrix is not sorted by labels: " + describe(mv);
            }
        }
        Map<Labels, Integer> expectedIndex = new HashMap<>();
        for (int i = 0; i < ex.seriesLabels.size(); i++) {
            expectedIndex.put(ex.seriesLabels.get(i), i);
        }
        if (series.size() != ex.seriesLabels.size()) {
            return "expected " + ex.seriesLabels.size() + " series, got " + series.size() + ": " + describe(mv);
        }
        for (QueryResult.SeriesPoints s : series) {
            Integer idx = expectedIndex.get(s.labels());
            if (idx == null) {
                return "unexpected series " + s.labels() + " in " + describe(mv);
            }
            List<Double> vals = ex.seriesValues.get(idx);
            List<long[]> expectedT = new ArrayList<>();
            List<Double> expectedV = new ArrayList<>();
            for (int k = 0; k < vals.size(); k++) {
                if (vals.get(k) != null) {
                    expectedT.add(new long[] {start + k * step});
                    expectedV.add(vals.get(k));
                }
            }
            if (expectedT.size() != s.timestamps().length) {
                return "series " + s.labels() + ": expected " + expectedT.size() + " points, got " + s.timestamps().length
                        + " " + describe(mv);
            }
            for (int k = 0; k < expectedT.size(); k++) {
                if (expectedT.get(k)[0] != s.timestamps()[k]) {
                    return "series " + s.labels() + ": expected point at " + expectedT.get(k)[0] + ", got " + s.timestamps()[k]
                            + " " + describe(mv);
                }
                if (!sameValue(expectedV.get(k), s.values()[k])) {
                    return "series " + s.labels() + " at " + s.timestamps()[k] + ": expected " + expectedV.get(k) + ", got "
                            + s.values()[k];
                }
            }
        }
        return null;
    }

    private static boolean sameValue(double expected, double actual) {
        if (StaleMarker.isStale(expected) || StaleMarker.isStale(actual)) {
            return StaleMarker.isStale(expected) && StaleMarker.isStale(actual);
        }
        return almostEqual(expected, actual);
    }

    /** Prometheus's test comparison: relative epsilon 1e-6, NaN equals NaN. */
    static boolean almostEqual(double a, double b) {
        if (Double.isNaN(a) && Double.isNaN(b)) {
            return true;
        }
        if (a == b) {
            return true;
        }
        double minNormal = Double.MIN_NORMAL;
        double diff = Math.abs(a - b);
        if (a == 0 || b == 0 || Math.abs(a) + Math.abs(b) < minNormal) {
            return diff < 1e-6 * minNormal;
        }
        return diff / (Math.abs(a) + Math.abs(b)) < 1e-6;
    }

    static boolean isParseError(RuntimeException e) {
        return e instanceof ParseException;
    }
}
