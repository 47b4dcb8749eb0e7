package io.strata.plugin.query;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.plugin.Tool;
import io.strata.api.storage.Appender;
import io.strata.api.storage.ChunkQueryable;
import io.strata.api.storage.Querier;
import io.strata.api.storage.Queryable;
import io.strata.api.storage.SelectHints;
import io.strata.api.storage.Series;
import io.strata.api.storage.SeriesSet;
import io.strata.plugin.promql.engine.PromqlEngine;
import io.strata.plugin.promql.engine.QueryOptions;
import io.strata.plugin.storeapi.StoreApiClient;
import io.strata.plugin.storeapi.StoreApiServer;
import io.strata.plugin.tsdb.Db;
import io.strata.plugin.tsdb.DbOptions;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * {@code strata tools bench-query}: the cost of the global view's gRPC hop. The same PromQL
 * queries run directly against a local TSDB and through StoreAPI (loopback gRPC) + the querier's
 * proxy; prints median latencies, the overhead, and series/s streamed through Series.
 */
final class QueryBenchTool implements Tool {
    private final io.strata.api.dedup.Deduplicator sameSeriesMerger;
    private final java.util.function.Function<StoreApiClient, RemoteStore> remote;

    /** @param remote how the query role wraps a client (series batch size and all) */
    QueryBenchTool(io.strata.api.dedup.Deduplicator sameSeriesMerger, java.util.function.Function<StoreApiClient, RemoteStore> remote) {
        this.sameSeriesMerger = sameSeriesMerger;
        this.remote = remote;
    }

    @Override
    public String description() {
        return "bench-query [--series N] [--samples M] [--runs R] [--warmup W]: latency of queries against a TSDB directly and through StoreAPI + querier (medians of R rounds, direct and through StoreAPI taking turns, after W unmeasured rounds so the JIT has compiled both paths)";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        int series = 10_000;
        int samples = 240;
        int runs = 101;
        int warmup = 100;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2) {
                err.println("usage: strata tools " + description());
                return 2;
            }
            switch (kv[0]) {
                case "--series" -> series = Integer.parseInt(kv[1]);
                case "--samples" -> samples = Integer.parseInt(kv[1]);
                case "--runs" -> runs = Integer.parseInt(kv[1]);
                case "--warmup" -> warmup = Integer.parseInt(kv[1]);
                default -> {
                    err.println("unknown flag " + kv[0] + "; usage: strata tools " + description());
                    return 2;
                }
            }
        }
        Path dir = Files.createTempDirectory("strata-bench-query");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        Db db = Db.open(dir, DbOptions.defaults(2 * 3_600_000L));
        Server server = null;
        StoreApiClient client = null;
        try {
            long step = 15_000;
            long end = (samples - 1) * step;
            Appender app = db.appender();
            for (int i = 0; i < series; i++) {
                Labels l = Labels.of("__name__", "bench_metric", "job", "job" + (i % 10), "instance", "host-" + i,
                        "zone", "z" + (i % 3), "cluster", "c1");
                long ref = 0;
                for (int s = 0; s < samples; s++) {
                    ref = app.append(ref, l, s * step, s * 10.0 + (i % 7));
                }
                if (i % 500 == 499) {
                    app.commit();
                    app = db.appender();
                }
            }
            app.commit();
            db.flushHead();
            Queryable direct = db::querier;
            ChunkQueryable chunks = db::chunkQuerier;
            StoreApiServer store = new StoreApiServer(chunks, Labels.EMPTY, "store",
                    () -> new StoreApiServer.TimeRange(0, end));
            NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).maxInboundMessageSize(64 << 20);
            store.services().forEach(b::addService);
            server = b.build().start();
            client = StoreApiClient.connect("127.0.0.1:" + server.getPort());
            Endpoint endpoint = new Endpoint(client.address(), "store", List.of(Labels.EMPTY), 0, end, remote.apply(client).queryable());
            Queryable viaStoreApi = new ProxyQueryable(() -> List.of(endpoint), pool, null, sameSeriesMerger, List.of(), true, 120_000);

            PromqlEngine engine = new PromqlEngine();
            QueryOptions options = new QueryOptions(300_000, 0, 500_000_000, 60_000, () -> false);
            out.printf("data: %d series x %d samples (15s apart), one block%n", series, samples);
            out.printf("%-52s %12s %14s %9s%n", "query", "direct ms", "via StoreAPI ms", "overhead");
            String[] instant = {"sum(rate(bench_metric[5m]))", "count by (job) (bench_metric)", "topk(5, bench_metric)"};
            for (String q : instant) {
                double[] dv = medians(warmup, runs, () -> engine.instantQuery(direct, q, end, options),
                        () -> engine.instantQuery(viaStoreApi, q, end, options));
                out.printf("%-52s %12.1f %14.1f %8.0f%%%n", "instant " + q, dv[0], dv[1], (dv[1] / dv[0] - 1) * 100);
            }
            String range = "sum by (job) (rate(bench_metric[5m]))";
            double[] dv = medians(warmup, runs, () -> engine.rangeQuery(direct, range, 0, end, 60_000, options),
                    () -> engine.rangeQuery(viaStoreApi, range, 0, end, 60_000, options));
            out.printf("%-52s %12.1f %14.1f %8.0f%%%n", "range 1h/60s " + range, dv[0], dv[1], (dv[1] / dv[0] - 1) * 100);
            Queryable remoteView = endpoint.queryable();
            double seriesMs = medians(warmup, runs, () -> {
                try (Querier q = remoteView.querier(0, end)) {
                    SeriesSet<Series> set = q.select(true, SelectHints.range(0, end), Matcher.equal("__name__", "bench_metric"));
                    int n = 0;
                    while (set.next()) {
                        n++;
                    }
                    return n;
                }
            })[0];
            out.printf("Series streamed through StoreAPI: %.0f series/s (%d series in %.1f ms)%n", series / (seriesMs / 1000), series, seriesMs);
            return 0;
        } finally {
            if (client != null) {
                client.close();
            }
            if (server != null) {
                server.shutdownNow();
            }
            pool.shutdownNow();
            db.close();
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Medians (ms) of each task over {@code runs} rounds after {@code warmup} unmeasured ones; in every
     * round the tasks run one after the other, so drifts of the machine's load touch all of them alike.
     */
    private static double[] medians(int warmup, int runs, java.util.concurrent.Callable<?>... tasks) throws Exception {
        double[][] ms = new double[tasks.length][runs];
        for (int i = 0; i < warmup + runs; i++) {
            for (int t = 0; t < tasks.length; t++) {
                long t0 = System.nanoTime();
                tasks[t].call();
                if (i >= warmup) {
                    ms[t][i - warmup] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        double[] out = new double[tasks.length];
        for (int t = 0; t < tasks.length; t++) {
            Arrays.sort(ms[t]);
            out[t] = ms[t][runs / 2];
        }
        return out;
    }
}
