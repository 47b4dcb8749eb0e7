package io.strata.plugin.receive.internal;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encodes some series of a {@link WriteBatch} as a Thanos {@code WriteRequest} (timeseries=1,
 * tenant=2, replica=3) for forwarding to a peer, straight from the batch's arrays and the labels the
 * router encoded while hashing them.
 */
public final class ForwardEncoder {
    private ForwardEncoder() {
    }

    /**
     * @param labels the batch's labels as filled by
     *               {@link Hashring#seriesKey(String, io.strata.api.labels.Labels, Hashring.KeyBuffer, LabelBlocks)}
     *               for every series of the batch, in order
     */
    public static byte[] encode(WriteBatch batch, LabelBlocks labels, int[] series, int count, String tenant, long replica) {
        int total = 0;
        int[] sizes = new int[count];
        for (int k = 0; k < count; k++) {
            sizes[k] = labels.length(series[k]) + samplesSize(batch, series[k]);
            total += CodedOutputStream.computeTagSize(1) + CodedOutputStream.computeUInt32SizeNoTag(sizes[k]) + sizes[k];
        }
        if (!tenant.isEmpty()) {
            total += CodedOutputStream.computeStringSize(2, tenant);
        }
        if (replica != 0) {
            total += CodedOutputStream.computeInt64Size(3, replica);
        }
        byte[] out = new byte[total];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        try {
            for (int k = 0; k < count; k++) {
                int i = series[k];
                o.writeTag(1, 2);
                o.writeUInt32NoTag(sizes[k]);
                o.writeRawBytes(labels.data(), labels.start(i), labels.length(i));
                int start = batch.sampleStart(i);
                for (int s = start, end = start + batch.sampleCount(i); s < end; s++) {
                    o.writeTag(2, 2);
                    o.writeUInt32NoTag(sampleSize(batch.timestamp(s), batch.value(s)));
                    writeSample(o, batch.timestamp(s), batch.value(s));
                }
            }
            if (!tenant.isEmpty()) {
                o.writeString(2, tenant);
            }
            if (replica != 0) {
                o.writeInt64(3, replica);
            }
            o.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void writeSample(CodedOutputStream o, long t, double v) throws IOException {
        if (Double.doubleToRawLongBits(v) != 0) {
            o.writeDouble(1, v);
        }
        if (t != 0) {
            o.writeInt64(2, t);
        }
    }

    private static int sampleSize(long t, double v) {
        return (Double.doubleToRawLongBits(v) != 0 ? 9 : 0) + (t != 0 ? CodedOutputStream.computeInt64Size(2, t) : 0);
    }

    private static int samplesSize(WriteBatch batch, int i) {
        int size = 0;
        int start = batch.sampleStart(i);
        for (int s = start, end = start + batch.sampleCount(i); s < end; s++) {
            int ss = sampleSize(batch.timestamp(s), batch.value(s));
            size += 1 + CodedOutputStream.computeUInt32SizeNoTag(ss) + ss;
        }
        return size;
    }
}
