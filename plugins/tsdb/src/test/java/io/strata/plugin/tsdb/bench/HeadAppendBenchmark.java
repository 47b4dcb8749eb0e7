package io.strata.plugin.tsdb.bench;

import io.strata.api.labels.Labels;
import io.strata.api.storage.Appender;
import io.strata.plugin.tsdb.Db;
import io.strata.plugin.tsdb.DbOptions;
import io.strata.plugin.tsdb.block.BlockWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Head appends with the WAL on: one commit per scrape of 1000 series (refs cached as a scraper
 * does), timestamps advancing 15 s per scrape.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class HeadAppendBenchmark {
    static final int SERIES = 1000;
    private Path dir;
    private Db db;
    private final long[] refs = new long[SERIES];
    private final Labels[] labels = new Labels[SERIES];
    private long t;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory("strata-bench-");
        db = Db.open(dir, DbOptions.defaults(1000L * 24 * 3600 * 1000));
        for (int i = 0; i < SERIES; i++) {
            labels[i] = Labels.of("__name__", "bench_metric", "instance", "host-" + (i % 50), "series", Integer.toString(i));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        db.close();
        BlockWriter.delete(dir);
    }

    /** Samples per second (one operation = one sample). */
    @Benchmark
    @OperationsPerInvocation(SERIES)
    public void appendScrape() {
        Appender a = db.appender();
        t += 15000;
        for (int i = 0; i < SERIES; i++) {
            refs[i] = a.append(refs[i], labels[i], t, i + t * 0.001);
        }
        a.commit();
    }
}
