package io.strata.plugin.receive.internal;

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
    void usageErrorsExitWithTwo() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err);
        PrintStream o = new PrintStream(new ByteArrayOutputStream());
        assertEquals(2, new RemoteWriteBenchTool().run(List.of("--series", "10"), o, e));
        assertEquals(2, new RemoteWriteBenchTool().run(List.of("--url", "http://x", "--batch", "0"), o, e));
        assertEquals(2, new RemoteWriteBenchTool().run(List.of("--url", "http://x", "--duration", "ten"), o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--url is required"), err.toString(StandardCharsets.UTF_8));
    }
}
