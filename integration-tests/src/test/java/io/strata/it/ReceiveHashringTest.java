package io.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Thanos Receive hashring scenario with the distribution: a router ({@code strata receive} with
 * a hashring file and no local endpoint) in front of three ingesters, each with its own
 * {@code receive_replica} label, and a {@code strata query} deduplicating on that label.
 */
class ReceiveHashringTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern VALUE = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]");
    private static final Pattern POINT = Pattern.compile("\\[([0-9.]+),\"([^\"]+)\"\\]");
    private static final Pattern REPLICA = Pattern.compile("\"receive_replica\":\"([^\"]+)\"");
    private static final Pattern SERIES = Pattern.compile("\"series\":\"([^\"]+)\"");
    @TempDir
    Path work;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Process> prometheus = new ArrayList<>();
    private ScheduledExecutorService load;
    /** The router's remote-write port. */
    private int remoteWritePort;

    @AfterEach
    void stopAll() throws Exception {
        if (load != null) {
            load.shutdownNow();
            load.awaitTermination(20, TimeUnit.SECONDS);
        }
        for (Process p : prometheus) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        // SIGTERM to all first, then wait: the ingesters flush their heads in parallel
        for (Node n : nodes) {
            if (n.process != null && n.process.isAlive()) {
                n.process.destroy();
            }
        }
        for (Node n : nodes) {
            n.close();
        }
    }

    /**
     * One {@code bin/strata} process on ports chosen here, so that an ingester's
     * {@code --receive.local-endpoint} can name its own gRPC address (StrataProcess picks its ports
     * itself); restartable on the same ports and directory.
     */
    private final class Node implements AutoCloseable {
        final String name;
        final int httpPort = StrataProcess.freePort();
        final int grpcPort = StrataProcess.freePort();
        final List<String> args;
        final Path dir;
        Process process;

        Node(String name, List<String> args) throws IOException {
            this.name = name;
            this.args = args;
            this.dir = work.resolve(name);
            Files.createDirectories(dir);
            nodes.add(this);
        }

        Node start() throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(StrataProcess.bin().toString());
            cmd.addAll(args);
            cmd.add("--http-address=127.0.0.1:" + httpPort);
            cmd.add("--grpc-address=127.0.0.1:" + grpcPort);
            process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("strata.log").toFile())).start();
            return this;
        }

        String grpcAddress() {
            return "127.0.0.1:" + grpcPort;
        }

        String get(String path) throws IOException, InterruptedException {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException(path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        }

        void awaitReady() throws IOException {
            await(Duration.ofSeconds(40), name + " to become ready", () -> {
                try {
                    get("/-/ready");
                    return true;
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
        }

        void await(Duration timeout, String what, BooleanSupplier condition) throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!condition.getAsBoolean()) {
                if (!process.isAlive()) {
                    fail(name + " exited with " + process.exitValue() + " while waiting for " + what + ":\n" + logs());
                }
                if (System.nanoTime() > deadline) {
                    fail("timed out after " + timeout + " waiting for " + what + "; logs:\n" + logs());
                }
                StrataProcess.pause();
            }
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), name + " survived kill -9");
        }

        @Override
        public void close() throws InterruptedException {
            if (process != null && process.isAlive()) {
                process.destroy();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    private String logs() throws IOException {
        StringBuilder b = new StringBuilder();
        for (Node n : nodes) {
            Path log = n.dir.resolve("strata.log");
            b.append("==== ").append(n.name).append('\n').append(Files.exists(log) ? Files.readString(log) : "(no log)").append('\n');
        }
        return b.toString();
    }

    /** Three ingesters, then a router with a hashring of their gRPC addresses, then a querier over the ingesters. */
    private Node[] cluster(int replicationFactor) throws Exception {
        Node[] ingesters = new Node[3];
        for (int i = 0; i < 3; i++) {
            String name = "ingester" + (i + 1);
            int rw = StrataProcess.freePort();
            List<String> args = new ArrayList<>(List.of("receive", "--tsdb.path=" + work.resolve(name).resolve("data"),
                    "--label", "receive_replica=\"" + (i + 1) + "\"", "--remote-write.address=127.0.0.1:" + rw));
            ingesters[i] = new Node(name, args);
            args.add("--receive.local-endpoint=" + ingesters[i].grpcAddress());
            ingesters[i].start();
        }
        Path hashring = work.resolve("hashring.json");
        Files.writeString(hashring, """
                [{"hashring": "default", "algorithm": "hashmod", "endpoints": ["%s", "%s", "%s"]}]
                """.formatted(ingesters[0].grpcAddress(), ingesters[1].grpcAddress(), ingesters[2].grpcAddress()));
        int routerRw = StrataProcess.freePort();
        Node router = new Node("router", List.of("receive", "--receive.hashrings-file=" + hashring,
                "--receive.replication-factor=" + replicationFactor, "--remote-write.address=127.0.0.1:" + routerRw,
                "--tsdb.path=" + work.resolve("router").resolve("data"))).start();
        List<String> queryArgs = new ArrayList<>(List.of("query", "--query.replica-label=receive_replica"));
        for (Node n : ingesters) {
            queryArgs.add("--endpoint=" + n.grpcAddress());
        }
        Node query = new Node("query", queryArgs).start();
        for (Node n : ingesters) {
            n.awaitReady();
        }
        router.awaitReady();
        query.awaitReady();
        assertTrue(Files.readString(router.dir.resolve("strata.log")).contains("router only"), "the router runs as router only");
        remoteWritePort = routerRw;
        return new Node[] {ingesters[0], ingesters[1], ingesters[2], router, query};
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static List<Double> values(String body) {
        List<Double> out = new ArrayList<>();
        Matcher m = VALUE.matcher(body);
        while (m.find()) {
            out.add(Double.parseDouble(m.group(1)));
        }
        return out;
    }

    /** Instant query answering one sample; -1 when there is none or the query fails. */
    private static double scalar(Node query, String promql, long time, boolean dedup) {
        try {
            List<Double> v = values(query.get("/api/v1/query?time=" + time + "&dedup=" + dedup + "&query=" + enc(promql)));
            return v.size() == 1 ? v.get(0) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Test
    void routerWithReplicationFactorTwoStoresEverySeriesOnTwoOfThreeIngesters() throws Exception {
        Path promBinary = ExternalPrograms.require("prometheus", "prometheus");
        Node[] c = cluster(2);
        Node query = c[4];
        Path dir = work.resolve("prometheus");
        Files.createDirectories(dir);
        int port = StrataProcess.freePort();
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: prometheus
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                remote_write:
                  - url: http://127.0.0.1:%d/api/v1/receive
                    queue_config:
                      batch_send_deadline: 1s
                """.formatted(port, remoteWritePort));
        prometheus.add(new ProcessBuilder(promBinary.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile()).start());

        String all = "{job=\"prometheus\"}";
        long[] at = new long[1];
        // Wait for the scrapes to arrive and for a moment at which every series seen so far is on
        // two ingesters (a series first written in the last instant may still be on its way).
        query.await(Duration.ofSeconds(40), "every series once deduplicated and twice without", () -> {
            long t = System.currentTimeMillis() / 1000 - 2;
            double once = scalar(query, "count(" + all + ")", t, true);
            double twice = scalar(query, "count(" + all + ")", t, false);
            at[0] = t;
            return once > 100 && twice == 2 * once;
        });
        long t = at[0];
        // each labelset (without the replica label) exactly twice without dedup, exactly once with it
        // (without drops the metric name: keep it in a label)
        String named = "label_replace(" + all + ", \"it_metric_name\", \"$1\", \"__name__\", \"(.+)\")";
        assertEquals(2.0, scalar(query, "min(count without (receive_replica) (" + named + "))", t, false));
        assertEquals(2.0, scalar(query, "max(count without (receive_replica) (" + named + "))", t, false));
        assertEquals(1.0, scalar(query, "max(count without (receive_replica) (" + named + "))", t, true));
        // the ring spreads the series over all three ingesters, two copies of each
        double total = scalar(query, "count(" + all + ")", t, true);
        List<Double> perReplica = values(query.get("/api/v1/query?time=" + t + "&dedup=false&query="
                + enc("count by (receive_replica) (" + all + ")")));
        assertEquals(3, perReplica.size(), "series on all three ingesters: " + perReplica);
        double sum = 0;
        for (double v : perReplica) {
            assertTrue(v < total, "an ingester holds " + v + " of " + total + " series: the ring does not spread them");
            sum += v;
        }
        assertEquals(2 * total, sum);
        String up = query.get("/api/v1/query?time=" + t + "&query=" + enc("up"));
        assertTrue(up.contains("\"tenant_id\":\"default-tenant\"") && !up.contains("receive_replica"), up);
    }

    /** Remote write 1.0, one sample for each of {@code series} series named hashring_load. */
    private static byte[] request(int series, long t, double v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < series; i++) {
            ByteArrayOutputStream ts = new ByteArrayOutputStream();
            label(ts, "__name__", "hashring_load");
            label(ts, "series", Integer.toString(i));
            ByteArrayOutputStream sample = new ByteArrayOutputStream();
            sample.write(9);
            long bits = Double.doubleToRawLongBits(v);
            for (int b = 0; b < 8; b++) {
                sample.write((int) (bits >>> (8 * b)) & 0xff);
            }
            sample.write(16);
            varint(sample, t);
            bytes(ts, 2, sample.toByteArray());
            bytes(out, 1, ts.toByteArray());
        }
        byte[] raw = out.toByteArray();
        // snappy block format, one literal
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        varint(s, raw.length);
        int n = raw.length - 1;
        s.write(63 << 2);
        for (int b = 0; b < 4; b++) {
            s.write((n >>> (8 * b)) & 0xff);
        }
        s.writeBytes(raw);
        return s.toByteArray();
    }

    private static void label(ByteArrayOutputStream series, String name, String value) {
        ByteArrayOutputStream l = new ByteArrayOutputStream();
        bytes(l, 1, name.getBytes(StandardCharsets.UTF_8));
        bytes(l, 2, value.getBytes(StandardCharsets.UTF_8));
        bytes(series, 1, l.toByteArray());
    }

    private static void bytes(ByteArrayOutputStream out, int field, byte[] b) {
        out.write(field << 3 | 2);
        varint(out, b.length);
        out.writeBytes(b);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    /**
     * Replication factor 3 under steady load, one ingester killed with SIGKILL and started again: no
     * write fails, every acknowledged sample stays on a write quorum of ingesters (those acknowledged
     * before the kill on the restarted one too: its WAL replay keeps them), and deduplicated, every
     * series has a sample in every second in which a write was acknowledged.
     *
     * <p>The victim is the replica the penalty dedup follows (the querier orders the replicas of a
     * series by endpoint address and follows the first while it has samples), so the deduplicated
     * series must switch replicas across its gap; the gap of any other replica never shows. The kill
     * comes 6 s into the asserted range: as in Thanos, the penalty dedup does not look at the other
     * replicas during the first 5 s after the first sample it is given (the initial penalty, used
     * until the sampling interval is known), so a gap of the followed replica there is not filled
     * before those 5 s end ({@code DeduplicatorTest} pins both behaviours). With the victim chosen
     * by port order and a kill 3 s into the load, this test failed whenever the victim's port sorted
     * first: one run in three.
     */
    @Test
    void replicationFactorThreeSurvivesAKillDashNineWithoutFailedWritesOrGaps() throws Exception {
        Node[] c = cluster(3);
        int victimIndex = 0;
        for (int i = 1; i < 3; i++) {
            if (c[i].grpcAddress().compareTo(c[victimIndex].grpcAddress()) < 0) {
                victimIndex = i;
            }
        }
        Node victim = c[victimIndex];
        String victimReplica = Integer.toString(victimIndex + 1);
        Node router = c[3];
        Node query = c[4];
        int series = 20;
        AtomicLong ok = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        long first = System.currentTimeMillis();
        // the asserted range: its first one-second window ends at start
        long start = first / 1000 + 2;
        AtomicLong last = new AtomicLong();
        // the timestamps of the acknowledged writes
        NavigableSet<Long> acknowledged = new ConcurrentSkipListSet<>();
        URI uri = URI.create("http://127.0.0.1:" + remoteWritePort + "/api/v1/receive");
        load = Executors.newSingleThreadScheduledExecutor();
        load.scheduleAtFixedRate(() -> {
            long t = Math.max(System.currentTimeMillis(), last.get() + 1);
            last.set(t);
            long n = sent.incrementAndGet();
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                        .header("Content-Encoding", "snappy").header("Content-Type", "application/x-protobuf")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(request(series, t, n))).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() / 100 == 2) {
                    ok.incrementAndGet();
                    acknowledged.add(t);
                } else {
                    failures.add(r.statusCode() + " " + r.body());
                }
            } catch (IOException e) {
                failures.add(e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 0, 100, TimeUnit.MILLISECONDS);

        // past the initial penalty: 6 s after the first acknowledged sample the range query selects
        router.await(Duration.ofSeconds(30), "30 writes and 6 s of load in the asserted range", () -> {
            Long inRange = acknowledged.higher((start - 1) * 1000);
            return ok.get() >= 30 && inRange != null && acknowledged.last() >= inRange + 6000;
        });
        List<Long> beforeKill = List.copyOf(acknowledged);
        victim.kill();
        long killed = ok.get();
        router.await(Duration.ofSeconds(20), "30 writes with an ingester down", () -> ok.get() >= killed + 30);
        victim.start();
        victim.awaitReady();
        long restartedAt = System.currentTimeMillis();
        long restarted = ok.get();
        router.await(Duration.ofSeconds(20), "30 writes after the restart", () -> ok.get() >= restarted + 30);
        // the router writes to the restarted ingester again
        String latest = "/api/v1/query?dedup=false&query=" + enc("max by (receive_replica) (timestamp(hashring_load))");
        query.await(Duration.ofSeconds(20), "samples from after the restart on all three ingesters", () -> {
            try {
                List<Double> ts = values(query.get(latest));
                return ts.size() == 3 && ts.stream().allMatch(x -> x * 1000 >= restartedAt);
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        load.shutdown();
        assertTrue(load.awaitTermination(20, TimeUnit.SECONDS));
        assertTrue(failures.isEmpty(), failures.size() + " of " + sent.get() + " writes failed, first: " + failures.peek() + "\n" + logs());
        assertEquals(sent.get(), ok.get());

        // Without deduplication: every acknowledged sample of every series on at least a write quorum
        // (two) of the ingesters, and those acknowledged before the kill on the restarted one as well.
        long end = last.get() / 1000;
        Map<String, Map<String, Set<Long>>> raw = rawSamples(complete(query, "/api/v1/query?time=" + (end + 1) + "&dedup=false&query="
                + enc("hashring_load[" + (end + 3 - first / 1000) + "s]")));
        List<String> lost = new ArrayList<>();
        for (long t : acknowledged) {
            for (int s = 0; s < series; s++) {
                String name = Integer.toString(s);
                long copies = raw.values().stream().filter(r -> r.getOrDefault(name, Set.of()).contains(t)).count();
                if (copies < 2) {
                    lost.add("series " + s + " at " + t + " on " + copies + " ingester(s)");
                }
            }
        }
        assertTrue(lost.isEmpty(), lost.size() + " acknowledged samples below the write quorum, first: "
                + lost.subList(0, Math.min(5, lost.size())));
        Map<String, Set<Long>> restartedSamples = raw.getOrDefault(victimReplica, Map.of());
        for (int s = 0; s < series; s++) {
            String name = Integer.toString(s);
            Set<Long> kept = restartedSamples.getOrDefault(name, Set.of());
            List<Long> missing = beforeKill.stream().filter(t -> !kept.contains(t)).toList();
            assertTrue(missing.isEmpty(), () -> "the restarted ingester lost " + missing.size() + " of the " + beforeKill.size()
                    + " samples of series " + name + " acknowledged before the kill, first: " + missing.get(0));
        }

        // Deduplicated, every series has a sample in every second in which a write was acknowledged:
        // no gap (the load loop itself may stall for a second on this shared machine). The window of
        // step sec is (sec - 1 s, sec].
        Set<Long> acknowledgedSeconds = new TreeSet<>();
        for (long t : acknowledged) {
            acknowledgedSeconds.add((t + 999) / 1000);
        }
        List<Long> expected = new ArrayList<>();
        for (long sec = start; sec <= end; sec++) {
            if (acknowledgedSeconds.contains(sec)) {
                expected.add(sec);
            }
        }
        assertTrue(expected.size() >= (end - start) / 2, "the load loop wrote in " + expected.size() + " of " + (end - start + 1) + " seconds");
        String range = "/api/v1/query_range?query=" + enc("count(count_over_time(hashring_load[1s]))") + "&start=" + start + "&end=" + end
                + "&step=1";
        String body = complete(query, range);
        Map<Long, Double> seen = new HashMap<>();
        for (double[] p : points(body)) {
            seen.put((long) p[0], p[1]);
        }
        List<Long> gaps = expected.stream().filter(sec -> !Objects.equals(seen.get(sec), (double) series)).toList();
        assertTrue(gaps.isEmpty(), "deduplicated, not every series has a sample in the seconds ending at " + gaps + " (victim replica "
                + victimReplica + ", killed after " + beforeKill.get(beforeKill.size() - 1) + ", restarted at " + restartedAt + "): "
                + body);
        // three copies of every series without deduplication
        String copies = query.get("/api/v1/query?time=" + end + "&dedup=false&query=" + enc("count by (receive_replica) (hashring_load)"));
        assertEquals(List.of((double) series, (double) series, (double) series), values(copies), copies);
    }

    /** The answer to a query from every endpoint: retried while it comes with warnings (a partial response). */
    private static String complete(Node query, String path) throws IOException {
        String[] body = new String[1];
        query.await(Duration.ofSeconds(20), "an answer without warnings to " + path, () -> {
            try {
                body[0] = query.get(path);
                return !body[0].contains("\"warnings\"");
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        return body[0];
    }

    /** A matrix answer of hashring_load as replica label, then series label, to sample timestamps (ms). */
    private static Map<String, Map<String, Set<Long>>> rawSamples(String body) {
        Map<String, Map<String, Set<Long>>> out = new HashMap<>();
        for (String result : body.split("\\{\"metric\":")) {
            Matcher replica = REPLICA.matcher(result);
            Matcher name = SERIES.matcher(result);
            int values = result.indexOf("\"values\":[");
            if (!replica.find() || !name.find() || values < 0) {
                continue;
            }
            Set<Long> times = out.computeIfAbsent(replica.group(1), r -> new HashMap<>())
                    .computeIfAbsent(name.group(1), n -> new HashSet<>());
            Matcher m = POINT.matcher(result.substring(values));
            while (m.find()) {
                times.add(Math.round(Double.parseDouble(m.group(1)) * 1000));
            }
        }
        return out;
    }

    private static List<double[]> points(String body) {
        List<double[]> out = new ArrayList<>();
        int i = body.indexOf("\"values\":[");
        if (i < 0) {
            return out;
        }
        Matcher m = POINT.matcher(body.substring(i));
        while (m.find()) {
            out.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
        }
        return out;
    }
}
