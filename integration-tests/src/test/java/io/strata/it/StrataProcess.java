package io.strata.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The unpacked distribution's bin/strata, started for real in a working directory. */
final class StrataProcess implements AutoCloseable {
    static final Path HOME = Path.of(System.getProperty("strata.dist.home", "missing-strata.dist.home"));
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final Process process;
    final Path log;
    final int httpPort;
    final int grpcPort;
    /** The all-in-one's remote-write port, or 0 for processes without one. */
    final int remoteWritePort;

    private StrataProcess(Process process, Path log, int httpPort, int grpcPort, int remoteWritePort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
        this.remoteWritePort = remoteWritePort;
    }

    /** Starts {@code bin/strata run} on free loopback ports with extra arguments. */
    static StrataProcess run(Path workDir, String... extraArgs) throws IOException {
        return run(HOME, workDir, extraArgs);
    }

    /** Starts {@code bin/strata <args>} (roles and flags) on free loopback ports. */
    static StrataProcess start(Path workDir, String... args) throws IOException {
        return startLogging(workDir, "strata.log", args);
    }

    /** The same, logging to {@code logName} in the work directory (for several processes sharing it). */
    static StrataProcess startLogging(Path workDir, String logName, String... args) throws IOException {
        int http = freePort();
        int grpc = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(bin().toString());
        cmd.addAll(List.of(args));
        cmd.add("--http-address=127.0.0.1:" + http);
        cmd.add("--grpc-address=127.0.0.1:" + grpc);
        Path log = workDir.resolve(logName);
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new StrataProcess(p, log, http, grpc, 0);
    }

    /** The same, from another installation directory. */
    static StrataProcess run(Path home, Path workDir, String... extraArgs) throws IOException {
        int http = freePort();
        int grpc = freePort();
        // the all-in-one runs receive too: its remote-write listener also goes to a free loopback port
        int remoteWrite = freePort();
        List<String> cmd = new ArrayList<>(List.of(bin(home).toString(), "run", "--http-address=127.0.0.1:" + http,
                "--grpc-address=127.0.0.1:" + grpc, "--remote-write.address=127.0.0.1:" + remoteWrite));
        cmd.addAll(List.of(extraArgs));
        Path log = workDir.resolve("strata.log");
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new StrataProcess(p, log, http, grpc, remoteWrite);
    }

    static Path bin() {
        return bin(HOME);
    }

    static Path bin(Path home) {
        Path bin = home.resolve("bin").resolve("strata");
        if (!Files.isExecutable(bin)) {
            fail("the distribution is not unpacked at " + home + " (run through Maven: mvn verify)");
        }
        return bin;
    }

    /** Runs bin/strata to completion and returns exit code and output. */
    static Result exec(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin().toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectError(err.toFile()).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("strata " + String.join(" ", args) + " did not finish within 60s");
        }
        String stdout = Files.readString(out);
        return new Result(p.exitValue(), stdout + Files.readString(err), stdout);
    }

    /** Exit code, stdout followed by stderr, and stdout alone. */
    record Result(int exitCode, String output, String stdout) {
    }

    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A free loopback port, never the same one twice in this JVM (the OS may offer a just-closed port again). */
    static int freePort() throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                if (HANDED_OUT.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + httpPort + path;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    int status(String path) {
        try {
            return get(path).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Waits until /-/ready answers 200; returns the time it took. */
    Duration awaitReady(Duration timeout) throws IOException {
        long start = System.nanoTime();
        await(timeout, "strata to become ready", () -> status("/-/ready") == 200);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    void await(Duration timeout, String what, BooleanSupplier condition) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                fail("strata exited with " + process.exitValue() + " while waiting for " + what + ":\n" + logText());
            }
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout + " waiting for " + what + "; log:\n" + logText());
            }
            pause();
        }
    }

    static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    /** Resident set size of the process in bytes (Linux). */
    long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return -1;
    }

    /** SIGTERM, then waits for the process to drain and exit. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("strata did not stop within 60s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
