package io.strata.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Prometheus 2.42 with remote_read pointed at the querier answers from the global view. */
class RemoteReadTest {
    @TempDir
    Path work;

    @Test
    void prometheusRemoteReadsTheGlobalView() throws Exception {
        Path prometheus = ExternalPrograms.require("prometheus", "prometheus");
        Path golden = Path.of(System.getProperty("strata.testdata", "missing")).resolve("tsdb-golden/golden1");
        assertTrue(Files.isDirectory(golden), "shared test data not found at " + golden);
        try (StrataProcess store = StrataProcess.start(Files.createDirectories(work.resolve("store")), "store",
                "--tsdb.path=" + golden, "--label", "cluster=\"us1\"");
             StrataProcess query = StrataProcess.start(Files.createDirectories(work.resolve("query")), "query",
                     "--endpoint=127.0.0.1:" + store.grpcPort)) {
            store.awaitReady(Duration.ofSeconds(20));
            query.awaitReady(Duration.ofSeconds(20));
            int promPort = StrataProcess.freePort();
            Path cfg = work.resolve("prometheus.yml");
            Files.writeString(cfg, """
                    global: {scrape_interval: 1m}
                    remote_read:
                      - url: http://127.0.0.1:%d/api/v1/read
                        read_recent: true
                    """.formatted(query.httpPort));
            Process prom = new ProcessBuilder(prometheus.toString(), "--config.file=" + cfg, "--storage.tsdb.path=" + work.resolve("prom"),
                    "--web.listen-address=127.0.0.1:" + promPort).redirectErrorStream(true)
                    .redirectOutput(work.resolve("prometheus.log").toFile()).start();
            try {
                String url = "http://127.0.0.1:" + promPort + "/api/v1/query?time=7230&query="
                        + URLEncoder.encode("http_requests_total{code=\"200\"}", StandardCharsets.UTF_8);
                java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
                String[] body = {""};
                query.await(Duration.ofSeconds(60), "Prometheus to answer through remote read", () -> {
                    try {
                        body[0] = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                        return body[0].contains("\"value\"");
                    } catch (Exception notYet) {
                        return false;
                    }
                });
                assertTrue(body[0].contains("{\"metric\":{\"__name__\":\"http_requests_total\",\"cluster\":\"us1\",\"code\":\"200\",\"job\":\"api\"},\"value\":[7230,\"3\"]}"),
                        body[0] + "\n" + Files.readString(work.resolve("prometheus.log")));
            } finally {
                prom.destroy();
                prom.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
