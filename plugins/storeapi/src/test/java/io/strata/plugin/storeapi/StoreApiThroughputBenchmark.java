package io.strata.plugin.storeapi;

import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.Querier;
import io.strata.api.storage.SampleIterator;
import io.strata.api.storage.Series;
import io.strata.api.storage.SeriesSet;
import io.strata.plugin.tsdb.block.BlockWriter;
import io.strata.plugin.tsdb.querier.TsdbQuerier;
import io.strata.plugin.tsdb.querier.BlockSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Reports (never asserts) how long reading every sample of 10 000 series of one block takes directly
 * and through StoreAPI over loopback gRPC (server and client in this JVM), and the series/s the Series
 * call streams. Run with
 * {@code mvn -pl plugins/storeapi test -Dtest=StoreApiThroughputBenchmark -Dstrata.bench=true}; the
 * store's external labels are {@code replica=0} unless {@code -Dstrata.bench.external=name=value}
 * (or {@code =} for none) says otherwise.
 */
@EnabledIfSystemProperty(named = "strata.bench", matches = "true")
final class StoreApiThroughputBenchmark {
    private static final int SERIES = 10_000;
    private static final int ROUNDS = 15;

    private static long readAll(Querier q) {
        long samples = 0;
        SeriesSet<Series> set = q.select(true, null, Matcher.equal("__name__", "bench"));
        SampleIterator it = null;
        double sink = 0;
        while (set.next()) {
            it = set.at().iterator(it);
            while (it.next()) {
                sink += it.atV();
                samples++;
            }
        }
        if (set.err() != null) {
            throw new IllegalStateException(set.err());
        }
        return sink == -1 ? -1 : samples;
    }

    private static double median(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e6;
    }

    @Test
    void directVersusThroughStoreApi() throws Exception {
        ConformanceData.TestSeries template = ConformanceData.series().stream()
                .filter(s -> s.labels().get("instance").equals("a:9090") && s.labels().get("__name__").equals("up")).findFirst().orElseThrow();
        List<ChunkSeries> series = new ArrayList<>();
        for (int i = 0; i < SERIES; i++) {
            Labels l = Labels.of("__name__", "bench", "instance", String.format("host-%05d:9100", i), "job", "node");
            series.add(new ConformanceData.TestSeries(l, template.timestamps(), template.values(), template.chunks(),
                    template.chunkMinTimes(), template.chunkMaxTimes()).asChunkSeries());
        }
        Path dir = Files.createTempDirectory("storeapi-bench");
        TestBlocks.write(dir, series);
        try (LocalBlocks blocks = LocalBlocks.open(dir)) {
            Labels external = Labels.of(System.getProperty("strata.bench.external", "replica=0").split("="));
            StoreApiServer server = new StoreApiServer(blocks, external, "store", blocks::timeRange);
            try (LoopbackGrpcServer grpc = new LoopbackGrpcServer(server.services());
                 StoreApiClient client = StoreApiClient.connect(grpc.address())) {
                long[] direct = new long[ROUNDS];
                long[] remote = new long[ROUNDS];
                long samples = 0;
                for (int r = 0; r < ROUNDS; r++) {
                    long t0 = System.nanoTime();
                    List<BlockSource> sources = blocks.blocks().stream().map(BlockSource::new).toList();
                    try (Querier q = new TsdbQuerier(sources, Long.MIN_VALUE, Long.MAX_VALUE, null).samples()) {
                        samples = readAll(q);
                    }
                    direct[r] = System.nanoTime() - t0;
                    t0 = System.nanoTime();
                    try (Querier q = client.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                        long n = readAll(q);
                        if (n != samples) {
                            throw new IllegalStateException("sample counts differ: " + n + " vs " + samples);
                        }
                    }
                    remote[r] = System.nanoTime() - t0;
                }
                double d = median(direct);
                double s = median(remote);
                System.out.printf("StoreAPI benchmark: %d series, %d samples; median of %d rounds: direct %.1f ms, through StoreAPI %.1f ms"
                                + " (%+.0f%%); %.0f series/s streamed%n",
                        SERIES, samples, ROUNDS, d, s, (s / d - 1) * 100, SERIES / (s / 1000));
            }
        } finally {
            BlockWriter.delete(dir);
        }
    }
}
