package io.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same blocks served by a real Prometheus 2.42 and by Strata's store + query: the same
 * queries must give the same JSON. Evaluation times avoid sample-aligned range boundaries, where
 * Prometheus 3 semantics (left-open ranges), which Strata follows, differ from 2.42's.
 */
class QueryVsPrometheusTest {
    @TempDir
    Path work;
    private final List<AutoCloseable> running = new ArrayList<>();
    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : running) {
            c.close();
        }
    }

    private static final List<String> INSTANT = List.of(
            "steady_total", "rate(steady_total[5m])", "increase(steady_total[10m])", "sum(rate(steady_total[1m]))",
            "irate(steady_total[1m])", "steady_total offset 5m", "count_over_time(steady_total[1h])",
            "predict_linear(steady_total[10m], 3600)", "deriv(steady_total[15m])", "dod_edge", "dod_edge * 2 + 1",
            "max_over_time(dod_edge[1h])", "min_over_time(dod_edge[1h])", "avg_over_time(steady_total[30m])",
            "quantile_over_time(0.9, steady_total[30m])", "stddev_over_time(steady_total[30m])", "changes(dod_edge[1h])",
            "resets(steady_total[1h])", "timestamp(steady_total)", "vector(1) + on() group_left() steady_total",
            "label_replace(steady_total, \"copy\", \"$1\", \"job\", \"(.*)\")", "topk(1, steady_total)",
            "count by (job) (steady_total)", "absent(nonexistent)", "scalar(steady_total) * 2", "time()",
            "steady_total > bool 100", "sort_desc(steady_total)", "clamp_max(steady_total, 50)", "abs(dod_edge)");

    private static final List<String> RANGE = List.of("rate(steady_total[2m])", "dod_edge", "irate(steady_total[1m])",
            "sum_over_time(steady_total[10m])", "steady_total - steady_total offset 1m");

    @Test
    void sameAnswersAsPrometheusOnBlocksPromtoolWrote() throws Exception {
        Path golden = Path.of(System.getProperty("strata.testdata", "missing")).resolve("tsdb-golden/golden2");
        assertTrue(Files.isDirectory(golden), "shared test data not found at " + golden);
        compareOn(golden);
    }

    @Test
    void prometheusReadsBlocksStrataWroteAndAnswersTheSame() throws Exception {
        Path input = Path.of(System.getProperty("strata.testdata", "missing")).resolve("tsdb-golden/golden2/input.om");
        assertTrue(Files.isRegularFile(input), "shared test data not found at " + input);
        Path ours = work.resolve("ours");
        StrataProcess.Result imported = StrataProcess.exec(Files.createDirectories(work.resolve("import")), "tools", "tsdb",
                "import-openmetrics", input.toString(), ours.toString());
        assertEquals(0, imported.exitCode(), imported.output());
        compareOn(ours);
    }

    private void compareOn(Path golden) throws Exception {
        Path prometheus = ExternalPrograms.require("prometheus", "prometheus");
        // Prometheus needs a writable data directory of its own
        Path promData = work.resolve("prom-data");
        try (var s = Files.list(golden)) {
            for (Path block : (Iterable<Path>) s.filter(Files::isDirectory)::iterator) {
                copyTree(block, promData.resolve(block.getFileName().toString()));
            }
        }
        int promPort = StrataProcess.freePort();
        Path cfg = work.resolve("prometheus.yml");
        Files.writeString(cfg, "global: {scrape_interval: 1m}\nscrape_configs: []\n");
        Process prom = new ProcessBuilder(prometheus.toString(), "--config.file=" + cfg, "--storage.tsdb.path=" + promData,
                "--storage.tsdb.retention.time=100y", "--web.listen-address=127.0.0.1:" + promPort)
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
        running.add(() -> {
            prom.destroy();
            prom.waitFor(30, TimeUnit.SECONDS);
        });
        Path storeDir = Files.createDirectories(work.resolve("store"));
        StrataProcess store = StrataProcess.start(storeDir, "store", "--tsdb.path=" + golden);
        running.add(store);
        store.awaitReady(Duration.ofSeconds(20));
        Path queryDir = Files.createDirectories(work.resolve("query"));
        StrataProcess query = StrataProcess.start(queryDir, "query", "--endpoint=127.0.0.1:" + store.grpcPort);
        running.add(query);
        query.awaitReady(Duration.ofSeconds(20));
        String promBase = "http://127.0.0.1:" + promPort;
        query.await(Duration.ofSeconds(60), "Prometheus to load the blocks", () -> get(promBase + "/api/v1/query?time=8003&query=steady_total").contains("steady_total"));
        query.await(Duration.ofSeconds(30), "the querier to see the store", () -> get(query.url("/api/v1/query?time=8003&query=steady_total")).contains("steady_total"));

        List<String> mismatches = new ArrayList<>();
        for (String q : INSTANT) {
            for (long t : new long[] {7303, 8003, 9507, 10901}) {
                String path = "/api/v1/query?time=" + t + "&query=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
                compare(q + " @" + t, get(promBase + path), get(query.url(path)), mismatches);
            }
        }
        for (String q : RANGE) {
            String path = "/api/v1/query_range?start=7207&end=10957&step=60&query=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
            compare(q + " range", get(promBase + path), get(query.url(path)), mismatches);
        }
        // promtool, as a user runs it, prints the same for both servers
        Path promtool = ExternalPrograms.require("promtool", "prometheus");
        for (String q : List.of("rate(steady_total[2m])", "dod_edge")) {
            String fromPrometheus = promtool(promtool, "range", "--start=7207", "--end=10957", "--step=60s", promBase, q);
            String fromStrata = promtool(promtool, "range", "--start=7207", "--end=10957", "--step=60s", query.url(""), q);
            compare("promtool query range " + q, fromPrometheus, fromStrata, mismatches);
            compare("promtool query instant " + q, promtool(promtool, "instant", "--time=7400", promBase, q),
                    promtool(promtool, "instant", "--time=7400", query.url(""), q), mismatches);
        }
        // series and label values too, over time ranges and with matchers (promtool's default range is
        // the last minutes before now, far from these blocks)
        List<List<String>> lookups = List.of(
                List.of("series", "--match=steady_total", "--match={__name__=~\"dod_.*\"}", "--start=7000", "--end=11000"),
                List.of("series", "--match={__name__=~\".+\"}", "--start=7207", "--end=7400"),
                List.of("labels", "--start=7000", "--end=11000", "__name__"),
                List.of("labels", "--start=9000", "--end=10957", "--match=steady_total", "__name__"),
                List.of("labels", "--start=7000", "--end=11000", "job"));
        for (List<String> args : lookups) {
            List<String> flags = args.subList(1, args.size());
            boolean labels = args.get(0).equals("labels");
            compare("promtool query " + args, promtool(promtool, args.get(0), lookupArgs(flags, promBase, labels)),
                    promtool(promtool, args.get(0), lookupArgs(flags, query.url(""), labels)), mismatches);
        }
        assertEquals(List.of(), mismatches, "answers that differ from Prometheus 2.42");
    }

    /** promtool's arguments: the flags, then the server (and for {@code labels} the label name, last). */
    private static String[] lookupArgs(List<String> flags, String server, boolean labels) {
        List<String> out = new ArrayList<>(labels ? flags.subList(0, flags.size() - 1) : flags);
        out.add(server);
        if (labels) {
            out.add(flags.get(flags.size() - 1));
        }
        return out.toArray(new String[0]);
    }

    private static String promtool(Path promtool, String kind, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(promtool.toString(), "query", kind));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(!out.isBlank(), "promtool printed nothing for " + cmd);
        return out;
    }

    private static void compare(String what, String prometheus, String strata, List<String> mismatches) {
        if (!prometheus.equals(strata)) {
            mismatches.add(what + "\n  prometheus: " + prometheus + "\n  strata:     " + strata);
        }
    }

    private String get(String url) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "error: " + e;
        }
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
