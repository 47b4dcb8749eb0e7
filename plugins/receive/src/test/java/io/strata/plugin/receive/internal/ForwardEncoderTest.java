package io.strata.plugin.receive.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.strata.api.labels.Labels;
import io.strata.proto.prometheus.copy.Sample;
import io.strata.proto.prometheus.copy.TimeSeries;
import io.strata.proto.thanos.store.Label;
import io.strata.proto.thanos.store.WriteRequest;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Forwarded requests are byte for byte what protobuf-java writes for the same series. */
class ForwardEncoderTest {
    @Test
    void forwardedRequestsAreWhatProtobufWrites() throws Exception {
        Random r = new Random(11);
        String[] values = {"node", "höst:9100", "\uD83D\uDE00", "x".repeat(300), "a\u00e9b", "0"};
        WriteBatch batch = new WriteBatch();
        int series = 500;
        for (int i = 0; i < series; i++) {
            batch.addSeries(Labels.of("__name__", "m" + i % 7, "instance", values[r.nextInt(values.length)] + i, "job",
                    values[r.nextInt(values.length)]));
            for (int s = 0, n = r.nextInt(4); s < n; s++) {
                batch.addSample(r.nextInt(3) == 0 ? 0 : r.nextLong(), r.nextInt(3) == 0 ? 0 : r.nextGaussian());
            }
        }
        LabelBlocks blocks = new LabelBlocks();
        Hashring.KeyBuffer keys = new Hashring.KeyBuffer();
        for (int i = 0; i < series; i++) {
            assertEquals(Hashring.seriesKey("acme", batch.labels(i), new Hashring.KeyBuffer()),
                    Hashring.seriesKey("acme", batch.labels(i), keys, blocks), "the key does not change");
        }
        assertEquals(series, blocks.seriesCount());
        int[] some = new int[series / 3];
        WriteRequest.Builder expected = WriteRequest.newBuilder().setTenant("acme").setReplica(2);
        for (int k = 0; k < some.length; k++) {
            int i = k * 3 + 1;
            some[k] = i;
            TimeSeries.Builder ts = TimeSeries.newBuilder();
            batch.labels(i).forEach((n, v) -> ts.addLabels(Label.newBuilder().setName(n).setValue(v)));
            for (int s = batch.sampleStart(i); s < batch.sampleStart(i) + batch.sampleCount(i); s++) {
                ts.addSamples(Sample.newBuilder().setValue(batch.value(s)).setTimestamp(batch.timestamp(s)));
            }
            expected.addTimeseries(ts);
        }
        assertArrayEquals(expected.build().toByteArray(), ForwardEncoder.encode(batch, blocks, some, some.length, "acme", 2));
    }
}
