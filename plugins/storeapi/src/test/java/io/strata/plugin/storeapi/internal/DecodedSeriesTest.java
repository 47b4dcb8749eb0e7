package io.strata.plugin.storeapi.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.strata.api.labels.Labels;
import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkSeries;
import io.strata.plugin.tsdb.chunkenc.XorChunkBuilder;
import io.strata.proto.thanos.store.AggrChunk;
import io.strata.proto.thanos.store.Chunk;
import io.strata.proto.thanos.store.Label;
import io.strata.proto.thanos.store.Series;
import io.strata.proto.thanos.store.SeriesBatch;
import io.strata.proto.thanos.store.SeriesResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chunks kept as offsets into received frames, joined across frames and mixed with buffers. */
final class DecodedSeriesTest {
    private static byte[] xor(long from, int n) {
        XorChunkBuilder b = new XorChunkBuilder();
        for (int i = 0; i < n; i++) {
            b.append(from + i * 15_000L, i * 2.5);
        }
        return b.toByteArray();
    }

    private static Series series(Labels labels, long... chunkStarts) {
        Series.Builder s = Series.newBuilder();
        labels.forEach((n, v) -> s.addLabels(Label.newBuilder().setName(n).setValue(v)));
        for (long t : chunkStarts) {
            s.addChunks(AggrChunk.newBuilder().setMinTime(t).setMaxTime(t + 15_000L * 9)
                    .setRaw(Chunk.newBuilder().setData(ByteString.copyFrom(xor(t, 10)))));
        }
        return s.build();
    }

    private static byte[] frame(Series... series) {
        SeriesBatch.Builder b = SeriesBatch.newBuilder();
        for (Series s : series) {
            b.addSeries(s);
        }
        return SeriesResponse.newBuilder().setBatch(b).build().toByteArray();
    }

    @Test
    void aSeriesSplitOverFramesReadsAsOne() {
        Labels a = Labels.of("__name__", "up", "job", "a");
        Labels b = Labels.of("__name__", "up", "job", "b");
        // a in three frames (its first part shares a frame with nothing, its last with b), as a store
        // sending long series in parts does
        List<byte[]> frames = List.of(frame(series(a, 0, 150_000)), frame(series(a, 300_000)), frame(series(a, 450_000), series(b, 0)));
        SeriesWire.Decoder decoder = SeriesWire.decoder();
        List<SeriesWire.Frame> decoded = new ArrayList<>();
        for (byte[] f : frames) {
            decoded.add(decoder.decode(f));
        }
        RemoteSeriesSet set = new RemoteSeriesSet("test", Context.current().withCancellation(), decoded.iterator());
        assertTrue(set.next());
        ChunkSeries first = set.at();
        assertEquals(a, first.labels());
        long[] starts = {0, 150_000, 300_000, 450_000};
        ChunkIterator it = first.chunks(null);
        for (long start : starts) {
            assertTrue(it.next());
            assertEquals(start, it.minTime());
            assertEquals(start + 15_000L * 9, it.maxTime());
            assertEquals(ChunkIterator.ENCODING_XOR, it.encoding());
            ByteBuffer bytes = it.bytes();
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            assertArrayEquals(xor(start, 10), copy, "bytes of the chunk from " + start);
        }
        assertFalse(it.next());
        ChunkSampleIterator samples = new ChunkSampleIterator().reset(first.chunks(null), Long.MIN_VALUE, Long.MAX_VALUE);
        int n = 0;
        while (samples.next()) {
            assertEquals(n / 10 * 150_000L + n % 10 * 15_000L, samples.atT());
            assertEquals(n % 10 * 2.5, samples.atV());
            n++;
        }
        assertEquals(40, n);
        assertTrue(set.next());
        assertEquals(b, set.at().labels());
        assertFalse(set.next());
        assertEquals(null, set.err());
    }

    @Test
    void chunksAddedAsBuffersAndFromAFrameMix() {
        byte[] frame = new byte[64];
        byte[] inFrame = xor(0, 3);
        System.arraycopy(inFrame, 0, frame, 7, inFrame.length);
        DecodedSeries s = new DecodedSeries(Labels.EMPTY);
        s.add(0, 30_000, ChunkIterator.ENCODING_XOR, 0, frame, 7, inFrame.length);
        s.add(45_000, 75_000, ChunkIterator.ENCODING_XOR, 0, ByteBuffer.wrap(xor(45_000, 3)));
        s.add(90_000, 90_000, -1, 9, ByteBuffer.allocate(0));
        ChunkSampleIterator samples = new ChunkSampleIterator().reset(s.chunks(null), 0, 75_000);
        List<Long> times = new ArrayList<>();
        while (samples.next()) {
            times.add(samples.atT());
        }
        assertEquals(List.of(0L, 15_000L, 30_000L, 45_000L, 60_000L, 75_000L), times);
        ChunkIterator it = s.chunks(null);
        assertTrue(it.next());
        assertTrue(it.next());
        assertFalse(it.next(), "the chunk of unknown wire type 9 ends the iteration");
        assertTrue(it.err().getMessage().contains("9"), it.err().getMessage());
    }
}
