package io.strata.plugin.promql.bench;

import io.strata.plugin.promql.engine.PromqlEngine;
import io.strata.plugin.promql.engine.QueryOptions;
import io.strata.plugin.promql.engine.QueryResult;
import io.strata.plugin.tsdb.Db;
import io.strata.plugin.tsdb.DbOptions;
import io.strata.plugin.tsdb.tools.BlockImporter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Head-to-head benchmark of Strata's PromQL engine against a real Prometheus 2.42 on the same blocks.
 * Run it with {@code plugins/promql/src/test/bench/promql-compare.sh [options]} (see {@link #USAGE}).
 *
 * <p>Data is shaped like Prometheus's engine benchmark and {@code promql-bench}: for each series count N,
 * {@code a_N} and {@code b_N} (N counter-like series each) and {@code h_N} (max(1, N/10) classic histograms of 10
 * {@code le} buckets), 10 000 samples at 10 s. It is written as OpenMetrics text, one file per 2 h block range, and
 * turned into Prometheus-format blocks by the tsdb plugin's importer (what {@code strata tools tsdb
 * import-openmetrics} runs). Prometheus is started on one copy of the blocks with compaction disabled (min = max block
 * duration = 2 h) so both engines read the very same 14 blocks; Strata opens another copy with {@link Db}.
 *
 * <p>Prometheus's engine time is {@code evalTotalTime} from {@code stats=all}; Strata's is the wall time of
 * {@link PromqlEngine} over {@link Db} in this process (parse, select and evaluation). Both are medians of the timed
 * runs after warm-up runs. Samples are Prometheus's {@code totalQueryableSamples}, used for both rates. By default
 * Prometheus runs with GOMAXPROCS=1 and the launcher gives this JVM one processor, so figures are per core. Nothing
 * here asserts timings; this is a measuring tool, not a test.
 */
public final class PromqlCompare {
    static final String USAGE = String.join("\n",
            "usage: promql-compare.sh [--series 1000,100,10,1] [--runs 7] [--warmup 5] [--jit-warmup 15] [--work DIR] [--prometheus PATH]",
            "                         [--prom-procs 1] [--modes inst,range] [--query TEMPLATE]...",
            "  TEMPLATE uses X for the series count, e.g. 'sum(rate(a_X[5m]))'. --work keeps the generated blocks and",
            "  reuses them on the next run with the same --series. --jit-warmup runs every Strata case round-robin for",
            "  that many seconds first, so the first cases are not measured on a cold JIT (Prometheus is compiled ahead).");
    static final int SAMPLES_PER_SERIES = 10_000;
    static final long INTERVAL = 10_000;
    static final long BLOCK = 2 * 3600_000L;
    static final List<String> TEMPLATES = List.of(
            "a_X", "rate(a_X[5m])", "sum by (l) (a_X)", "sum(rate(a_X[5m]))",
            "histogram_quantile(0.9, rate(h_X_bucket[5m]))", "topk(5, a_X)", "max_over_time(rate(a_X[1m])[10m:1m])",
            "a_X + b_X");
    private static final Pattern EVAL = Pattern.compile("\"evalTotalTime\":([-0-9.eE+]+)");
    private static final Pattern SAMPLES = Pattern.compile("\"totalQueryableSamples\":(\\d+)");

    private PromqlCompare() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(List.of(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        int[] counts = {1000, 100, 10, 1};
        int runs = 7;
        int warmup = 5;
        double jitWarmup = 15;
        Path work = null;
        Path prometheus = Path.of("/usr/bin/prometheus");
        String procs = "1";
        List<String> modes = List.of("inst", "range");
        List<String> templates = new ArrayList<>();
        try {
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.equals("-h") || a.equals("--help")) {
                    out.println(USAGE);
                    return 0;
                }
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("missing value for " + a);
                }
                String v = args.get(++i);
                switch (a) {
                    case "--series" -> counts = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                    case "--runs" -> runs = Integer.parseInt(v);
                    case "--warmup" -> warmup = Integer.parseInt(v);
                    case "--jit-warmup" -> jitWarmup = Double.parseDouble(v);
                    case "--work" -> work = Path.of(v);
                    case "--prometheus" -> prometheus = Path.of(v);
                    case "--prom-procs" -> procs = v;
                    case "--modes" -> modes = List.of(v.split(","));
                    case "--query" -> templates.add(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (runs < 1 || warmup < 0 || counts.length == 0) {
                throw new IllegalArgumentException("runs must be positive, warmup not negative, series not empty");
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (templates.isEmpty()) {
            templates.addAll(TEMPLATES);
        }
        if (work == null) {
            work = Files.createTempDirectory("promql-compare-");
        }
        int[] sorted = Arrays.stream(counts).distinct().sorted().toArray();
        Path blocks = work.resolve("blocks-" + String.join("_", Arrays.stream(sorted).mapToObj(Integer::toString).toList()));
        if (!Files.isDirectory(blocks)) {
            long t0 = System.nanoTime();
            generate(work, blocks, sorted, err);
            err.printf("generated and imported blocks in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, blocks);
        } else {
            err.println("reusing blocks in " + blocks);
        }
        Path promData = work.resolve("prom-data");
        Path strataData = work.resolve("strata-data");
        deleteTree(promData);
        deleteTree(strataData);
        copyBlocks(blocks, promData);
        copyBlocks(blocks, strataData);

        long end = (SAMPLES_PER_SERIES - 1) * INTERVAL;
        long start = end - 999 * INTERVAL;
        Prometheus prom = startPrometheus(prometheus, work, promData, procs, err);
        Thread stopper = new Thread(() -> stop(prom.process()));
        Runtime.getRuntime().addShutdownHook(stopper);
        try (Db db = Db.open(strataData, DbOptions.defaults(BLOCK))) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String base = prom.base();
            awaitPrometheus(client, base, "a_" + sorted[0], end, prom.process());
            PromqlEngine engine = new PromqlEngine();
            QueryOptions options = new QueryOptions(300_000, 0, 500_000_000L, 60_000, () -> false);
            // a long-running server is JIT-compiled; without this the first cases measure the compiler, not the engine
            long warmDeadline = System.nanoTime() + (long) (jitWarmup * 1e9);
            int passes = 0;
            do {
                for (int n : counts) {
                    for (String template : templates) {
                        String q = template.replace("X", Integer.toString(n));
                        for (String mode : modes) {
                            if (mode.equals("range")) {
                                engine.rangeQuery(db, q, start, end, INTERVAL, options);
                            } else {
                                engine.instantQuery(db, q, end, options);
                            }
                        }
                    }
                }
                passes++;
            } while (System.nanoTime() < warmDeadline);
            err.println("JIT warm-up: " + passes + " passes over all cases");
            out.printf("Prometheus %s (GOMAXPROCS=%s) vs Strata on the same %d blocks; median of %d runs after %d warm-up;"
                            + " range = 1000 steps of 10 s ending at %d s%n",
                    "2.42", procs, countBlocks(blocks), runs, warmup, end / 1000);
            out.printf("%-48s %5s %6s %12s %10s %10s %9s %9s %7s %12s%n", "query", "mode", "series", "samples",
                    "prom-ms", "strata-ms", "prom-M/s", "strata-M/s", "ratio", "strata-samp");
            for (int n : counts) {
                for (String template : templates) {
                    String q = template.replace("X", Integer.toString(n));
                    for (String mode : modes) {
                        boolean range = mode.equals("range");
                        String url = base + (range
                                ? "/api/v1/query_range?stats=all&start=" + start / 1000 + "&end=" + end / 1000 + "&step=10"
                                : "/api/v1/query?stats=all&time=" + end / 1000)
                                + "&query=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
                        double[] promSeconds = new double[runs];
                        double[] strataSeconds = new double[runs];
                        long[] samples = {-1, 0};
                        long strataSamples = 0;
                        String failure = null;
                        for (int w = 0; w < warmup && failure == null; w++) {
                            failure = prometheusRun(client, url, samples);
                        }
                        // the JIT needs more than a few runs of a cheap query: warm up for at least a second too
                        long warmUntil = System.nanoTime() + 1_000_000_000L;
                        for (int w = 0; failure == null && (w < warmup || System.nanoTime() < warmUntil); w++) {
                            strataSamples = range
                                    ? engine.rangeQuery(db, q, start, end, INTERVAL, options).totalSamples()
                                    : engine.instantQuery(db, q, end, options).totalSamples();
                        }
                        // timed runs alternate between the two engines, so load from other processes on a shared
                        // machine falls on both alike
                        for (int r = 0; r < runs && failure == null; r++) {
                            failure = prometheusRun(client, url, samples);
                            promSeconds[r] = samples[1] / 1e9;
                            long t0 = System.nanoTime();
                            QueryResult res = range
                                    ? engine.rangeQuery(db, q, start, end, INTERVAL, options)
                                    : engine.instantQuery(db, q, end, options);
                            long t1 = System.nanoTime();
                            strataSeconds[r] = (t1 - t0) / 1e9;
                            strataSamples = res.totalSamples();
                        }
                        if (failure != null) {
                            out.printf("%-48s %5s %6d  prometheus failed: %s%n", q, mode, n, failure);
                            continue;
                        }
                        double pm = median(promSeconds);
                        double sm = median(strataSeconds);
                        out.printf(Locale.ROOT, "%-48s %5s %6d %12d %10.3f %10.3f %9.1f %9.1f %6.2fx %12d%n", q, mode, n,
                                samples[0], pm * 1000, sm * 1000, samples[0] / pm / 1e6, samples[0] / sm / 1e6, pm / sm,
                                strataSamples);
                        out.flush();
                    }
                }
            }
        } finally {
            stop(prom.process());
            Runtime.getRuntime().removeShutdownHook(stopper);
        }
        return 0;
    }

    /**
     * Runs one query on Prometheus; stores totalQueryableSamples in {@code result[0]} and evalTotalTime in nanoseconds
     * in {@code result[1]}; returns null, or the start of the answer when it is not a success with stats.
     */
    private static String prometheusRun(HttpClient client, String url, long[] result) {
        String body = get(client, url);
        // the stats follow the (possibly large) result: only look at them
        int at = Math.max(0, body.lastIndexOf("\"stats\""));
        Matcher e = EVAL.matcher(body).region(at, body.length());
        Matcher s = SAMPLES.matcher(body).region(at, body.length());
        if (!body.startsWith("{\"status\":\"success\"") || !e.find() || !s.find()) {
            return body.length() > 300 ? body.substring(0, 300) : body;
        }
        result[0] = Long.parseLong(s.group(1));
        result[1] = Math.round(Double.parseDouble(e.group(1)) * 1e9);
        return null;
    }

    private record Prometheus(Process process, String base) {
    }

    /** Writes one OpenMetrics file per 2 h range (so the importer reads each once) and imports it into {@code blocks}. */
    static void generate(Path work, Path blocks, int[] counts, PrintStream err) throws IOException {
        Path tmp = Files.createDirectories(work.resolve("tmp-" + System.nanoTime()));
        Path om = tmp.resolve("range.om");
        BlockImporter importer = new BlockImporter(BLOCK);
        String[] les = {"0.1", "0.2", "0.5", "1", "2", "5", "10", "20", "50", "+Inf"};
        long last = (SAMPLES_PER_SERIES - 1) * INTERVAL;
        StringBuilder sb = new StringBuilder(64);
        for (long from = 0; from <= last; from += BLOCK) {
            int i0 = (int) ((from + INTERVAL - 1) / INTERVAL);
            int i1 = (int) Math.min(SAMPLES_PER_SERIES, (from + BLOCK + INTERVAL - 1) / INTERVAL);
            try (BufferedWriter w = Files.newBufferedWriter(om, StandardCharsets.UTF_8)) {
                for (int n : counts) {
                    for (int s = 0; s < n; s++) {
                        series(w, sb, "a_" + n + "{l=\"" + s + "\"} ", i0, i1, s + 1);
                        series(w, sb, "b_" + n + "{l=\"" + s + "\"} ", i0, i1, s + 2);
                    }
                    int histograms = Math.max(1, n / 10);
                    for (int h = 0; h < histograms; h++) {
                        for (int k = 0; k < les.length; k++) {
                            series(w, sb, "h_" + n + "_bucket{l=\"" + h + "\",le=\"" + les[k] + "\"} ", i0, i1, k + 1);
                        }
                    }
                }
                w.write("# EOF\n");
            }
            importer.importFile(om, blocks);
            err.print('.');
            err.flush();
        }
        err.println();
        deleteTree(tmp);
    }

    /** Sample i of a series is {@code i * slope} at {@code i * 10 s}: counter-like, histogram buckets stay cumulative. */
    private static void series(BufferedWriter w, StringBuilder sb, String prefix, int i0, int i1, long slope) throws IOException {
        for (int i = i0; i < i1; i++) {
            sb.setLength(0);
            sb.append(prefix).append((long) i * slope).append(' ').append(i * (INTERVAL / 1000)).append('\n');
            w.append(sb);
        }
    }

    private static Prometheus startPrometheus(Path binary, Path work, Path data, String procs, PrintStream err) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path cfg = work.resolve("prometheus.yml");
        Files.writeString(cfg, "global: {scrape_interval: 1m}\nscrape_configs: []\n");
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "--config.file=" + cfg, "--storage.tsdb.path=" + data,
                "--storage.tsdb.retention.time=100y", "--storage.tsdb.min-block-duration=2h",
                "--storage.tsdb.max-block-duration=2h", "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile());
        Map<String, String> env = pb.environment();
        if (!procs.isEmpty() && !procs.equals("0")) {
            env.put("GOMAXPROCS", procs);
        }
        Process p = pb.start();
        String base = "http://127.0.0.1:" + port;
        err.println("started Prometheus pid " + p.pid() + " on " + base + " (log: " + work.resolve("prometheus.log") + ")");
        return new Prometheus(p, base);
    }

    private static void awaitPrometheus(HttpClient client, String base, String metric, long end, Process prom)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String url = base + "/api/v1/query?time=" + end / 1000 + "&query=" + URLEncoder.encode("count(" + metric + ")",
                StandardCharsets.UTF_8);
        while (System.nanoTime() < deadline) {
            if (!prom.isAlive()) {
                throw new IllegalStateException("Prometheus exited with " + prom.exitValue() + "; see prometheus.log");
            }
            if (get(client, url).contains("\"result\":[{")) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Prometheus did not answer within 120 s");
    }

    private static String get(HttpClient client, String url) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "error: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "error: interrupted";
        }
    }

    private static void stop(Process p) {
        if (p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        int m = c.length / 2;
        return c.length % 2 == 1 ? c[m] : (c[m - 1] + c[m]) / 2;
    }

    private static long countBlocks(Path blocks) throws IOException {
        try (Stream<Path> s = Files.list(blocks)) {
            return s.filter(Files::isDirectory).count();
        }
    }

    private static void copyBlocks(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> files = Files.walk(p)) {
            for (Path f : (Iterable<Path>) files.sorted((x, y) -> y.getNameCount() - x.getNameCount())::iterator) {
                Files.delete(f);
            }
        }
    }
}
