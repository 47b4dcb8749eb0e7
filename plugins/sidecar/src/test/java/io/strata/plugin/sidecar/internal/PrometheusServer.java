package io.strata.plugin.sidecar.internal;

import static org.junit.jupiter.api.Assertions.fail;

import io.strata.api.labels.Labels;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Prometheus server (the Debian package's /usr/bin/prometheus) on a loopback port and a data
 * directory of the test's, started for a test and stopped by {@link #close()}. Without the program
 * the test is skipped, or fails under {@code CI=true}.
 */
final class PrometheusServer implements AutoCloseable {
    final Path directory;
    final Path dataDirectory;
    final Path configFile;
    final int port;
    private final Process process;
    private final Path log;

    private PrometheusServer(Path directory, Path configFile, int port, Process process, Path log) {
        this.directory = directory;
        this.dataDirectory = directory.resolve("data");
        this.configFile = configFile;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    static Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "prometheus");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String why = "prometheus is not installed (Debian package 'prometheus')";
        if ("true".equals(System.getenv("CI"))) {
            fail(why);
        }
        Assumptions.abort(why);
        throw new AssertionError("unreachable");
    }

    /** The configuration YAML with these external labels and a scrape of itself when {@code scrapeSelf}. */
    static String config(Labels externalLabels, boolean scrapeSelf, int port) {
        StringBuilder sb = new StringBuilder("global:\n  scrape_interval: 1s\n");
        if (!externalLabels.isEmpty()) {
            sb.append("  external_labels:\n");
            externalLabels.forEach((n, v) -> sb.append("    ").append(n).append(": \"").append(v.replace("\\", "\\\\").replace("\"", "\\\""))
                    .append("\"\n"));
        }
        if (scrapeSelf) {
            sb.append("scrape_configs:\n  - job_name: prometheus\n    static_configs:\n      - targets: ['127.0.0.1:").append(port).append("']\n");
        }
        return sb.toString();
    }

    /**
     * Starts Prometheus in {@code directory} (data in {@code directory/data}, which may already hold
     * blocks) with the configuration text, and waits until it is ready.
     */
    static PrometheusServer start(Path directory, java.util.function.IntFunction<String> configForPort, String... extraFlags)
            throws IOException, InterruptedException {
        Path binary = binary();
        int port = freePort();
        Path configFile = directory.resolve("prometheus.yml");
        Files.writeString(configFile, configForPort.apply(port));
        Files.createDirectories(directory.resolve("data"));
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--config.file=" + configFile,
                "--storage.tsdb.path=" + directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--web.enable-lifecycle",
                "--storage.tsdb.min-block-duration=2h", "--storage.tsdb.max-block-duration=2h"));
        cmd.addAll(List.of(extraFlags));
        Path log = directory.resolve("prometheus.log");
        Process p = new ProcessBuilder(cmd).directory(directory.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(directory, configFile, port, p, log);
        PrometheusClient client = server.client();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!client.ready()) {
            if (!p.isAlive()) {
                fail("prometheus exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                server.close();
                fail("prometheus did not become ready within 60s:\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
        return server;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    PrometheusClient client() {
        return new PrometheusClient(url(), Duration.ofSeconds(30));
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
