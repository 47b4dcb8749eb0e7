package io.strata.plugin.tsdb.wal;

import io.strata.api.labels.Labels;
import io.strata.plugin.tsdb.internal.Decbuf;
import io.strata.plugin.tsdb.internal.Encbuf;
import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

/** Encoders and decoders for WAL record payloads (series, samples, tombstones). */
public final class WalRecords {
    public static final int SERIES = 1;
    public static final int SAMPLES = 2;
    public static final int TOMBSTONES = 3;

    private WalRecords() {
    }

    /** Receives decoded samples without boxing. */
    @FunctionalInterface
    public interface SampleSink {
        void sample(long ref, long t, double v);
    }

    /** Starts a series record in {@code e}. */
    public static void beginSeries(Encbuf e) {
        e.reset().u8(SERIES);
    }

    public static void addSeries(Encbuf e, long ref, Labels labels) {
        e.be64(ref).uvarint(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            e.str(labels.name(i)).str(labels.value(i));
        }
    }

    /** Encodes samples given as parallel arrays. */
    public static void samples(Encbuf e, long[] refs, long[] ts, double[] vs, int n) {
        e.reset().u8(SAMPLES);
        if (n == 0) {
            return;
        }
        long firstRef = refs[0];
        long firstT = ts[0];
        e.be64(firstRef).be64(firstT);
        for (int i = 0; i < n; i++) {
            e.varint(refs[i] - firstRef).varint(ts[i] - firstT).be64(Double.doubleToRawLongBits(vs[i]));
        }
    }

    public static int type(byte[] rec, int len) {
        return len == 0 ? 0 : rec[0] & 0xFF;
    }

    public static void decodeSeries(byte[] rec, int len, BiConsumer<Long, Labels> sink) {
        Decbuf d = new Decbuf(ByteBuffer.wrap(rec, 0, len), null, 1, len);
        while (d.remaining() > 0) {
            long ref = d.be64();
            int n = (int) d.uvarint();
            String[] kv = new String[n * 2];
            for (int i = 0; i < n * 2; i++) {
                kv[i] = d.str();
            }
            sink.accept(ref, Labels.of(kv));
        }
    }

    public static void decodeSamples(byte[] rec, int len, SampleSink sink) {
        if (len <= 1) {
            return;
        }
        Decbuf d = new Decbuf(ByteBuffer.wrap(rec, 0, len), null, 1, len);
        long firstRef = d.be64();
        long firstT = d.be64();
        while (d.remaining() > 0) {
            long ref = firstRef + d.varint();
            long t = firstT + d.varint();
            double v = Double.longBitsToDouble(d.be64());
            sink.sample(ref, t, v);
        }
    }
}
