package io.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The global view from the distribution: two `store` processes serving the same blocks as an HA
 * pair (replica 0 and 1), a third serving other blocks for another cluster, and one `query`
 * process in front of them, asked through the Prometheus HTTP API by the real promtool.
 */
class GlobalViewTest {
    @TempDir
    Path work;
    private final List<StrataProcess> processes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (StrataProcess p : processes) {
            p.close();
        }
    }

    private StrataProcess start(String name, String... args) throws Exception {
        Path dir = work.resolve(name);
        Files.createDirectories(dir);
        StrataProcess p = StrataProcess.start(dir, args);
        processes.add(p);
        return p;
    }

    private static Path golden(String name) {
        Path p = Path.of(System.getProperty("strata.testdata", "missing")).resolve("tsdb-golden").resolve(name);
        assertTrue(Files.isDirectory(p), "shared test data not found at " + p);
        return p;
    }

    @Test
    void queryDeduplicatesAnHaPairOfStoresAndPromtoolReadsIt() throws Exception {
        StrataProcess r0 = start("r0", "store", "--tsdb.path=" + golden("golden1"), "--label", "cluster=\"us1\"", "--label", "replica=\"0\"");
        StrataProcess r1 = start("r1", "store", "--tsdb.path=" + golden("golden1"), "--label", "cluster=\"us1\"", "--label", "replica=\"1\"");
        StrataProcess eu = start("eu", "store", "--tsdb.path=" + golden("golden2"), "--label", "cluster=\"eu1\"", "--label", "replica=\"0\"");
        for (StrataProcess p : List.of(r0, r1, eu)) {
            p.awaitReady(Duration.ofSeconds(20));
        }
        // the eu store comes from a Thanos file-SD file, the pair from --endpoint flags
        Path sd = work.resolve("stores.yml");
        Files.writeString(sd, "- targets: ['127.0.0.1:" + eu.grpcPort + "']\n");
        StrataProcess q = start("query", "query", "--endpoint=127.0.0.1:" + r0.grpcPort, "--endpoint=127.0.0.1:" + r1.grpcPort,
                "--store.sd-files=" + sd, "--query.replica-label=replica");
        q.awaitReady(Duration.ofSeconds(20));
        q.await(Duration.ofSeconds(30), "three healthy stores", () -> {
            try {
                String body = q.get("/api/v1/stores").body();
                return body.split("\"healthy\":true", -1).length - 1 == 3;
            } catch (Exception e) {
                return false;
            }
        });
        String stores = q.get("/api/v1/stores").body();
        assertTrue(stores.contains("\"store\":[") && stores.contains("\"replica\":\"1\"") && stores.contains("\"cluster\":\"eu1\""), stores);

        String dedup = q.get("/api/v1/query?time=7230&query=" + enc("count(http_requests_total{cluster=\"us1\"})")).body();
        assertTrue(dedup.contains("\"value\":[7230,\"2\"]"), dedup);
        String raw = q.get("/api/v1/query?time=7230&dedup=false&query=" + enc("count(http_requests_total{cluster=\"us1\"})")).body();
        assertTrue(raw.contains("\"value\":[7230,\"4\"]"), raw);
        String labels = q.get("/api/v1/label/cluster/values").body();
        assertEquals("{\"status\":\"success\",\"data\":[\"eu1\",\"us1\"]}", labels);

        Path promtool = ExternalPrograms.require("promtool", "prometheus");
        Process p = new ProcessBuilder(promtool.toString(), "query", "instant", "--time=7230",
                "http://127.0.0.1:" + q.httpPort, "http_requests_total{cluster=\"us1\",code=\"200\"}").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals("http_requests_total{cluster=\"us1\", code=\"200\", job=\"api\"} => 3 @[7230]", out.trim());

        // queriers stack: a second querier over the first one's StoreAPI sees the same deduplicated view
        StrataProcess top = start("top", "query", "--endpoint=127.0.0.1:" + q.grpcPort);
        top.awaitReady(Duration.ofSeconds(20));
        top.await(Duration.ofSeconds(30), "the stacked querier to see the first one", () -> {
            try {
                return top.get("/api/v1/stores").body().contains("\"query\":[");
            } catch (Exception e) {
                return false;
            }
        });
        String stacked = top.get("/api/v1/query?time=7230&query=" + enc("count(http_requests_total{cluster=\"us1\"})")).body();
        assertTrue(stacked.contains("\"value\":[7230,\"2\"]"), stacked);
        String stackedSeries = top.get("/api/v1/query?time=7230&query=" + enc("http_requests_total{code=\"200\"}")).body();
        assertTrue(stackedSeries.contains("{\"metric\":{\"__name__\":\"http_requests_total\",\"cluster\":\"us1\",\"code\":\"200\",\"job\":\"api\"},\"value\":[7230,\"3\"]}"), stackedSeries);

        // one replica down: still answered, by the other
        r0.stop();
        String afterLoss = q.get("/api/v1/query?time=7230&query=" + enc("count(http_requests_total{cluster=\"us1\"})")).body();
        assertTrue(afterLoss.contains("\"value\":[7230,\"2\"]"), afterLoss);
    }

    @Test
    void penaltyDeduplicationFillsOneReplicasGapFromTheOther() throws Exception {
        // replica 0 misses 10 minutes in the middle; replica 1 scraped throughout, 3 s later
        StringBuilder r0 = new StringBuilder("# TYPE gap_metric gauge\n");
        StringBuilder r1 = new StringBuilder("# TYPE gap_metric gauge\n");
        for (int i = 0; i < 240; i++) {
            long t = 7200 + i * 15L;
            if (i < 80 || i >= 120) {
                r0.append("gap_metric{job=\"x\"} ").append(i).append(' ').append(t).append('\n');
            }
            r1.append("gap_metric{job=\"x\"} ").append(i).append(' ').append(t + 3).append('\n');
        }
        r0.append("# EOF\n");
        r1.append("# EOF\n");
        Path om0 = work.resolve("r0.om");
        Path om1 = work.resolve("r1.om");
        Files.writeString(om0, r0);
        Files.writeString(om1, r1);
        Path tools = Files.createDirectories(work.resolve("tools"));
        for (String[] job : new String[][] {{om0.toString(), "blocks-r0"}, {om1.toString(), "blocks-r1"}}) {
            StrataProcess.Result imp = StrataProcess.exec(tools, "tools", "tsdb", "import-openmetrics", job[0], work.resolve(job[1]).toString());
            assertEquals(0, imp.exitCode(), imp.output());
        }
        StrataProcess s0 = start("g0", "store", "--tsdb.path=" + work.resolve("blocks-r0"), "--label", "replica=\"0\"");
        StrataProcess s1 = start("g1", "store", "--tsdb.path=" + work.resolve("blocks-r1"), "--label", "replica=\"1\"");
        s0.awaitReady(Duration.ofSeconds(20));
        s1.awaitReady(Duration.ofSeconds(20));
        StrataProcess q = start("gq", "query", "--endpoint=127.0.0.1:" + s0.grpcPort, "--endpoint=127.0.0.1:" + s1.grpcPort,
                "--query.replica-label=replica");
        q.awaitReady(Duration.ofSeconds(20));
        String range = "/api/v1/query_range?start=7200&end=10785&step=15&query=" + enc("gap_metric");
        q.await(Duration.ofSeconds(30), "both stores to answer", () -> {
            try {
                return q.get(range + "&dedup=false").body().split("\"replica\"", -1).length - 1 == 2;
            } catch (Exception e) {
                return false;
            }
        });
        String deduplicated = q.get(range).body();
        assertEquals(1, deduplicated.split("\"metric\"", -1).length - 1, deduplicated);
        // every 15 s step from 7200 to 10785 has a value: the gap of replica 0 was filled from replica 1
        int points = deduplicated.split("\\],\\[", -1).length;
        assertEquals(240, points, deduplicated);
        assertTrue(deduplicated.contains("[9000,\"119\"]") || deduplicated.contains("[9000,\"120\"]"), deduplicated);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
