package io.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Thanos global-view tutorial with real processes: three Prometheus 2.42 servers (cluster eu1
 * replica 0; cluster us1 replicas 0 and 1, both scraping the same targets), a `sidecar` process
 * beside each, and one `query` process deduplicating on the label `replica`. The eu1 sidecar ships
 * blocks to a filesystem bucket (one backfilled by promtool); the us1 replica 0 sidecar reloads its
 * Prometheus when the configuration file changes. A fourth Prometheus outside the view receives a
 * remote write long enough to make it cut a block of its head, which its sidecar ships.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SidecarTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration WAIT = Duration.ofSeconds(45);

    private Path work;
    private final List<Process> prometheusProcesses = new ArrayList<>();
    private final List<StrataProcess> strata = new ArrayList<>();
    private int eu1Port;
    private int us1r0Port;
    private int us1r1Port;
    private Path bucket;
    private String backfilledBlock;
    private long backfilledStartSeconds;
    private StrataProcess query;
    private int cutterPort;
    private Path cutterBucket;
    private StrataProcess cutterSidecar;
    private StrataProcess reloadingSidecar;
    private HttpServer shop;
    private long exemplarSeconds;

    private static String prometheusConfig(String cluster, String replica, int... targets) {
        StringBuilder sb = new StringBuilder("global:\n  scrape_interval: 1s\n  external_labels:\n    cluster: " + cluster
                + "\n    replica: \"" + replica + "\"\nscrape_configs:\n  - job_name: prometheus\n    static_configs:\n      - targets: [");
        for (int i = 0; i < targets.length; i++) {
            sb.append(i == 0 ? "" : ", ").append("'127.0.0.1:").append(targets[i]).append('\'');
        }
        return sb.append("]\n").toString();
    }

    private Path startPrometheus(String name, int port, String config, String... extraFlags) throws Exception {
        Path dir = work.resolve(name);
        Files.createDirectories(dir.resolve("data"));
        Path configFile = Files.writeString(dir.resolve("prometheus.yml"), config);
        Path prometheus = ExternalPrograms.require("prometheus", "prometheus");
        List<String> command = new ArrayList<>(List.of(prometheus.toString(), "--config.file=" + configFile,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--web.enable-lifecycle",
                "--storage.tsdb.min-block-duration=2h", "--storage.tsdb.max-block-duration=2h"));
        command.addAll(List.of(extraFlags));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        prometheusProcesses.add(p);
        return dir;
    }

    private StrataProcess startStrata(String name, String... args) throws Exception {
        Path dir = work.resolve(name);
        Files.createDirectories(dir);
        StrataProcess p = StrataProcess.start(dir, args);
        strata.add(p);
        return p;
    }

    /** A block the way promtool backfills one, in eu1's data directory before Prometheus starts. */
    private String backfill(Path dataDir) throws Exception {
        Path promtool = ExternalPrograms.require("promtool", "prometheus");
        backfilledStartSeconds = System.currentTimeMillis() / 1000 - 86_400;
        StringBuilder om = new StringBuilder("# HELP backfilled A backfilled gauge.\n# TYPE backfilled gauge\n");
        for (int i = 0; i < 5; i++) {
            om.append("backfilled{source=\"promtool\"} ").append(i).append(' ').append(backfilledStartSeconds + i * 15L).append('\n');
        }
        om.append("# EOF\n");
        Path input = Files.writeString(work.resolve("backfill.om"), om);
        Process p = new ProcessBuilder(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics", input.toString(), dataDir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        try (Stream<Path> blocks = Files.list(dataDir)) {
            return blocks.map(b -> b.getFileName().toString()).filter(n -> n.length() == 26).findFirst().orElseThrow();
        }
    }

    @BeforeAll
    void startTheGlobalView(@TempDir Path directory) throws Exception {
        work = directory;
        eu1Port = StrataProcess.freePort();
        us1r0Port = StrataProcess.freePort();
        us1r1Port = StrataProcess.freePort();
        Path eu1Data = work.resolve("eu1").resolve("data");
        Files.createDirectories(eu1Data);
        backfilledBlock = backfill(eu1Data);
        startPrometheus("eu1", eu1Port, prometheusConfig("eu1", "0", eu1Port));
        // the us1 pair also scrapes a shop that exposes an exemplar, and keeps exemplars
        exemplarSeconds = System.currentTimeMillis() / 1000 - 60;
        shop = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        shop.createContext("/metrics", exchange -> {
            byte[] body = ("# TYPE checkout counter\n# HELP checkout Checkouts.\ncheckout_total{shop=\"main\"} 17 # {trace_id=\"abc123\"} 1.5 "
                    + exemplarSeconds + ".25\n# EOF\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/openmetrics-text; version=1.0.0; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        shop.start();
        String shopJob = "  - job_name: shop\n    static_configs:\n      - targets: ['127.0.0.1:" + shop.getAddress().getPort() + "']\n";
        startPrometheus("us1-r0", us1r0Port, prometheusConfig("us1", "0", us1r0Port, us1r1Port) + shopJob, "--enable-feature=exemplar-storage");
        startPrometheus("us1-r1", us1r1Port, prometheusConfig("us1", "1", us1r0Port, us1r1Port) + shopJob, "--enable-feature=exemplar-storage");

        bucket = Files.createDirectories(work.resolve("bucket"));
        Path objstore = Files.writeString(work.resolve("bucket.yml"), "type: FILESYSTEM\nconfig:\n  directory: " + bucket + "\n");
        StrataProcess eu1 = startStrata("sidecar-eu1", "sidecar", "--prometheus.url=http://127.0.0.1:" + eu1Port, "--tsdb.path=" + eu1Data,
                "--objstore.config-file=" + objstore, "-Dstrata.sidecar.shipper.interval=1s");
        reloadingSidecar = startStrata("sidecar-us1-r0", "sidecar", "--prometheus.url=http://127.0.0.1:" + us1r0Port,
                "--reloader.config-file=" + work.resolve("us1-r0").resolve("prometheus.yml"));
        StrataProcess us1r1 = startStrata("sidecar-us1-r1", "sidecar", "--prometheus.url=http://127.0.0.1:" + us1r1Port);

        // a fourth Prometheus, outside the global view, that receives remote writes and cuts a block of its head
        cutterPort = StrataProcess.freePort();
        startPrometheus("cutter", cutterPort, "global:\n  external_labels:\n    cluster: eu2\n    replica: \"0\"\n",
                "--web.enable-remote-write-receiver");
        cutterBucket = Files.createDirectories(work.resolve("cutter-bucket"));
        Path cutterObjstore = Files.writeString(work.resolve("cutter-bucket.yml"), "type: FILESYSTEM\nconfig:\n  directory: " + cutterBucket + "\n");
        cutterSidecar = startStrata("sidecar-cutter", "sidecar", "--prometheus.url=http://127.0.0.1:" + cutterPort,
                "--tsdb.path=" + work.resolve("cutter").resolve("data"), "--objstore.config-file=" + cutterObjstore,
                "-Dstrata.sidecar.shipper.interval=1s");
        for (StrataProcess s : List.of(eu1, reloadingSidecar, us1r1, cutterSidecar)) {
            s.awaitReady(WAIT);
        }
        query = startStrata("query", "query", "--endpoint=127.0.0.1:" + eu1.grpcPort, "--endpoint=127.0.0.1:" + reloadingSidecar.grpcPort,
                "--endpoint=127.0.0.1:" + us1r1.grpcPort, "--query.replica-label=replica");
        query.awaitReady(WAIT);
        query.await(WAIT, "three healthy sidecars", () -> body(query, "/api/v1/stores").split("\"healthy\":true", -1).length - 1 == 3);
        // both us1 replicas have scraped both targets, eu1 itself
        query.await(WAIT, "5 raw prometheus_tsdb_head_series series",
                () -> count(body(query, "/api/v1/query?dedup=false&query=" + enc("prometheus_tsdb_head_series")), "\"metric\"") == 5);
        for (int port : new int[] {us1r0Port, us1r1Port}) {
            query.await(WAIT, "the shop's exemplar in the Prometheus on port " + port,
                    () -> get("http://127.0.0.1:" + port + "/api/v1/query_exemplars?query=checkout_total").contains("abc123"));
        }
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (shop != null) {
            shop.stop(0);
        }
        for (StrataProcess p : strata) {
            p.close();
        }
        for (Process p : prometheusProcesses) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void theQuerierDeduplicatesTheHaPair() {
        String sum = body(query, "/api/v1/query?query=" + enc("sum(prometheus_tsdb_head_series)"));
        assertTrue(sum.contains("\"resultType\":\"vector\""), sum);
        assertEquals(1, count(sum, "\"value\""), sum);

        String dedup = body(query, "/api/v1/query?query=" + enc("prometheus_tsdb_head_series"));
        assertEquals(3, count(dedup, "\"metric\""), dedup);
        assertEquals(0, count(dedup, "\"replica\""), "dedup removes the replica label: " + dedup);
        String raw = body(query, "/api/v1/query?dedup=false&query=" + enc("prometheus_tsdb_head_series"));
        assertEquals(5, count(raw, "\"metric\""), raw);
        assertEquals(2, count(raw, "\"replica\":\"1\""), raw);
        assertEquals(1, count(dedup, "\"cluster\":\"eu1\""), dedup);
        assertEquals(2, count(dedup, "\"cluster\":\"us1\""), dedup);
    }

    @Test
    void theQuerierServesTheHaPairsExemplarsDeduplicated() {
        String path = "/api/v1/query_exemplars?query=" + enc("rate(checkout_total[5m])")
                + "&start=" + (exemplarSeconds - 600) + "&end=" + (exemplarSeconds + 600);
        // what Prometheus holds, without its external labels
        String exemplar = "\"exemplars\":[{\"labels\":{\"trace_id\":\"abc123\"},\"value\":\"1.5\",\"timestamp\":" + exemplarSeconds + ".250}]";
        String fromPrometheus = get("http://127.0.0.1:" + us1r0Port + path);
        assertEquals("{\"status\":\"success\",\"data\":[{\"seriesLabels\":{\"__name__\":\"checkout_total\",\"instance\":\"127.0.0.1:"
                + shop.getAddress().getPort() + "\",\"job\":\"shop\",\"shop\":\"main\"}," + exemplar + "}]}", fromPrometheus);
        // through the sidecars: the external labels added, the replicas merged into one series and one exemplar
        String dedup = body(query, path);
        assertEquals("{\"status\":\"success\",\"data\":[{\"seriesLabels\":{\"__name__\":\"checkout_total\",\"cluster\":\"us1\",\"instance\":\"127.0.0.1:"
                + shop.getAddress().getPort() + "\",\"job\":\"shop\",\"shop\":\"main\"}," + exemplar + "}]}", dedup);
        String raw = body(query, path + "&dedup=false");
        assertEquals(2, count(raw, "\"seriesLabels\""), raw);
        assertEquals(1, count(raw, "\"replica\":\"0\""), raw);
        assertEquals(1, count(raw, "\"replica\":\"1\""), raw);
        String outside = body(query, "/api/v1/query_exemplars?query=checkout_total&start=" + (exemplarSeconds + 60) + "&end=" + (exemplarSeconds + 120));
        assertEquals("{\"status\":\"success\",\"data\":[]}", outside);
        String bad = body(query, "/api/v1/query_exemplars?query=" + enc("rate(checkout_total[5m]"));
        assertTrue(bad.contains("\"errorType\":\"bad_data\""), bad);
    }

    @Test
    void theQuerierServesThePrometheusServersMetricMetadata() {
        // every Prometheus describes its own metrics alike: merged, the answer is one Prometheus's
        for (String metric : List.of("prometheus_tsdb_head_series", "prometheus_http_requests_total")) {
            String path = "/api/v1/metadata?metric=" + metric;
            String fromPrometheus = get("http://127.0.0.1:" + eu1Port + path);
            assertTrue(fromPrometheus.contains("\"help\":"), fromPrometheus);
            assertEquals(fromPrometheus, body(query, path));
        }
        String two = body(query, "/api/v1/metadata?limit=2");
        assertEquals(2, count(two, "\"type\":"), two);
        assertTrue(count(body(query, "/api/v1/metadata"), "\"type\":") > 20, "all metrics of the three Prometheus servers");
        assertEquals("{\"status\":\"success\",\"data\":{}}", body(query, "/api/v1/metadata?metric=no_such_metric"));
        String bad = body(query, "/api/v1/metadata?limit=lots");
        assertTrue(bad.contains("\"errorType\":\"bad_data\"") && bad.contains("limit must be a number"), bad);
    }

    @Test
    void theStoresApiListsTheThreeSidecarsWithTheirLabels() {
        String stores = body(query, "/api/v1/stores");
        assertTrue(stores.contains("\"sidecar\":["), stores);
        for (String labels : List.of("\"cluster\":\"eu1\",\"replica\":\"0\"", "\"cluster\":\"us1\",\"replica\":\"0\"",
                "\"cluster\":\"us1\",\"replica\":\"1\"")) {
            assertTrue(stores.contains(labels), labels + " in " + stores);
        }
    }

    @Test
    void blocksInPrometheusAreReadThroughTheSidecarAndShippedWithThanosMeta() throws Exception {
        long at = backfilledStartSeconds + 30;
        String value = body(query, "/api/v1/query?time=" + at + "&query=" + enc("backfilled"));
        assertTrue(value.contains("\"cluster\":\"eu1\"") && value.contains("\"value\":[" + at + ",\"2\"]"), value);

        Path meta = bucket.resolve(backfilledBlock).resolve("meta.json");
        query.await(WAIT, "the block's meta.json in the bucket", () -> Files.exists(meta));
        String json = Files.readString(meta).replaceAll("\\s", "");
        assertTrue(json.contains("\"ulid\":\"" + backfilledBlock + "\""), json);
        assertTrue(json.contains("\"source\":\"sidecar\""), json);
        assertTrue(json.contains("\"labels\":{\"cluster\":\"eu1\",\"replica\":\"0\"}"), json);
        assertTrue(json.contains("\"downsample\":{\"resolution\":0}"), json);
        assertTrue(Files.exists(bucket.resolve(backfilledBlock).resolve("index")));
        try (Stream<Path> chunks = Files.list(bucket.resolve(backfilledBlock).resolve("chunks"))) {
            assertEquals(1, chunks.count());
        }
        String shipped = Files.readString(work.resolve("eu1").resolve("data").resolve("thanos.shipper.json"));
        assertTrue(shipped.contains(backfilledBlock), shipped);
    }

    @Test
    void editingTheWatchedConfigurationReloadsPrometheus() throws Exception {
        Path config = work.resolve("us1-r0").resolve("prometheus.yml");
        String edited = prometheusConfig("us1", "0", us1r0Port, us1r1Port) + "  - job_name: added-by-the-test\n    static_configs:\n"
                + "      - targets: ['127.0.0.1:" + us1r0Port + "']\n";
        Files.writeString(config, edited);
        String statusConfig = "http://127.0.0.1:" + us1r0Port + "/api/v1/status/config";
        reloadingSidecar.await(WAIT, "Prometheus to load the edited configuration", () -> get(statusConfig).contains("added-by-the-test"));
        String metrics = body(reloadingSidecar, "/metrics");
        Matcher m = Pattern.compile("(?m)^strata_sidecar_reloader_reloads_total(?:\\{[^}]*\\})? (\\d+)").matcher(metrics);
        assertTrue(m.find(), metrics);
        assertTrue(Double.parseDouble(m.group(1)) >= 2, "the start-up reload and the one after the edit: " + m.group());
    }

    @Test
    void aBlockPrometheusCutsFromItsHeadIsShipped() throws Exception {
        // 4h of one series, two-hour aligned, in one remote write: the head spans more than 1.5 block
        // durations, so Prometheus cuts its first two hours into a block right after the commit
        long hour = 3_600_000L;
        long start = (System.currentTimeMillis() - 24 * hour) / (2 * hour) * (2 * hour);
        int status = remoteWrite("http://127.0.0.1:" + cutterPort + "/api/v1/write", "pushed", start, 60_000L, 241);
        assertEquals(204, status);
        Path data = work.resolve("cutter").resolve("data");
        cutterSidecar.await(WAIT, "a block cut by Prometheus, shipped", () -> shippedBlocks(cutterBucket).size() == 1);
        String ulid = shippedBlocks(cutterBucket).get(0);
        assertTrue(Files.isDirectory(data.resolve(ulid)), "the shipped block is one of Prometheus's own: " + ulid);
        String json = Files.readString(cutterBucket.resolve(ulid).resolve("meta.json")).replaceAll("\\s", "");
        assertTrue(json.contains("\"minTime\":" + start + ",\"maxTime\":" + (start + 2 * hour)), json);
        assertTrue(json.contains("\"level\":1"), json);
        assertTrue(json.contains("\"thanos\":{\"version\":1,\"labels\":{\"cluster\":\"eu2\",\"replica\":\"0\"},"
                + "\"downsample\":{\"resolution\":0},\"source\":\"sidecar\""), json);
        assertTrue(Files.readString(data.resolve("thanos.shipper.json")).contains(ulid));
    }

    private static List<String> shippedBlocks(Path bucket) {
        try (Stream<Path> blocks = Files.list(bucket)) {
            return blocks.filter(b -> Files.exists(b.resolve("meta.json"))).map(b -> b.getFileName().toString()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** POSTs a remote write request of one series {__name__=name} with evenly spaced samples; returns the status. */
    private static int remoteWrite(String url, String name, long start, long interval, int samples) throws Exception {
        java.io.ByteArrayOutputStream series = new java.io.ByteArrayOutputStream();
        com.google.protobuf.CodedOutputStream s = com.google.protobuf.CodedOutputStream.newInstance(series);
        java.io.ByteArrayOutputStream label = new java.io.ByteArrayOutputStream();
        com.google.protobuf.CodedOutputStream l = com.google.protobuf.CodedOutputStream.newInstance(label);
        l.writeString(1, "__name__");
        l.writeString(2, name);
        l.flush();
        s.writeByteArray(1, label.toByteArray());
        for (int i = 0; i < samples; i++) {
            java.io.ByteArrayOutputStream sample = new java.io.ByteArrayOutputStream();
            com.google.protobuf.CodedOutputStream o = com.google.protobuf.CodedOutputStream.newInstance(sample);
            o.writeDouble(1, i);
            o.writeInt64(2, start + i * interval);
            o.flush();
            s.writeByteArray(2, sample.toByteArray());
        }
        s.flush();
        java.io.ByteArrayOutputStream request = new java.io.ByteArrayOutputStream();
        com.google.protobuf.CodedOutputStream r = com.google.protobuf.CodedOutputStream.newInstance(request);
        r.writeByteArray(1, series.toByteArray());
        r.flush();
        byte[] body = org.xerial.snappy.Snappy.compress(request.toByteArray());
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "snappy").header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String body(StrataProcess p, String path) {
        return get(p.url(path));
    }

    private static String get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static int count(String s, String what) {
        return s.split(Pattern.quote(what), -1).length - 1;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
