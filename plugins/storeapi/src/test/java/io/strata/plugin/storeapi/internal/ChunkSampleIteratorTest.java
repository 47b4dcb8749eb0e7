package io.strata.plugin.storeapi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.strata.plugin.tsdb.chunkenc.XorChunkBuilder;
import io.strata.proto.thanos.store.AggrChunk;
import io.strata.proto.thanos.store.Chunk;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ChunkSampleIteratorTest {
    private static AggrChunk xor(long... timestamps) {
        XorChunkBuilder b = new XorChunkBuilder();
        for (long t : timestamps) {
            b.append(t, t * 10.0);
        }
        return AggrChunk.newBuilder().setMinTime(b.minTime()).setMaxTime(b.maxTime())
                .setRaw(Chunk.newBuilder().setType(Chunk.Encoding.XOR).setData(ByteString.copyFrom(b.toByteArray()))).build();
    }

    private static ChunkSampleIterator over(List<AggrChunk> chunks, long min, long max) {
        DecodedSeries series = new DecodedSeries(io.strata.api.labels.Labels.EMPTY);
        for (AggrChunk c : chunks) {
            if (c.hasRaw()) {
                series.add(c.getMinTime(), c.getMaxTime(), ProtoConversions.prometheusEncoding(c.getRaw().getTypeValue()),
                        c.getRaw().getTypeValue(), c.getRaw().getData().asReadOnlyByteBuffer());
            }
        }
        return new ChunkSampleIterator().reset(series.chunks(null), min, max);
    }

    private static List<Long> times(ChunkSampleIterator it) {
        List<Long> out = new ArrayList<>();
        while (it.next()) {
            out.add(it.atT());
            assertEquals(it.atT() * 10.0, it.atV());
        }
        assertNull(it.err());
        return out;
    }

    @Test
    void samplesOfConsecutiveChunksTrimmedToTheRange() {
        List<AggrChunk> chunks = List.of(xor(1, 2, 3), xor(4, 5, 6), xor(7, 8, 9));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), times(over(chunks, Long.MIN_VALUE, Long.MAX_VALUE)));
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L), times(over(chunks, 3, 7)));
        assertEquals(List.of(), times(over(chunks, 10, 20)));
    }

    @Test
    void overlappingChunksYieldEachTimestampOnceInOrder() {
        List<AggrChunk> chunks = List.of(xor(1, 3, 5, 7), xor(2, 3, 8, 9));
        assertEquals(List.of(1L, 3L, 5L, 7L, 8L, 9L), times(over(chunks, Long.MIN_VALUE, Long.MAX_VALUE)));
    }

    @Test
    void seekMovesForwardOnlyAndSkipsWholeChunks() {
        ChunkSampleIterator it = over(List.of(xor(1, 2, 3), xor(4, 5, 6), xor(7, 8, 9)), Long.MIN_VALUE, Long.MAX_VALUE);
        assertTrue(it.seek(5));
        assertEquals(5, it.atT());
        assertTrue(it.seek(2), "an earlier target keeps the current sample");
        assertEquals(5, it.atT());
        assertTrue(it.next());
        assertEquals(6, it.atT());
        assertTrue(it.seek(9));
        assertEquals(9, it.atT());
        assertFalse(it.seek(10));
        assertFalse(it.next());
    }

    @Test
    void seekBeforeTheRangeStartsAtTheRange() {
        ChunkSampleIterator it = over(List.of(xor(1, 2, 3, 4)), 3, 4);
        assertTrue(it.seek(0));
        assertEquals(3, it.atT());
    }

    @Test
    void chunksWithoutRawDataAreSkippedAndCorruptDataIsAnError() {
        AggrChunk downsampledOnly = AggrChunk.newBuilder().setMinTime(0).setMaxTime(10)
                .setCount(Chunk.newBuilder().setType(Chunk.Encoding.XOR)).build();
        assertEquals(List.of(1L, 2L), times(over(List.of(downsampledOnly, xor(1, 2)), Long.MIN_VALUE, Long.MAX_VALUE)));
        AggrChunk corrupt = AggrChunk.newBuilder().setMinTime(0).setMaxTime(10)
                .setRaw(Chunk.newBuilder().setType(Chunk.Encoding.XOR).setData(ByteString.copyFrom(new byte[]{0, 5, 1}))).build();
        ChunkSampleIterator it = over(List.of(corrupt), Long.MIN_VALUE, Long.MAX_VALUE);
        while (it.next()) {
            // a corrupt chunk may yield garbage before failing; the error is what matters
        }
        assertNotNull(it.err());
    }

    @Test
    void aHistogramChunkIsAnErrorForTheFloatView() {
        AggrChunk histogram = AggrChunk.newBuilder().setMinTime(0).setMaxTime(10)
                .setRaw(Chunk.newBuilder().setType(Chunk.Encoding.HISTOGRAM).setData(ByteString.copyFrom(new byte[]{0, 0}))).build();
        ChunkSampleIterator it = over(List.of(histogram), Long.MIN_VALUE, Long.MAX_VALUE);
        assertFalse(it.next());
        assertNotNull(it.err());
    }
}
