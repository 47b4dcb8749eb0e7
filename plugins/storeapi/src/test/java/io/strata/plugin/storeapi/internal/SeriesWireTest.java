package io.strata.plugin.storeapi.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.strata.api.labels.Labels;
import io.strata.api.storage.ChunkIterator;
import io.strata.proto.thanos.store.AggrChunk;
import io.strata.proto.thanos.store.Chunk;
import io.strata.proto.thanos.store.Label;
import io.strata.proto.thanos.store.Series;
import io.strata.proto.thanos.store.SeriesBatch;
import io.strata.proto.thanos.store.SeriesResponse;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-written Series codec against protobuf-java's encoding of the same messages. */
final class SeriesWireTest {
    private static final Labels A = Labels.of("__name__", "up", "instance", "höst:9090", "job", "node");
    private static final Labels B = Labels.of("__name__", "up", "instance", "b", "job", "node", "zone", "\uD83D\uDE00");

    private static Series proto(Labels labels, long[][] times, int[] types, byte[][] data) {
        Series.Builder s = Series.newBuilder();
        labels.forEach((n, v) -> s.addLabels(Label.newBuilder().setName(n).setValue(v)));
        for (int i = 0; i < times.length; i++) {
            s.addChunks(AggrChunk.newBuilder().setMinTime(times[i][0]).setMaxTime(times[i][1])
                    .setRaw(Chunk.newBuilder().setTypeValue(types[i]).setData(ByteString.copyFrom(data[i]))));
        }
        return s.build();
    }

    private static byte[] encode(SeriesWire.Encoder e, Labels labels, long[][] times, int[] types, byte[][] data) {
        e.startSeries(labels);
        for (int i = 0; i < times.length; i++) {
            e.chunk(times[i][0], times[i][1], types[i], ByteBuffer.wrap(data[i]));
        }
        return e.endSeries();
    }

    private static final long[][] TIMES_A = {{0, 119_000}, {-5, Long.MAX_VALUE}, {1_700_000_000_000L, 1_700_000_000_001L}};
    private static final int[] TYPES_A = {0, 1, 2};
    private static final byte[][] DATA_A = {{1, 2, 3}, {}, new byte[300]};

    @Test
    void writesTheBytesProtobufWrites() {
        SeriesWire.Encoder e = new SeriesWire.Encoder();
        byte[] a = encode(e, A, TIMES_A, TYPES_A, DATA_A);
        assertArrayEquals(proto(A, TIMES_A, TYPES_A, DATA_A).toByteArray(), a);
        byte[] b = encode(e, B, new long[0][], new int[0], new byte[0][]);
        assertArrayEquals(proto(B, new long[0][], new int[0], new byte[0][]).toByteArray(), b);

        SeriesResponse batch = SeriesResponse.newBuilder().setBatch(SeriesBatch.newBuilder()
                .addSeries(proto(A, TIMES_A, TYPES_A, DATA_A)).addSeries(proto(B, new long[0][], new int[0], new byte[0][]))).build();
        SeriesWire.FrameBuilder frame = new SeriesWire.FrameBuilder();
        frame.add(a, 0, a.length);
        encode(e, B, new long[0][], new int[0], new byte[0][]);
        e.endSeries(frame);
        assertEquals(2, frame.count());
        assertArrayEquals(batch.toByteArray(), frame.build(true).toByteArray());
        assertEquals(0, frame.count(), "a built frame empties the builder");
        frame.add(a, 0, a.length);
        assertArrayEquals(SeriesResponse.newBuilder().setSeries(proto(A, TIMES_A, TYPES_A, DATA_A)).build().toByteArray(),
                frame.build(false).toByteArray());
        for (long v : new long[]{0, 1, 127, 128, 16_383, 16_384, Integer.MAX_VALUE, Long.MAX_VALUE, -1}) {
            assertEquals(com.google.protobuf.CodedOutputStream.computeUInt64SizeNoTag(v), SeriesWire.varintSize(v), "varint size of " + v);
        }
        assertArrayEquals(SeriesResponse.newBuilder().setWarning("störe down").build().toByteArray(), SeriesWire.Encoder.warning("störe down"));
    }

    private static SeriesWire.Frame decode(byte[] bytes) {
        return SeriesWire.decoder().parse(new ByteArrayInputStream(bytes));
    }

    @Test
    void readsWhatProtobufWrites() {
        SeriesResponse batch = SeriesResponse.newBuilder().setBatch(SeriesBatch.newBuilder()
                .addSeries(proto(A, TIMES_A, TYPES_A, DATA_A)).addSeries(proto(B, new long[0][], new int[0], new byte[0][]))).build();
        var decoder = SeriesWire.decoder();
        SeriesWire.Frame f = decoder.parse(new ByteArrayInputStream(batch.toByteArray()));
        assertNull(f.warning());
        assertEquals(2, f.series().size());
        DecodedSeries a = f.series().get(0);
        assertEquals(A, a.labels());
        assertEquals(B, f.series().get(1).labels());
        assertEquals(0, f.series().get(1).chunkCount());
        ChunkIterator it = a.chunks(null);
        List<long[]> seen = new ArrayList<>();
        List<byte[]> bytes = new ArrayList<>();
        while (it.next()) {
            seen.add(new long[] {it.minTime(), it.maxTime(), it.encoding()});
            ByteBuffer bb = it.bytes();
            byte[] x = new byte[bb.remaining()];
            bb.get(x);
            bytes.add(x);
        }
        assertEquals(3, seen.size());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(new long[] {TIMES_A[i][0], TIMES_A[i][1], ProtoConversions.prometheusEncoding(TYPES_A[i])}, seen.get(i));
            assertArrayEquals(DATA_A[i], bytes.get(i));
        }
        // label strings are shared across the frames of one call
        SeriesWire.Frame again = decoder.parse(new ByteArrayInputStream(batch.toByteArray()));
        assertSame(a.labels().value(1), again.series().get(0).labels().value(1));

        SeriesWire.Frame w = decode(SeriesResponse.newBuilder().setWarning("slow store").build().toByteArray());
        assertEquals("slow store", w.warning());
        assertTrue(w.series().isEmpty());
        SeriesWire.Frame hints = decode(SeriesResponse.newBuilder().setHints(Any.newBuilder().setTypeUrl("x").setValue(ByteString.copyFromUtf8("y"))).build().toByteArray());
        assertTrue(hints.series().isEmpty());
        assertNull(hints.warning());
        SeriesWire.Frame single = decode(SeriesResponse.newBuilder().setSeries(proto(B, TIMES_A, TYPES_A, DATA_A)).build().toByteArray());
        assertEquals(B, single.series().get(0).labels());
    }

    @Test
    void aDecodedFrameWritesBackTheSameBytes() throws Exception {
        var decoder = SeriesWire.decoder();
        for (SeriesResponse r : List.of(
                SeriesResponse.newBuilder().setBatch(SeriesBatch.newBuilder()
                        .addSeries(proto(A, TIMES_A, TYPES_A, DATA_A)).addSeries(proto(B, new long[0][], new int[0], new byte[0][]))).build(),
                SeriesResponse.newBuilder().setWarning("store b is slow").build())) {
            SeriesWire.Frame f = decoder.parse(new ByteArrayInputStream(r.toByteArray()));
            assertArrayEquals(r.toByteArray(), decoder.stream(f).readAllBytes());
        }
    }

    @Test
    void sortsLabelsSentOutOfOrderAndSkipsChunksWithoutRawData() {
        Series unsorted = Series.newBuilder()
                .addLabels(Label.newBuilder().setName("job").setValue("x"))
                .addLabels(Label.newBuilder().setName("__name__").setValue("up"))
                .addLabels(Label.newBuilder().setName("empty"))
                .addChunks(AggrChunk.newBuilder().setMinTime(1).setMaxTime(2).setCount(Chunk.newBuilder().setData(ByteString.copyFromUtf8("c"))))
                .addChunks(AggrChunk.newBuilder().setMinTime(3).setMaxTime(4).setRaw(Chunk.newBuilder().setTypeValue(42)))
                .build();
        DecodedSeries s = decode(SeriesResponse.newBuilder().setSeries(unsorted).build().toByteArray()).series().get(0);
        assertEquals(Labels.of("__name__", "up", "job", "x"), s.labels());
        ChunkIterator it = s.chunks(null);
        assertFalse(it.next(), "the chunk of unknown encoding fails the iterator");
        assertTrue(it.err().getMessage().contains("42"), it.err().getMessage());
    }

    @Test
    void rejectsTruncatedFrames() {
        byte[] ok = SeriesResponse.newBuilder().setSeries(proto(A, TIMES_A, TYPES_A, DATA_A)).build().toByteArray();
        byte[] cut = java.util.Arrays.copyOf(ok, ok.length - 7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> decode(cut));
        assertTrue(e.getMessage().startsWith("malformed SeriesResponse"), e.getMessage());
    }

    @Test
    void stringTableSharesRepeatedStringsAndStaysCorrectWhenSlotsCollide() {
        SeriesWire.StringTable t = new SeriesWire.StringTable();
        byte[] job = "xx node".getBytes(StandardCharsets.UTF_8);
        String first = t.get(job, 3, 4);
        assertSame(first, t.get("node".getBytes(StandardCharsets.UTF_8), 0, 4));
        for (int i = 0; i < 50_000; i++) {
            byte[] b = ("value-" + i).getBytes(StandardCharsets.UTF_8);
            assertEquals("value-" + i, t.get(b, 0, b.length));
        }
        assertEquals("node", t.get(job, 3, 4));
    }

    @Test
    void labelsRepeatedFromThePreviousSeriesDecodeAsProtobufReadsThem() {
        // series of 0 to 4 labels drawn from few names and values, some with the name or value field
        // missing or empty, spread over frames: whatever repeats at a place must decode as sent
        java.util.Random random = new java.util.Random(42);
        String[] words = {"", "a", "b", "job", "jöb", "instance", "host-1", "host-2", "\uD83D\uDE00"};
        var decoder = SeriesWire.decoder();
        for (int frame = 0; frame < 200; frame++) {
            SeriesBatch.Builder batch = SeriesBatch.newBuilder();
            for (int i = random.nextInt(5); i >= 0; i--) {
                Series.Builder sb = Series.newBuilder();
                for (int l = random.nextInt(5); l > 0; l--) {
                    Label.Builder lb = Label.newBuilder();
                    if (random.nextInt(8) > 0) {
                        lb.setName(words[random.nextInt(words.length)]);
                    }
                    if (random.nextInt(8) > 0) {
                        lb.setValue(words[random.nextInt(words.length)]);
                    }
                    sb.addLabels(lb);
                }
                batch.addSeries(sb);
            }
            SeriesResponse r = SeriesResponse.newBuilder().setBatch(batch).build();
            // a fresh array per frame, as gRPC hands them over
            byte[] bytes = r.toByteArray();
            SeriesWire.Frame f = decoder.decode(bytes);
            assertEquals(batch.getSeriesCount(), f.series().size());
            for (int i = 0; i < f.series().size(); i++) {
                List<String> pairs = new ArrayList<>();
                for (Label l : batch.getSeries(i).getLabelsList()) {
                    pairs.add(l.getName());
                    pairs.add(l.getValue());
                }
                assertEquals(ProtoConversions.labels(pairs.toArray(new String[0])), f.series().get(i).labels(), "frame " + frame + " series " + i);
            }
        }
    }
}
