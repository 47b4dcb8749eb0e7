package io.strata.plugin.tsdb.bench;

import io.strata.plugin.tsdb.chunkenc.XorChunkBuilder;
import io.strata.plugin.tsdb.chunkenc.XorIterator;
import java.nio.ByteBuffer;
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

/** XOR chunk encode and decode of 120-sample chunks (15 s scrape interval, realistic values). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class XorChunkBenchmark {
    static final int SAMPLES = 120;
    private final long[] ts = new long[SAMPLES];
    private final double[] vs = new double[SAMPLES];
    private final XorChunkBuilder builder = new XorChunkBuilder();
    private final XorIterator iterator = new XorIterator();
    private ByteBuffer chunk;

    @Setup
    public void setup() {
        Random r = new Random(1);
        long t = 1_700_000_000_000L;
        double v = 1000;
        for (int i = 0; i < SAMPLES; i++) {
            t += 15000 + (r.nextInt(10) == 0 ? r.nextInt(50) - 25 : 0);
            v += r.nextInt(4) == 0 ? 0 : r.nextInt(100);
            ts[i] = t;
            vs[i] = v;
        }
        XorChunkBuilder b = new XorChunkBuilder();
        for (int i = 0; i < SAMPLES; i++) {
            b.append(ts[i], vs[i]);
        }
        chunk = ByteBuffer.wrap(b.toByteArray());
    }

    /** Time per sample to encode. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public int encode() {
        XorChunkBuilder b = builder;
        b.reset();
        for (int i = 0; i < SAMPLES; i++) {
            b.append(ts[i], vs[i]);
        }
        return b.length();
    }

    /** Time per sample to decode. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public double decode() {
        XorIterator it = iterator.reset(chunk);
        double sum = 0;
        while (it.next()) {
            sum += it.atV() + it.atT();
        }
        return sum;
    }
}
