package io.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI from the distribution, in Debian's headless Chromium driven by Playwright
 * (src/test/ui/ui-test.mjs, playwright-core from npm): an HA pair of `store` processes on the
 * golden blocks behind a `query` process that also has an endpoint nobody listens on; a real query
 * typed into the graph page at a fixed end time, the dedup switch, warnings, an error, the graph view
 * and the history; then the stores page (up and down endpoints) and the status page.
 */
class UiTest {
    private static final Path SCRIPT_SOURCES = Path.of("src", "test", "ui").toAbsolutePath();
    private static final List<String> SCRIPT_FILES = List.of("package.json", "package-lock.json", ".npmrc", "ui-test.mjs");

    @TempDir
    Path work;
    private final List<StrataProcess> processes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (StrataProcess p : processes) {
            p.close();
        }
    }

    @Test
    void graphStoresAndStatusPagesShowWhatTheQueryRoleAnswers() throws Exception {
        Path chromium = ExternalPrograms.require("chromium", "chromium");
        Path node = ExternalPrograms.require("node", "nodejs");
        Path npm = ExternalPrograms.require("npm", "nodejs");
        Path driver = installDriver(npm);

        StrataProcess r0 = start("r0", "store", "--tsdb.path=" + golden("golden1"), "--label", "cluster=\"us1\"", "--label", "replica=\"0\"");
        StrataProcess r1 = start("r1", "store", "--tsdb.path=" + golden("golden1"), "--label", "cluster=\"us1\"", "--label", "replica=\"1\"");
        r0.awaitReady(Duration.ofSeconds(30));
        r1.awaitReady(Duration.ofSeconds(30));
        int nobody = StrataProcess.freePort();
        StrataProcess q = start("query", "query", "--endpoint=127.0.0.1:" + r0.grpcPort, "--endpoint=127.0.0.1:" + r1.grpcPort,
                "--endpoint=127.0.0.1:" + nobody, "--query.replica-label=replica");
        q.awaitReady(Duration.ofSeconds(30));
        q.await(Duration.ofSeconds(30), "two healthy stores and one failing endpoint with its error", () -> {
            try {
                String stores = q.get("/api/v1/stores").body();
                return stores.split("\"healthy\":true", -1).length - 1 == 2 && stores.contains("\"lastError\":\"");
            } catch (Exception e) {
                return false;
            }
        });

        Path screenshots = Files.createDirectories(Path.of("target", "ui-screenshots").toAbsolutePath());
        String output = run(driver, List.of(node.toString(), "ui-test.mjs", "http://127.0.0.1:" + q.httpPort, chromium.toString(),
                screenshots.toString()), Duration.ofMinutes(3), q);
        Map<String, List<String>> shown = facts(output);

        assertEquals(List.of("/graph"), shown.get("url"), output);
        assertEquals(List.of("http_requests_total{cluster=\"us1\", code=\"200\", job=\"api\"}\t3",
                "http_requests_total{cluster=\"us1\", code=\"500\", job=\"api\"}\t12000"), shown.get("table"), output);
        String stats = single(shown, "stats", output);
        assertTrue(stats.matches("Load time: \\d+ ms · Result series: 2 · Evaluated at 1970-01-01T02:00:30Z"), stats);
        assertEquals(List.of("g0.expr=http_requests_total g0.tab=1 g0.end_input=7230 g0.range_input=1h g0.deduplicate=1"),
                shown.get("link"), output);
        assertEquals(List.of("{}\t4"), shown.get("linked-table"), output);
        assertEquals(List.of("expr=count(http_requests_total{cluster=\"us1\"}) dedup=false"), shown.get("linked-controls"), output);
        assertTrue(single(shown, "linked-stats", output).endsWith("Evaluated at 1970-01-01T02:00:30Z"), output);
        assertEquals(List.of("{}\t2"), shown.get("count-dedup"), output);
        assertEquals(List.of("{}\t4"), shown.get("count-raw"), output);
        String warnings = single(shown, "warnings", output);
        assertTrue(warnings.startsWith("PromQL warning: bucket label \"le\" is missing"), warnings);
        String error = single(shown, "error", output);
        assertTrue(error.startsWith("bad_data: 1:") && error.contains("parse error"), error);
        assertEquals(List.of("2"), shown.get("graph-series"), output);
        assertTrue(single(shown, "graph-stats", output).matches("Load time: \\d+ ms · Result series: 2 · Resolution: 1s"), output);
        assertEquals(List.of("http_requests_total | sum(http_requests_total | histogram_quantile(0.9, rate(http_requests_total[1m]))"
                + " | count(http_requests_total{cluster=\"us1\"})"), shown.get("history"), output);
        assertEquals(List.of("7230"), shown.get("reloaded-end"), output);
        assertTrue(single(shown, "complete-metric", output).contains("http_requests_total:metric"), output);
        assertEquals(List.of("http_requests_total"), shown.get("completed-metric"), output);
        assertEquals(List.of("code:label"), shown.get("complete-label"), output);
        assertEquals(List.of("http_requests_total{code"), shown.get("completed-label"), output);
        assertEquals(List.of("200:value,500:value"), shown.get("complete-value"), output);
        assertEquals(List.of("http_requests_total{code=\"200\""), shown.get("completed-value"), output);
        assertTrue(single(shown, "complete-function", output).startsWith("rad:function,rate:function,"), output);
        assertEquals(List.of("sum(rate("), shown.get("completed-function"), output);
        assertEquals(List.of("done sum(rate(http_requests_total{code=\"200\"}[5m])) 1"), shown.get("completed-run"), output);
        assertEquals(List.of("{}\t2"), shown.get("panel-2-table"), output);
        assertEquals(List.of("g0.expr=sum(rate(http_requests_total{code=\"200\"}[5m])) g0.tab=0 g1.expr=count(http_requests_total) g1.tab=1"),
                shown.get("panels-link"), output);
        assertEquals(List.of("2 panels, second: {}\t2"), shown.get("panels-opened"), output);
        assertEquals(List.of("1 false"), shown.get("panels-after-remove"), output);

        assertEquals(List.of("store,unknown"), shown.get("store-types"), output);
        assertEquals(Stream.of(
                "127.0.0.1:" + r0.grpcPort + "\tUP\tcluster=\"us1\" replica=\"0\"\t1970-01-01T02:00:00.000Z\t1970-01-01T02:00:30.000Z\tno error",
                "127.0.0.1:" + r1.grpcPort + "\tUP\tcluster=\"us1\" replica=\"1\"\t1970-01-01T02:00:00.000Z\t1970-01-01T02:00:30.000Z\tno error",
                "127.0.0.1:" + nobody + "\tDOWN\t\t\t\terror shown").sorted().toList(),
                shown.get("store").stream().sorted().toList(), output);

        assertEquals(List.of("0.1.0-SNAPSHOT"), shown.get("build-version"), output);
        assertEquals(List.of("query"), shown.get("config-roles"), output);
        assertEquals(List.of("true"), shown.get("plugin-ui"), output);
        assertEquals(List.of("none"), shown.get("page-errors"), output);
    }

    /** Copies the Playwright script and its lockfile to target/ and installs playwright-core there with npm ci. */
    private static Path installDriver(Path npm) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "ui-test-driver").toAbsolutePath());
        for (String file : SCRIPT_FILES) {
            Files.copy(SCRIPT_SOURCES.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        run(dir, List.of(npm.toString(), "ci", "--no-audit", "--no-fund"), Duration.ofMinutes(5), null);
        return dir;
    }

    /** Runs a program to completion within {@code timeout}; fails with its output (and the querier's log) otherwise. */
    private static String run(Path dir, List<String> command, Duration timeout, StrataProcess server) throws Exception {
        Path log = Files.createTempFile(dir, "out", ".txt");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        if (!finished || p.exitValue() != 0) {
            fail(String.join(" ", command) + (finished ? " exited with " + p.exitValue() : " did not finish within " + timeout)
                    + ":\n" + output + (server == null ? "" : "\nquery log:\n" + server.logText()));
        }
        return output;
    }

    /** The script's "key value" lines, grouped by key in order. */
    private static Map<String, List<String>> facts(String output) {
        Map<String, List<String>> facts = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                facts.computeIfAbsent(line.substring(0, space), k -> new ArrayList<>()).add(line.substring(space + 1));
            }
        }
        return facts;
    }

    private static String single(Map<String, List<String>> facts, String key, String output) {
        List<String> values = facts.get(key);
        assertTrue(values != null && values.size() == 1, "expected one '" + key + "' line in:\n" + output);
        return values.get(0);
    }

    private StrataProcess start(String name, String... args) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        StrataProcess p = StrataProcess.start(dir, args);
        processes.add(p);
        return p;
    }

    private static Path golden(String name) {
        Path p = Path.of(System.getProperty("strata.testdata", "missing")).resolve("tsdb-golden").resolve(name);
        assertTrue(Files.isDirectory(p), "shared test data not found at " + p);
        return p;
    }
}
