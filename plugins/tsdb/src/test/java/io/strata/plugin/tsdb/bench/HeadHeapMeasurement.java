package io.strata.plugin.tsdb.bench;

import io.strata.api.labels.Labels;
import io.strata.api.storage.Appender;
import io.strata.plugin.tsdb.DbOptions;
import io.strata.plugin.tsdb.head.Head;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Heap per active series: creates N series (default 1,000,000) of 10 labels in a head with the WAL
 * on, one sample each (so each has one open chunk; a second argument appends more samples per
 * series at a 15 s interval, to see an open chunk that has grown), then reports heap used after GC per series and
 * the process RSS. Label strings are built fresh for every series, as decoding a remote-write request
 * or a scrape would. Run on the test classpath:
 * {@code java -Xmx8g -cp target/test-classes:target/classes:<test classpath> io.strata.plugin.tsdb.bench.HeadHeapMeasurement [N [samplesPerSeries]]}
 */
public final class HeadHeapMeasurement {
    private HeadHeapMeasurement() {
    }

    static Labels labels(int i) {
        return Labels.of(
                "__name__", "metric_" + (i % 100),
                "job", "job_" + (i % 10),
                "instance", "host-" + (i / 10 % 5000) + ":9100",
                "env", (i % 2 == 0 ? "prod" : "staging") + "",
                "region", "region-" + (i % 5),
                "cluster", "cluster-" + (i % 20),
                "namespace", "ns-" + (i % 50),
                "pod", "pod-" + i,
                "container", "c-" + (i % 7),
                "code", Integer.toString(200 + i % 5));
    }

    static long heapAfterGc() throws InterruptedException {
        var mx = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, mx.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    static long rssBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Path dir = Files.createTempDirectory("head-heap");
        try {
            long before = heapAfterGc();
            long rssBefore = rssBytes();
            Head head = Head.open(dir, DbOptions.defaults(2 * 3600 * 1000L).headOptions(), Long.MIN_VALUE);
            long t = 1_700_000_000_000L;
            Appender a = head.appender();
            long[] refs = new long[n];
            for (int i = 0; i < n; i++) {
                refs[i] = a.append(0, labels(i), t, i);
                if (i % 10_000 == 9_999) {
                    a.commit();
                }
            }
            a.commit();
            // Further samples at a 15 s interval grow the open chunks: counters rising by an irregular
            // amount each scrape (about 2.4 bytes per sample, like busy real counters).
            for (int k = 1; k < samples; k++) {
                long tk = t + 15_000L * k;
                for (int i = 0; i < n; i++) {
                    a.append(refs[i], null, tk, i + 40.0 * k + (i * 31 + k * 17) % 97);
                    if (i % 10_000 == 9_999) {
                        a.commit();
                    }
                }
                a.commit();
            }
            long heldRefs = (long) refs.length * 8;
            long after = heapAfterGc();
            long rss = rssBytes();
            double perSeries = (double) (after - before - heldRefs) / n;
            System.out.printf("series=%d samplesPerSeries=%d heapBefore=%dMiB heapAfter=%dMiB heapPerSeries=%.0fB rssBefore=%dMiB rss=%dMiB rssPerSeries=%.0fB%n",
                    n, samples, before >> 20, after >> 20, perSeries, rssBefore >> 20, rss >> 20, (double) (rss - rssBefore) / n);
            if (Boolean.getBoolean("pause")) {
                System.out.println("pid " + ProcessHandle.current().pid() + " paused for a heap histogram");
                Thread.sleep(60_000);
            }
            head.close();
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
