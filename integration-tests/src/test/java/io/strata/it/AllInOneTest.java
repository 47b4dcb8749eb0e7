package io.strata.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command: the all-in-one takes a real Prometheus's remote write and answers queries over it. */
class AllInOneTest {
    @TempDir
    Path work;

    @Test
    void prometheusRemoteWritesToTheAllInOneAndItsQueryApiAnswers() throws Exception {
        Path prometheus = ExternalPrograms.require("prometheus", "prometheus");
        try (StrataProcess s = StrataProcess.run(work)) {
            s.awaitReady(Duration.ofSeconds(20));
            Path cfg = work.resolve("prometheus.yml");
            Files.writeString(cfg, """
                    global: {scrape_interval: 1s, external_labels: {cluster: demo}}
                    scrape_configs:
                      - job_name: strata
                        static_configs: [{targets: ['127.0.0.1:%d']}]
                    remote_write:
                      - url: http://127.0.0.1:%d/api/v1/receive
                    """.formatted(s.httpPort, s.remoteWritePort));
            Process prom = new ProcessBuilder(prometheus.toString(), "--config.file=" + cfg, "--storage.tsdb.path=" + work.resolve("prom"),
                    "--web.listen-address=127.0.0.1:" + StrataProcess.freePort()).redirectErrorStream(true)
                    .redirectOutput(work.resolve("prometheus.log").toFile()).start();
            try {
                HttpClient client = HttpClient.newHttpClient();
                String url = s.url("/api/v1/query?query=" + URLEncoder.encode("up{job=\"strata\",cluster=\"demo\"}", StandardCharsets.UTF_8));
                s.await(Duration.ofSeconds(60), "samples written by Prometheus to be queryable", () -> {
                    try {
                        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                                .body().contains("\"value\"");
                    } catch (Exception notYet) {
                        return false;
                    }
                });
                String stores = s.get("/api/v1/stores").body();
                assertTrue(stores.contains("\"receive\":[") && stores.contains("\"healthy\":true"), stores);
            } finally {
                prom.destroy();
                prom.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
