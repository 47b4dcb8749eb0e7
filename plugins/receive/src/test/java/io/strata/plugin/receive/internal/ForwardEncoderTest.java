package io.strata.plugin.receive.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.strata.api.labels.Labels;
import io.strata.proto.thanos.store.WriteRequest;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Forwarded requests built from the router's label blocks are the ones built from the label strings. */
class ForwardEncoderTest {
    @Test
    void labelBlocksEncodeWhatTheStringsEncode() throws Exception {
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
        for (int k = 0; k < some.length; k++) {
            some[k] = k * 3 + 1;
        }
        byte[] fromStrings = ForwardEncoder.encode(batch, some, some.length, "acme", 2);
        byte[] fromBlocks = ForwardEncoder.encode(batch, blocks, some, some.length, "acme", 2);
        assertArrayEquals(fromStrings, fromBlocks);
        WriteRequest parsed = WriteRequest.parseFrom(fromBlocks);
        assertEquals(some.length, parsed.getTimeseriesCount());
        assertEquals("acme", parsed.getTenant());
        assertEquals(batch.labels(some[5]).get("instance"), parsed.getTimeseries(5).getLabels(1).getValue());
    }
}
