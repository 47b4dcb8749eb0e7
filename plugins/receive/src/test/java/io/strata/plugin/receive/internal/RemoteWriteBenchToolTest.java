package io.strata.plugin.receive.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.strata.proto.prometheus.WriteRequest;
import io.strata.proto.prometheus.Label;
import io.strata.proto.prometheus.TimeSeries;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class RemoteWriteBenchToolTest {
    @Test
    void pushesValidRequestsWithIncreasingTimestampsAndCountsFailuresByStatus() throws Exception {
        Map<String, Long> lastTimestamp = new ConcurrentHashMap<>();
        AtomicInteger requests = new AtomicInteger();
        StringBuffer problems = new StringBuffer();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/write", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            WriteRequest req = WriteRequest.parseFrom(Snappy.uncompress(body));
            int n = requests.incrementAndGet();
            if (!"snappy".equals(exchange.getRequestHeaders().getFirst("Content-Encoding")) || req.getTimeseriesCount() > 30) {
                problems.append("bad request ");
            }
            for (TimeSeries ts : req.getTimeseriesList()) {
                List<Label> labels = ts.getLabelsList();
                if (labels.size() != 4 || !labels.get(0).getName().equals("__name__") || ts.getSamplesCount() != 1) {
                    problems.append("bad series ").append(ts);
                }
                for (int i = 1; i < labels.size(); i++) {
                    if (labels.get(i - 1).getName().compareTo(labels.get(i).getName()) >= 0) {
                        problems.append("unsorted ").append(labels);
                    }
                }
                Long before = lastTimestamp.put(labels.toString(), ts.getSamples(0).getTimestamp());
                if (before != null && before >= ts.getSamples(0).getTimestamp()) {
                    problems.append("timestamp not increasing ").append(labels);
                }
            }
            exchange.sendResponseHeaders(n % 10 == 0 ? 503 : 204, -1);
            exchange.close();
        });
        server.start();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = new RemoteWriteBenchTool().run(List.of("--url", "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write",
                    "--series=100", "--labels=4", "--batch=30", "--concurrency=3", "--duration=700ms"), new PrintStream(out),
                    new PrintStream(new ByteArrayOutputStream()));
            String report = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, report);
            assertEquals("", problems.toString(), report);
            assertEquals(100, lastTimestamp.size(), "every series is written: " + report);
            assertTrue(report.contains("accepted samples/s: ") && report.contains("failures: {503="), report);
            assertTrue(requests.get() > 10, report);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void churnReplacesTheNextSeriesInIdOrderEveryInterval() {
        RemoteWriteBenchTool.Churn churn = RemoteWriteBenchTool.Churn.of(RemoteWriteBenchTool.parse(
                List.of("--url", "http://x", "--series", "10", "--churn", "30%", "--churn-interval", "1s")));
        assertEquals(3, churn.perInterval());
        assertEquals(0, churn.interval(0, 5_000), "no churn before it starts");
        assertEquals(2, churn.interval(1_000, 3_500));
        long[] atOne = new long[10];
        long[] atFour = new long[10];
        for (int id = 0; id < 10; id++) {
            assertEquals(0, churn.generation(id, 0));
            atOne[id] = churn.generation(id, 1);
            atFour[id] = churn.generation(id, 4);
        }
        assertArrayEquals(new long[] {1, 1, 1, 0, 0, 0, 0, 0, 0, 0}, atOne);
        // 12 replacements: every series once, then 0 and 1 again
        assertArrayEquals(new long[] {2, 2, 1, 1, 1, 1, 1, 1, 1, 1}, atFour);
        assertEquals(1, RemoteWriteBenchTool.Churn.of(RemoteWriteBenchTool.parse(List.of("--url", "http://x", "--series", "10",
                "--churn", "0.1"))).perInterval(), "a churn above 0 replaces at least one series");
        assertEquals(0, RemoteWriteBenchTool.Churn.of(RemoteWriteBenchTool.parse(List.of("--url", "http://x"))).perInterval());
    }

    @Test
    void churnWritesNewSeriesAndReportsThem() throws Exception {
        Map<String, Long> lastTimestamp = new ConcurrentHashMap<>();
        StringBuffer problems = new StringBuffer();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/write", exchange -> {
            WriteRequest req = WriteRequest.parseFrom(Snappy.uncompress(exchange.getRequestBody().readAllBytes()));
            for (TimeSeries ts : req.getTimeseriesList()) {
                String unique = ts.getLabels(ts.getLabelsCount() - 1).getValue();
                if (!unique.matches("series_[0-9]+(_g[0-9]+)?")) {
                    problems.append("unexpected unique label ").append(unique).append(' ');
                }
                Long before = lastTimestamp.put(ts.getLabelsList().toString(), ts.getSamples(0).getTimestamp());
                if (before != null && before >= ts.getSamples(0).getTimestamp()) {
                    problems.append("timestamp not increasing ").append(unique).append(' ');
                }
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = new RemoteWriteBenchTool().run(List.of("--url", "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write",
                    "--series=50", "--labels=3", "--batch=10", "--concurrency=2", "--duration=1200ms", "--churn=10",
                    "--churn-interval=200ms"), new PrintStream(out), new PrintStream(new ByteArrayOutputStream()));
            String report = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, report);
            assertEquals("", problems.toString(), report);
            assertTrue(report.contains("replacing 5 series (10%) every PT0.2S"), report);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("churn: ([0-9]+) new series written").matcher(report);
            assertTrue(m.find(), report);
            long created = Long.parseLong(m.group(1));
            // 1.2 s of 200 ms intervals replace 5 series each: about 30
            assertTrue(created >= 5, report);
            assertEquals(50 + created, lastTimestamp.size(), "every series written is one of the 50 or a reported new one: " + report);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void usageErrorsExitWithTwo() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err);
        PrintStream o = new PrintStream(new ByteArrayOutputStream());
        assertEquals(2, new RemoteWriteBenchTool().run(List.of("--series", "10"), o, e));
        assertEquals(2, new RemoteWriteBenchTool().run(List.of("--url", "http://x", "--batch", "0"), o, e));
        assertEquals(2, new RemoteWriteBenchTool().run(List.of("--url", "http://x", "--duration", "ten"), o, e));
        assertEquals(2, new RemoteWriteBenchTool().run(List.of("--url", "http://x", "--churn", "120"), o, e));
        assertEquals(2, new RemoteWriteBenchTool().run(List.of("--url", "http://x", "--churn", "5", "--churn-interval", "0s"), o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--url is required"), err.toString(StandardCharsets.UTF_8));
    }
}
