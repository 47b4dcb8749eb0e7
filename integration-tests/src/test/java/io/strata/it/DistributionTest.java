package io.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unpacked tarball, started as a user starts it. */
class DistributionTest {
    @TempDir
    Path work;

    @Test
    void processesStartedFromOneDirectoryEachLoadEveryPlugin() throws Exception {
        // several roles on one machine from one working directory share ./data: each process needs
        // its own bundle cache (a shared one was wiped by the next process starting)
        for (String d : new String[] {"a", "b", "c"}) {
            Files.createDirectories(work.resolve(d));
        }
        try (StrataProcess a = StrataProcess.startLogging(work, "a.log", "store", "--tsdb.path=a");
             StrataProcess b = StrataProcess.startLogging(work, "b.log", "store", "--tsdb.path=b");
             StrataProcess c = StrataProcess.startLogging(work, "c.log", "store", "--tsdb.path=c")) {
            for (StrataProcess s : new StrataProcess[] {a, b, c}) {
                s.awaitReady(Duration.ofSeconds(30));
            }
            String first = a.get("/api/v1/status/plugins").body();
            for (StrataProcess s : new StrataProcess[] {a, b, c}) {
                String plugins = s.get("/api/v1/status/plugins").body();
                assertTrue(plugins.contains("\"name\":\"objstore-filesystem\"") && plugins.contains("\"name\":\"dedup\""), plugins);
                assertEquals(first.split("\"name\"").length, plugins.split("\"name\"").length, plugins);
            }
            a.stop();
            b.stop();
            c.stop();
        }
        try (var left = Files.list(work.resolve("data/.osgi-cache"))) {
            assertEquals(0, left.count(), "each process removes its bundle cache when it stops");
        }
    }

    @Test
    void runIsReadyQuicklyAndServesKernelEndpoints() throws Exception {
        try (StrataProcess s = StrataProcess.run(work)) {
            Duration ready = s.awaitReady(Duration.ofSeconds(10));
            System.out.printf("[figures] ready after %d ms, idle RSS %.1f MiB%n", ready.toMillis(), s.rssBytes() / 1048576.0);
            assertEquals(200, s.get("/-/healthy").statusCode());
            HttpResponse<String> build = s.get("/api/v1/status/buildinfo");
            assertTrue(build.body().contains("\"status\":\"success\"") && build.body().contains("\"version\""), build.body());
            HttpResponse<String> config = s.get("/api/v1/status/config");
            assertTrue(config.body().contains("127.0.0.1:" + s.httpPort), config.body());
            HttpResponse<String> flags = s.get("/api/v1/status/flags");
            assertTrue(flags.body().contains("\"strata.http.address\":\"127.0.0.1:" + s.httpPort + "\""), flags.body());
            HttpResponse<String> runtime = s.get("/api/v1/status/runtimeinfo");
            assertTrue(runtime.body().contains("\"startTime\"") && runtime.body().contains("\"GOMAXPROCS\""), runtime.body());
            HttpResponse<String> plugins = s.get("/api/v1/status/plugins");
            assertTrue(plugins.body().contains("\"name\":\"objstore-filesystem\"") && plugins.body().contains("\"host\":\"osgi\""),
                    plugins.body());
            assertTrue(Files.isDirectory(work.resolve("data")), "state goes under ./data of the working directory");
            int code = s.stop();
            assertEquals(143, code, "SIGTERM ends the JVM with 128+15 after the shutdown hook ran");
            assertTrue(s.logText().contains("msg=stopped"), s.logText());
        }
    }

    @Test
    void metricsPassPromtoolCheck() throws Exception {
        Path promtool = ExternalPrograms.require("promtool", "prometheus");
        try (StrataProcess s = StrataProcess.run(work)) {
            s.awaitReady(Duration.ofSeconds(10));
            s.get("/-/ready");
            String metrics = s.get("/metrics").body();
            assertTrue(metrics.contains("process_resident_memory_bytes"), metrics);
            assertTrue(metrics.contains("http_requests_total{handler=\"/-/ready\""), metrics);
            Path file = work.resolve("metrics.txt");
            Files.writeString(file, metrics);
            Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(file.toFile())
                    .redirectErrorStream(true).start();
            String out = new String(check.getInputStream().readAllBytes());
            assertTrue(check.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, check.exitValue(), "promtool check metrics found problems:\n" + out);
        }
    }

    @Test
    void aRealPrometheusScrapesIt() throws Exception {
        Path prometheus = ExternalPrograms.require("prometheus", "prometheus");
        try (StrataProcess s = StrataProcess.run(work)) {
            s.awaitReady(Duration.ofSeconds(10));
            int promPort = StrataProcess.freePort();
            Path cfg = work.resolve("prometheus.yml");
            Files.writeString(cfg, """
                    global: {scrape_interval: 1s, evaluation_interval: 1s}
                    scrape_configs:
                      - job_name: strata
                        static_configs: [{targets: ['127.0.0.1:%d']}]
                    """.formatted(s.httpPort));
            Process p = new ProcessBuilder(prometheus.toString(), "--config.file=" + cfg, "--storage.tsdb.path=" + work.resolve("prom"),
                    "--web.listen-address=127.0.0.1:" + promPort).redirectErrorStream(true)
                    .redirectOutput(work.resolve("prometheus.log").toFile()).start();
            try {
                java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
                String query = "http://127.0.0.1:" + promPort + "/api/v1/query?query=" + java.net.URLEncoder.encode(
                        "up{job=\"strata\"} == 1 and on() strata_ready == 1 and on() count(process_cpu_seconds_total) == 1",
                        java.nio.charset.StandardCharsets.UTF_8);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                String body = "";
                while (System.nanoTime() < deadline) {
                    try {
                        body = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(query)).build(),
                                HttpResponse.BodyHandlers.ofString()).body();
                        if (body.contains("\"value\"")) {
                            break;
                        }
                    } catch (java.io.IOException notYet) {
                        // Prometheus still starting
                    }
                    StrataProcess.pause();
                }
                assertTrue(body.contains("\"value\""), "Prometheus never scraped strata successfully: " + body + "\n"
                        + Files.readString(work.resolve("prometheus.log")));
            } finally {
                p.destroy();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aBundleDroppedIntoPluginsIsLoadedAndWithdrawnWithoutRestart() throws Exception {
        Path example = Path.of(System.getProperty("strata.example.plugin"));
        assertTrue(Files.isRegularFile(example), "example plugin jar missing: " + example);
        // a private copy of the distribution, so the shared one's plugins/ stays untouched
        Path home = work.resolve("strata home");
        copyTree(StrataProcess.HOME, home);
        StrataProcess s = StrataProcess.run(home, work, "-Dstrata.plugins.osgi.poll-interval=200ms");
        try {
            s.awaitReady(Duration.ofSeconds(10));
            assertEquals(404, s.status("/example/memory-bucket"));
            Files.write(home.resolve("plugins/broken.jar"), new byte[] {'n', 'o', 't', ' ', 'a', ' ', 'j', 'a', 'r'});
            s.await(Duration.ofSeconds(20), "the broken jar to be reported by name",
                    () -> logContains(s, "broken plugin bundle broken.jar"));
            Path dropped = home.resolve("plugins/example-memory-bucket.jar");
            Files.copy(example, dropped.resolveSibling("example.tmp"));
            Files.move(dropped.resolveSibling("example.tmp"), dropped, StandardCopyOption.ATOMIC_MOVE);
            s.await(Duration.ofSeconds(20), "the dropped plugin to be listed",
                    () -> body(s, "/api/v1/status/plugins").contains("\"type\":\"memory\""));
            s.await(Duration.ofSeconds(10), "the plugin's route to answer", () -> s.status("/example/memory-bucket") == 200);
            Files.delete(dropped);
            s.await(Duration.ofSeconds(20), "the removed plugin to be withdrawn",
                    () -> !body(s, "/api/v1/status/plugins").contains("\"type\":\"memory\""));
            assertEquals(404, s.status("/example/memory-bucket"));
            s.await(Duration.ofSeconds(10), "the uninstall to be logged", () -> logContains(s, "uninstalled bundle"));
        } finally {
            s.close();
        }
    }

    @Test
    void startStopAndStatusWithAPidFile() throws Exception {
        int http = StrataProcess.freePort();
        int grpc = StrataProcess.freePort();
        StrataProcess.Result start = StrataProcess.exec(work, "start", "run", "--http-address=127.0.0.1:" + http,
                "--grpc-address=127.0.0.1:" + grpc, "--remote-write.address=127.0.0.1:" + StrataProcess.freePort());
        assertEquals(0, start.exitCode(), start.output());
        assertTrue(Files.exists(work.resolve("strata.pid")));
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        boolean ready = false;
        while (!ready && System.nanoTime() < deadline) {
            try {
                ready = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + http + "/-/ready"))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (java.io.IOException notYet) {
                StrataProcess.pause();
            }
        }
        assertTrue(ready, "background strata never became ready: " + Files.readString(work.resolve("strata.log")));
        StrataProcess.Result status = StrataProcess.exec(work, "status");
        assertTrue(status.output().contains("running (pid"), status.output());
        StrataProcess.Result stop = StrataProcess.exec(work, "stop");
        assertEquals(0, stop.exitCode(), stop.output());
        assertTrue(stop.output().contains("strata stopped"), stop.output());
        assertEquals(3, StrataProcess.exec(work, "status").exitCode());
        assertTrue(Files.readString(work.resolve("strata.log")).contains("msg=stopped"));
    }

    @Test
    void versionRunsFromAnyDirectory() throws Exception {
        StrataProcess.Result r = StrataProcess.exec(work, "version");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().startsWith("strata, version "), r.output());
    }

    private static boolean logContains(StrataProcess s, String text) {
        try {
            return s.logText().contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String body(StrataProcess s, String path) {
        try {
            return s.get(path).body();
        } catch (Exception e) {
            return "";
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
