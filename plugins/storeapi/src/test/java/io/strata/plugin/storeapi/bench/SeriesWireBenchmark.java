package io.strata.plugin.storeapi.bench;

import io.strata.api.labels.Labels;
import io.strata.plugin.storeapi.internal.SeriesWire;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The StoreAPI Series codec per series, on the series {@code strata tools bench-query} queries (five
 * labels, one unique value, one 180-byte chunk), in frames of 256: what a store spends encoding a
 * call's answer and a querier decoding it. Run with
 * {@code java -cp <test classpath> org.openjdk.jmh.Main SeriesWireBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SeriesWireBenchmark {
    static final int SERIES = 10_000;
    static final int BATCH = 256;
    private final Labels[] labels = new Labels[SERIES];
    private final ByteBuffer[] chunks = new ByteBuffer[SERIES];
    private final List<byte[]> frames = new ArrayList<>();

    @Setup
    public void setup() {
        Random r = new Random(1);
        for (int i = 0; i < SERIES; i++) {
            // the strings of one series are shared instances, as a TSDB's symbol table gives them
            labels[i] = Labels.of("__name__", "bench_metric", "cluster", "c1", "instance", "host-" + i,
                    "job", ("job" + (i % 10)).intern(), "zone", ("z" + (i % 3)).intern());
            byte[] chunk = new byte[180];
            r.nextBytes(chunk);
            chunks[i] = ByteBuffer.wrap(chunk);
        }
        encodeAll(f -> frames.add(f.toByteArray()));
    }

    /** Encodes all series as one call's answer; each frame is valid only inside {@code sink}. */
    private void encodeAll(java.util.function.Consumer<SeriesWire.EncodedFrame> sink) {
        SeriesWire.Encoder e = new SeriesWire.Encoder();
        SeriesWire.FrameBuilder frame = new SeriesWire.FrameBuilder();
        for (int i = 0; i < SERIES; i++) {
            e.startSeries(labels[i]);
            e.chunk(1_000L * i, 1_000L * i + 1_785_000, 0, chunks[i]);
            e.endSeries(frame);
            if (frame.count() == BATCH || i == SERIES - 1) {
                sink.accept(frame.build(true));
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(SERIES)
    public void encode(Blackhole bh) {
        encodeAll(bh::consume);
    }

    @Benchmark
    @OperationsPerInvocation(SERIES)
    public void decode(Blackhole bh) {
        SeriesWire.Decoder d = SeriesWire.decoder();
        for (byte[] f : frames) {
            bh.consume(d.decode(f));
        }
    }
}
