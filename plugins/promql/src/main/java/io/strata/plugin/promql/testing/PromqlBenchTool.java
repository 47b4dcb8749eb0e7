package io.strata.plugin.promql.testing;

import io.strata.api.labels.Labels;
import io.strata.api.plugin.Tool;
import io.strata.plugin.promql.engine.PromqlEngine;
import io.strata.plugin.promql.engine.QueryOptions;
import io.strata.plugin.promql.engine.QueryResult;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code strata tools promql-bench [seconds-per-case] [series-counts...] [query-templates...]}: times queries over synthetic data shaped
 * like Prometheus's engine benchmark (series of 10 000 samples at a 10 s interval) and prints samples per second.
 * Single-threaded; samples per second are per CPU-second of the benchmark thread, so they stay meaningful on a
 * shared machine. "Samples" are counted as Prometheus's totalQueryableSamples: a sample in several range windows
 * counts once per window. Each case is warmed up for at least a second before it is timed.
 */
public final class PromqlBenchTool implements Tool {
    private static final int SAMPLES_PER_SERIES = 10_000;
    private static final long INTERVAL = 10_000;

    @Override
    public String description() {
        return "Benchmarks the PromQL engine on synthetic data (samples/s for typical queries)";
    }

    /** Fills a storage with a_N, b_N (N series each) and h_N (N/10 histograms of 10 le buckets, at least one). */
    static MemoryStorage data(int[] counts) {
        MemoryStorage storage = new MemoryStorage();
        for (int n : counts) {
            for (int s = 0; s < n; s++) {
                Labels a = Labels.of("__name__", "a_" + n, "l", Integer.toString(s));
                Labels b = Labels.of("__name__", "b_" + n, "l", Integer.toString(s));
                for (int i = 0; i < SAMPLES_PER_SERIES; i++) {
                    storage.append(a, i * INTERVAL, i * (s + 1));
                }
                for (int i = 0; i < SAMPLES_PER_SERIES; i++) {
                    storage.append(b, i * INTERVAL, i * (s + 2));
                }
            }
            int histograms = Math.max(1, n / 10);
            String[] les = {"0.1", "0.2", "0.5", "1", "2", "5", "10", "20", "50", "+Inf"};
            for (int h = 0; h < histograms; h++) {
                for (int k = 0; k < les.length; k++) {
                    Labels l = Labels.of("__name__", "h_" + n, "l", Integer.toString(h), "le", les[k]);
                    for (int i = 0; i < SAMPLES_PER_SERIES; i++) {
                        storage.append(l, i * INTERVAL, (double) i * (k + 1));
                    }
                }
            }
        }
        return storage;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        double seconds = 1.0;
        List<Integer> counts = new ArrayList<>();
        List<String> only = new ArrayList<>();
        try {
            if (!args.isEmpty()) {
                seconds = Double.parseDouble(args.get(0));
            }
            for (int i = 1; i < args.size(); i++) {
                if (args.get(i).matches("\\d+")) {
                    counts.add(Integer.parseInt(args.get(i)));
                } else {
                    only.add(args.get(i));
                }
            }
        } catch (NumberFormatException e) {
            err.println("usage: promql-bench [seconds-per-case] [series-counts...] [query templates with X for the series count...]");
            return 2;
        }
        if (counts.isEmpty()) {
            counts.addAll(List.of(1, 10, 100, 1000));
        }
        int[] cs = counts.stream().mapToInt(Integer::intValue).toArray();
        MemoryStorage storage = data(cs);
        PromqlEngine engine = new PromqlEngine();
        QueryOptions options = new QueryOptions(300_000, 0, 500_000_000L, 60_000, () -> false);
        long end = (SAMPLES_PER_SERIES - 1) * INTERVAL;
        long rangeStart = end - 999 * INTERVAL;
        String[] templates = !only.isEmpty() ? only.toArray(new String[0]) : new String[] {
            "a_X", "rate(a_X[5m])", "sum by (l) (a_X)", "sum(rate(a_X[5m]))",
            "histogram_quantile(0.9, rate(h_X[5m]))", "topk(5, a_X)", "max_over_time(rate(a_X[1m])[10m:1m])",
            "a_X + b_X",
        };
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        out.printf("%-48s %6s %8s %14s %12s %12s%n", "query", "mode", "series", "samples/cpu-s", "cpu-ms/query", "wall-ms/query");
        for (int n : cs) {
            for (String template : templates) {
                String q = template.replace("X", Integer.toString(n));
                for (boolean range : new boolean[] {false, true}) {
                    // warm up, then measure for the given time
                    long deadline = System.nanoTime() + (long) (Math.max(1.0, seconds) * 1e9);
                    while (System.nanoTime() < deadline) {
                        runOnce(engine, storage, q, range, rangeStart, end, options);
                    }
                    long samples = 0;
                    int runs = 0;
                    long t0 = System.nanoTime();
                    long cpu0 = threads.getCurrentThreadCpuTime();
                    deadline = t0 + (long) (seconds * 1e9);
                    do {
                        samples += runOnce(engine, storage, q, range, rangeStart, end, options);
                        runs++;
                    } while (System.nanoTime() < deadline);
                    double elapsed = (System.nanoTime() - t0) / 1e9;
                    double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
                    out.printf("%-48s %6s %8d %14.0f %12.3f %12.3f%n", q, range ? "range" : "inst", n, samples / cpu,
                            cpu * 1000 / runs, elapsed * 1000 / runs);
                }
            }
        }
        return 0;
    }

    private static long runOnce(PromqlEngine engine, MemoryStorage storage, String q, boolean range, long start, long end,
                                QueryOptions options) {
        QueryResult r = range
                ? engine.rangeQuery(storage, q, start, end, INTERVAL, options)
                : engine.instantQuery(storage, q, end, options);
        return r.totalSamples();
    }

    /** Runs the benchmark from the command line. */
    public static void main(String[] args) {
        System.exit(new PromqlBenchTool().run(List.of(args), System.out, System.err));
    }
}
