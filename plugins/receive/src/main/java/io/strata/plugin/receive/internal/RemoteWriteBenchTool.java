package io.strata.plugin.receive.internal;

import io.strata.api.plugin.Tool;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.xerial.snappy.Snappy;

/**
 * {@code strata tools bench-remote-write}: pushes remote write 1.0 at any endpoint (a Strata
 * receive, a Prometheus with {@code --web.enable-remote-write-receiver}, a Thanos receive) from
 * {@code --series} active series with {@code --labels} labels each, {@code --batch} series per
 * request (one sample each), {@code --concurrency} senders for {@code --duration}; reports the
 * accepted samples per second, request latency percentiles and failures by status code.
 *
 * <p>Series are split into fixed chunks of {@code --batch}; sender {@code w} owns chunks
 * {@code w, w + concurrency, ...} and sends them round after round, so a series never has two
 * requests in flight and its timestamps only increase (start time + round, in milliseconds). Each
 * chunk's labels are encoded once; a request re-encodes only the samples into a reused buffer.
 * Measuring starts once every series has been written once (the first round, which creates them,
 * is timed and reported separately) and after the optional warm-up.
 *
 * <p>With {@code --churn P}, every {@code --churn-interval} after the first round P% of the series
 * (at least one) are replaced by new ones: their unique label gets a new value, so the old series
 * stop receiving samples and new series are created under load, as when pods are replaced. The
 * replaced series rotate through the series ids (interval k replaces the next P% after those of
 * interval k - 1), so the number of active series stays {@code --series} and after 100/P intervals
 * every series has been replaced once. A sender re-encodes the labels of a chunk only when one of
 * its series was replaced.
 */
public final class RemoteWriteBenchTool implements Tool {
    private static final String USAGE = """
            usage: strata tools bench-remote-write --url URL [--series 100000] [--labels 10] [--batch 2000]
                   [--concurrency 8] [--duration 30s] [--warmup 0s] [--churn 0] [--churn-interval 10s]
                   [--header Name=Value]...
              --url          remote-write endpoint, e.g. http://127.0.0.1:19291/api/v1/receive or
                             http://127.0.0.1:9090/api/v1/write
              --series       active series (each gets one sample per round)
              --labels       labels per series, __name__ included (at least 2)
              --batch        series (samples) per request
              --concurrency  requests in flight
              --duration     how long to push after the warm-up (30s, 2m, 500ms)
              --warmup       pushing before measuring starts (the first round creates the series)
              --churn        percent of the series replaced by new series (a new value of their unique
                             label) every churn interval after the first round, e.g. 5 or 0.5%; 0: none
              --churn-interval  how often the churn replaces series (10s, 1m)
            """;

    private static final List<String> FLAGS = List.of("url", "series", "labels", "batch", "concurrency", "duration", "warmup", "churn",
            "churn-interval");

    @Override
    public String description() {
        return "push remote write 1.0 at an endpoint, optionally churning series, and report accepted samples/s, latency and errors";
    }

    /** The parsed flags. */
    record Settings(URI url, int series, int labels, int batch, int concurrency, Duration duration, Duration warmup,
                    double churnPercent, Duration churnInterval, Map<String, String> headers) {
    }

    static Settings parse(List<String> args) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new IllegalArgumentException("flag --" + name + " needs a value");
            }
            if (name.equals("header")) {
                int e = value.indexOf('=');
                if (e <= 0) {
                    throw new IllegalArgumentException("--header " + value + ": expected Name=Value");
                }
                headers.put(value.substring(0, e), value.substring(e + 1));
            } else if (FLAGS.contains(name)) {
                values.put(name, value);
            } else {
                throw new IllegalArgumentException("unknown flag --" + name);
            }
        }
        if (!values.containsKey("url")) {
            throw new IllegalArgumentException("--url is required");
        }
        Settings s = new Settings(URI.create(values.get("url")), positive(values, "series", 100_000), positive(values, "labels", 10),
                positive(values, "batch", 2000), positive(values, "concurrency", 8), duration(values.getOrDefault("duration", "30s")),
                duration(values.getOrDefault("warmup", "0s")), percent(values.getOrDefault("churn", "0")),
                duration(values.getOrDefault("churn-interval", "10s")), headers);
        if (s.labels < 2) {
            throw new IllegalArgumentException("--labels must be at least 2 (__name__ and a series id)");
        }
        if (s.churnInterval.toMillis() <= 0) {
            throw new IllegalArgumentException("--churn-interval " + values.get("churn-interval") + ": expected a positive duration");
        }
        return s;
    }

    private static double percent(String v) {
        String number = v.endsWith("%") ? v.substring(0, v.length() - 1) : v;
        double p;
        try {
            p = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            p = Double.NaN;
        }
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("--churn " + v + ": expected a percentage from 0 to 100");
        }
        return p;
    }

    /**
     * Which generation of each series is active: interval k (counted from the start of the churn)
     * has replaced {@code k * perInterval} series in id order, wrapping around.
     */
    record Churn(int series, int perInterval, long intervalMillis) {
        static Churn of(Settings s) {
            int per = s.churnPercent == 0 ? 0 : (int) Math.min(s.series, Math.max(1, Math.ceil(s.series * s.churnPercent / 100)));
            return new Churn(s.series, per, s.churnInterval.toMillis());
        }

        /** Whole churn intervals between {@code start} (0: the churn has not started) and {@code now}. */
        long interval(long start, long now) {
            return perInterval == 0 || start == 0 ? 0 : Math.max(0, (now - start) / intervalMillis);
        }

        /** How often series {@code id} has been replaced after {@code interval} intervals. */
        long generation(int id, long interval) {
            long replaced = interval * perInterval;
            return replaced > id ? (replaced - 1 - id) / series + 1 : 0;
        }
    }

    /** The encoded labels of one chunk of series, as of a churn interval. */
    static final class ChunkLabels {
        final byte[] bytes;
        final int[] offsets;
        final long interval;

        private ChunkLabels(byte[] bytes, int[] offsets, long interval) {
            this.bytes = bytes;
            this.offsets = offsets;
            this.interval = interval;
        }

        /** The same labels, valid as of a later interval (none of the chunk's series was replaced). */
        ChunkLabels at(long later) {
            return new ChunkLabels(bytes, offsets, later);
        }

        /** Series {@code first} to {@code first + count - 1} as of churn interval {@code interval}. */
        static ChunkLabels encode(int first, int count, int labels, Churn churn, long interval) {
            Buffer b = new Buffer(count * (labels * 24 + 64));
            int[] offsets = new int[count + 1];
            for (int i = 0; i < count; i++) {
                offsets[i] = b.size;
                encodeLabels(b, first + i, churn.generation(first + i, interval), labels);
            }
            offsets[count] = b.size;
            return new ChunkLabels(Arrays.copyOf(b.bytes, b.size), offsets, interval);
        }
    }

    private static int positive(Map<String, String> values, String name, int dflt) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        int n;
        try {
            n = Integer.parseInt(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " " + v + ": expected a positive integer");
        }
        if (n <= 0) {
            throw new IllegalArgumentException("--" + name + " " + v + ": expected a positive integer");
        }
        return n;
    }

    static Duration duration(String v) {
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("duration " + v + ": expected a number and ms, s, m or h");
        }
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.contains("--help") || args.contains("-h")) {
            out.print(USAGE);
            return 0;
        }
        Settings s;
        try {
            s = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("bench-remote-write: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        int chunks = (s.series + s.batch - 1) / s.batch;
        Churn churn = Churn.of(s);
        ChunkLabels[] chunkLabels = new ChunkLabels[chunks];
        for (int c = 0; c < chunks; c++) {
            chunkLabels[c] = ChunkLabels.encode(c * s.batch, Math.min(s.batch, s.series - c * s.batch), s.labels, churn, 0);
        }
        int workers = Math.min(s.concurrency, chunks);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        AtomicBoolean measuring = new AtomicBoolean();
        CountDownLatch firstRound = new CountDownLatch(workers);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong churnStart = new AtomicLong();
        Sender[] senders = new Sender[workers];
        Thread[] threads = new Thread[workers];
        long startMillis = System.currentTimeMillis();
        for (int w = 0; w < workers; w++) {
            senders[w] = new Sender(s, client, chunkLabels, churn, churnStart, w, workers, startMillis, measuring, stop, firstRound);
            threads[w] = new Thread(senders[w], "bench-remote-write-" + w);
            threads[w].setDaemon(true);
        }
        String churning = churn.perInterval() == 0 ? "" : ", replacing " + churn.perInterval() + " series ("
                + java.math.BigDecimal.valueOf(s.churnPercent).stripTrailingZeros().toPlainString() + "%) every " + s.churnInterval;
        out.printf("pushing %d series x %d labels to %s: %d samples per request, %d in flight, %s%s%s%n", s.series, s.labels, s.url,
                s.batch, workers, s.duration, s.warmup.isZero() ? "" : " after a warm-up of " + s.warmup, churning);
        if (churn.perInterval() > 0 && s.churnInterval.compareTo(s.duration.plus(s.warmup)) > 0) {
            out.println("note: the churn interval is longer than the run: no series will be replaced");
        }
        long created = System.nanoTime();
        for (Thread t : threads) {
            t.start();
        }
        firstRound.await();
        out.printf("first round (creates the %d series): %.1fs%n", s.series, (System.nanoTime() - created) / 1e9);
        churnStart.set(System.currentTimeMillis());
        if (!s.warmup.isZero()) {
            Thread.sleep(s.warmup.toMillis());
        }
        measuring.set(true);
        long t0 = System.nanoTime();
        Thread.sleep(s.duration.toMillis());
        stop.set(true);
        long elapsed = System.nanoTime() - t0;
        for (Thread t : threads) {
            t.join(30_000);
        }
        long samples = 0;
        long requests = 0;
        long failed = 0;
        long rounds = Long.MAX_VALUE;
        long newSeries = 0;
        Map<String, Long> failures = new TreeMap<>();
        long[] latencies = new long[0];
        for (Sender sender : senders) {
            samples += sender.acceptedSamples;
            requests += sender.requests;
            rounds = Math.min(rounds, sender.round);
            newSeries += sender.newSeries;
            for (Map.Entry<String, Long> e : sender.failures.entrySet()) {
                failures.merge(e.getKey(), e.getValue(), Long::sum);
                failed += e.getValue();
            }
            int from = latencies.length;
            latencies = Arrays.copyOf(latencies, from + sender.latencyCount);
            System.arraycopy(sender.latencies, 0, latencies, from, sender.latencyCount);
        }
        Arrays.sort(latencies);
        double seconds = elapsed / 1e9;
        out.printf("requests: %d in %.1fs (%d failed), rounds over all series: %d%n", requests, seconds, failed, rounds);
        out.printf("accepted samples/s: %.0f%n", samples / seconds);
        out.printf("latency p50: %.1f ms, p99: %.1f ms%n", percentile(latencies, 0.50) / 1e6, percentile(latencies, 0.99) / 1e6);
        if (churn.perInterval() > 0) {
            out.printf("churn: %d new series written (replacing as many; %d series created in all)%n", newSeries, s.series + newSeries);
        }
        if (!failures.isEmpty()) {
            out.println("failures: " + failures);
        }
        return 0;
    }

    private static double percentile(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /**
     * Labels of series {@code id}, sorted by name: __name__, then label_01..label_NN with the id in the
     * last, followed by {@code _g<generation>} once the churn has replaced the series.
     */
    static void encodeLabels(Buffer b, int id, long generation, int labels) {
        b.label("__name__", "bench_metric_" + (id % 100));
        for (int l = 1; l < labels; l++) {
            String name = String.format("label_%02d", l);
            // low-cardinality labels, and the last one makes the series unique
            String value = l == labels - 1 ? (generation == 0 ? "series_" + id : "series_" + id + "_g" + generation)
                    : "value_" + l + "_" + (id % (10 * l));
            b.label(name, value);
        }
    }

    /** A growable byte buffer with the few protobuf encodings the request needs. */
    static final class Buffer {
        byte[] bytes;
        int size;

        Buffer(int capacity) {
            bytes = new byte[Math.max(16, capacity)];
        }

        void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        void put(int b) {
            bytes[size++] = (byte) b;
        }

        void varint(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                put((int) (v & 0x7F) | 0x80);
                v >>>= 7;
            }
            put((int) v);
        }

        void put(byte[] src, int off, int len) {
            ensure(len);
            System.arraycopy(src, off, bytes, size, len);
            size += len;
        }

        void label(String name, String value) {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            int inner = 1 + varintSize(n.length) + n.length + 1 + varintSize(v.length) + v.length;
            ensure(inner + 6);
            put(1 << 3 | 2); // TimeSeries.labels
            varint(inner);
            put(1 << 3 | 2);
            varint(n.length);
            put(n, 0, n.length);
            put(2 << 3 | 2);
            varint(v.length);
            put(v, 0, v.length);
        }
    }

    static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }

    /** One sender: its chunks, round after round, until told to stop. */
    private static final class Sender implements Runnable {
        private final Settings settings;
        private final HttpClient client;
        private final ChunkLabels[] chunkLabels;
        private final Churn churn;
        private final AtomicLong churnStart;
        private final int first;
        private final int step;
        private final long startMillis;
        private final AtomicBoolean measuring;
        private final AtomicBoolean stop;
        private final CountDownLatch firstRound;
        private final Buffer body = new Buffer(1 << 20);
        private byte[] compressed = new byte[0];
        final Map<String, Long> failures = new TreeMap<>();
        long acceptedSamples;
        long requests;
        long round;
        long newSeries;
        long[] latencies = new long[1024];
        int latencyCount;

        Sender(Settings settings, HttpClient client, ChunkLabels[] chunkLabels, Churn churn, AtomicLong churnStart, int first, int step,
               long startMillis, AtomicBoolean measuring, AtomicBoolean stop, CountDownLatch firstRound) {
            this.settings = settings;
            this.client = client;
            this.chunkLabels = chunkLabels;
            this.churn = churn;
            this.churnStart = churnStart;
            this.first = first;
            this.step = step;
            this.startMillis = startMillis;
            this.measuring = measuring;
            this.stop = stop;
            this.firstRound = firstRound;
        }

        @Override
        public void run() {
            try {
                while (!stop.get()) {
                    for (int c = first; c < chunkLabels.length && (round == 0 || !stop.get()); c += step) {
                        send(c);
                    }
                    if (round++ == 0) {
                        firstRound.countDown();
                    }
                }
            } finally {
                if (round == 0) {
                    firstRound.countDown();
                }
            }
        }

        /** The chunk's labels as of the current churn interval; re-encoded when one of its series was replaced. */
        private ChunkLabels labels(int chunk) {
            ChunkLabels current = chunkLabels[chunk];
            long interval = churn.interval(churnStart.get(), System.currentTimeMillis());
            if (interval == current.interval) {
                return current;
            }
            int firstId = chunk * settings.batch;
            int count = current.offsets.length - 1;
            int replaced = 0;
            for (int id = firstId; id < firstId + count; id++) {
                if (churn.generation(id, interval) != churn.generation(id, current.interval)) {
                    replaced++;
                }
            }
            // the sender owns the chunk: no other thread reads or writes its slot
            ChunkLabels next = replaced == 0 ? current.at(interval) : ChunkLabels.encode(firstId, count, settings.labels, churn, interval);
            chunkLabels[chunk] = next;
            newSeries += replaced;
            return next;
        }

        private void send(int chunk) {
            ChunkLabels encoded = labels(chunk);
            byte[] labels = encoded.bytes;
            int[] off = encoded.offsets;
            int count = off.length - 1;
            long ts = startMillis + round;
            long bits;
            body.size = 0;
            for (int i = 0; i < count; i++) {
                int labelsLen = off[i + 1] - off[i];
                // Sample: value (field 1, fixed64) and timestamp (field 2, varint)
                int sampleLen = 1 + 8 + 1 + varintSize(ts);
                int seriesLen = labelsLen + 1 + varintSize(sampleLen) + sampleLen;
                body.ensure(seriesLen + 6);
                body.put(1 << 3 | 2); // WriteRequest.timeseries
                body.varint(seriesLen);
                body.put(labels, off[i], labelsLen);
                body.put(2 << 3 | 2); // TimeSeries.samples
                body.varint(sampleLen);
                body.put(1 << 3 | 1);
                bits = Double.doubleToRawLongBits((double) (round * 10 + (i & 7)));
                for (int b = 0; b < 8; b++) {
                    body.put((int) (bits >>> (8 * b)) & 0xff);
                }
                body.put(2 << 3);
                body.varint(ts);
            }
            byte[] payload;
            try {
                int max = Snappy.maxCompressedLength(body.size);
                if (compressed.length < max) {
                    compressed = new byte[max];
                }
                int n = Snappy.rawCompress(body.bytes, 0, body.size, compressed, 0);
                payload = Arrays.copyOf(compressed, n);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("snappy", e);
            }
            HttpRequest.Builder rb = HttpRequest.newBuilder(settings.url).timeout(Duration.ofSeconds(30))
                    .header("Content-Encoding", "snappy").header("Content-Type", "application/x-protobuf")
                    .header("X-Prometheus-Remote-Write-Version", "0.1.0").header("User-Agent", "strata-bench-remote-write")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(payload));
            for (Map.Entry<String, String> h : settings.headers.entrySet()) {
                rb.header(h.getKey(), h.getValue());
            }
            long t0 = System.nanoTime();
            String failure = null;
            try {
                HttpResponse<Void> r = client.send(rb.build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 != 2) {
                    failure = Integer.toString(r.statusCode());
                }
            } catch (java.io.IOException e) {
                failure = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop.set(true);
                throw new IllegalStateException("interrupted", e);
            }
            long latency = System.nanoTime() - t0;
            if (!measuring.get() || stop.get()) {
                return;
            }
            requests++;
            if (failure != null) {
                failures.merge(failure, 1L, Long::sum);
                return;
            }
            acceptedSamples += count;
            if (latencyCount == latencies.length) {
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            latencies[latencyCount++] = latency;
        }
    }
}
