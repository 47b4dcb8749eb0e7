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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Thanos Receive tutorial with the distribution and Debian's Prometheus: two Prometheus servers
 * ("batcave", "batcomputer") remote-write to one `strata receive`; a `strata query` in front of
 * the receive's StoreAPI sees both. Malformed bodies are refused with 4xx, and samples acknowledged
 * before a kill -9 are there after the restart.
 */
class ReceiveTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    @TempDir
    Path work;
    private final List<StrataProcess> processes = new ArrayList<>();
    private final List<Process> prometheus = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : prometheus) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
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

    private void startPrometheus(Path binary, String cluster, int remoteWritePort) throws Exception {
        Path dir = work.resolve("prometheus-" + cluster);
        Files.createDirectories(dir);
        int port = StrataProcess.freePort();
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  external_labels:
                    cluster: %s
                scrape_configs:
                  - job_name: prometheus
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                remote_write:
                  - url: http://127.0.0.1:%d/api/v1/receive
                    queue_config:
                      batch_send_deadline: 1s
                """.formatted(cluster, port, remoteWritePort));
        Process p = new ProcessBuilder(binary.toString(), "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        prometheus.add(p);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> post(int port, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/receive")).timeout(Duration.ofSeconds(10))
                .header("Content-Encoding", "snappy").header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A remote write 1.0 WriteRequest with one sample per series, encoded by hand. */
    private static byte[] writeRequest(long[] ts, double[] vs, String[][] labels) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < labels.length; i++) {
            java.io.ByteArrayOutputStream series = new java.io.ByteArrayOutputStream();
            for (int j = 0; j < labels[i].length; j += 2) {
                java.io.ByteArrayOutputStream label = new java.io.ByteArrayOutputStream();
                bytesField(label, 1, labels[i][j].getBytes(StandardCharsets.UTF_8));
                bytesField(label, 2, labels[i][j + 1].getBytes(StandardCharsets.UTF_8));
                bytesField(series, 1, label.toByteArray());
            }
            java.io.ByteArrayOutputStream sample = new java.io.ByteArrayOutputStream();
            sample.write(9);
            long bits = Double.doubleToRawLongBits(vs[i]);
            for (int b = 0; b < 8; b++) {
                sample.write((int) (bits >>> (8 * b)) & 0xff);
            }
            sample.write(16);
            varint(sample, ts[i]);
            bytesField(series, 2, sample.toByteArray());
            bytesField(out, 1, series.toByteArray());
        }
        return out.toByteArray();
    }

    private static byte[] oneSeries(long t, double v, String... labels) {
        return writeRequest(new long[] {t}, new double[] {v}, new String[][] {labels});
    }

    private static void bytesField(java.io.ByteArrayOutputStream out, int field, byte[] bytes) {
        out.write(field << 3 | 2);
        varint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void varint(java.io.ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** Snappy block format with one literal (valid input for any decoder). */
    private static byte[] snappy(byte[] raw) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        varint(out, raw.length);
        if (raw.length > 0) {
            int n = raw.length - 1;
            out.write(63 << 2);
            out.write(n & 0xff);
            out.write((n >>> 8) & 0xff);
            out.write((n >>> 16) & 0xff);
            out.write((n >>> 24) & 0xff);
            out.writeBytes(raw);
        }
        return out.toByteArray();
    }

    @Test
    void twoPrometheusServersWriteToOneReceiveAndTheQuerySeesBothClusters() throws Exception {
        Path promBinary = ExternalPrograms.require("prometheus", "prometheus");
        int rw = StrataProcess.freePort();
        StrataProcess receive = start("receive", "receive", "--remote-write.address=127.0.0.1:" + rw, "--label", "receive_replica=\"0\"");
        receive.awaitReady(Duration.ofSeconds(30));
        StrataProcess query = start("query", "query", "--endpoint=127.0.0.1:" + receive.grpcPort);
        query.awaitReady(Duration.ofSeconds(30));
        startPrometheus(promBinary, "batcave", rw);
        startPrometheus(promBinary, "batcomputer", rw);
        query.await(Duration.ofSeconds(15), "up for both clusters", () -> {
            try {
                String body = query.get("/api/v1/query?query=" + enc("up")).body();
                return body.contains("\"cluster\":\"batcave\"") && body.contains("\"cluster\":\"batcomputer\"");
            } catch (Exception e) {
                return false;
            }
        });
        String body = query.get("/api/v1/query?query=" + enc("up")).body();
        assertTrue(body.contains("\"tenant_id\":\"default-tenant\"") && body.contains("\"receive_replica\":\"0\""), body);

        // Malformed bodies get 4xx, on both the remote-write listener and the main HTTP port, and
        // the Prometheus servers keep writing.
        HttpResponse<String> truncated = post(rw, java.util.Arrays.copyOf(snappy(oneSeries(1, 1, "__name__", "x", "a", "b")), 12));
        assertEquals(400, truncated.statusCode(), truncated.body());
        assertEquals(400, post(rw, snappy("garbage protobuf".getBytes(StandardCharsets.UTF_8))).statusCode());
        HttpResponse<String> dup = post(receive.httpPort, snappy(oneSeries(1, 1, "__name__", "x", "a", "1", "a", "2")));
        assertEquals(400, dup.statusCode(), dup.body());
        assertTrue(dup.body().contains("duplicate label name"), dup.body());
        HttpResponse<String> huge = post(rw, snappy(oneSeries(1, 1, "__name__", "x", "a", "v".repeat(200_000))));
        assertTrue(huge.statusCode() >= 400 && huge.statusCode() < 500, huge.statusCode() + " " + huge.body());
        long before = System.currentTimeMillis();
        query.await(Duration.ofSeconds(15), "fresh samples after the malformed requests", () -> {
            try {
                String b = query.get("/api/v1/query?query=" + enc("timestamp(up{cluster=\"batcave\"})")).body();
                int i = b.indexOf("\"value\":[");
                if (i < 0) {
                    return false;
                }
                String v = b.substring(b.indexOf(",\"", i) + 2, b.indexOf("\"]", i));
                return Double.parseDouble(v) * 1000 > before;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void samplesAcknowledgedBeforeAKillDashNineAreQueryableAfterTheRestart() throws Exception {
        int rw = StrataProcess.freePort();
        StrataProcess receive = start("receive", "receive", "--remote-write.address=127.0.0.1:" + rw);
        receive.awaitReady(Duration.ofSeconds(30));
        long t0 = System.currentTimeMillis() - 60_000;
        int acknowledged = 0;
        for (int i = 0; i < 300; i++) {
            long[] ts = new long[20];
            double[] vs = new double[20];
            String[][] labels = new String[20][];
            for (int s = 0; s < 20; s++) {
                ts[s] = t0 + i * 100L;
                vs[s] = i;
                labels[s] = new String[] {"__name__", "load_test", "series", Integer.toString(s)};
            }
            try {
                if (post(rw, snappy(writeRequest(ts, vs, labels))).statusCode() == 200) {
                    acknowledged = i + 1;
                }
            } catch (java.io.IOException e) {
                org.junit.jupiter.api.Assertions.fail("request " + i + " failed: " + e + "; log:\n" + receive.logText(), e);
            }
        }
        assertEquals(300, acknowledged);
        receive.process.destroyForcibly();
        receive.process.waitFor(30, TimeUnit.SECONDS);
        processes.remove(receive);
        StrataProcess restarted = StrataProcess.start(work.resolve("receive"), "receive", "--remote-write.address=127.0.0.1:" + rw);
        processes.add(restarted);
        restarted.awaitReady(Duration.ofSeconds(60));
        StrataProcess query = start("query", "query", "--endpoint=127.0.0.1:" + restarted.grpcPort);
        query.awaitReady(Duration.ofSeconds(30));
        String q = "/api/v1/query?time=" + (t0 + 60_000) / 1000 + "&query=" + enc("sum(count_over_time(load_test[2m]))");
        query.await(Duration.ofSeconds(20), "the receive as a store", () -> {
            try {
                return query.get(q).body().contains("\"value\":[");
            } catch (Exception e) {
                return false;
            }
        });
        String body = query.get(q).body();
        assertTrue(body.contains("\"6000\"]"), "expected 20 series x 300 samples, got " + body);
    }
}
