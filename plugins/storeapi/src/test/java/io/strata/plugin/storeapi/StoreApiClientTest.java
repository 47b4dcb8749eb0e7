package io.strata.plugin.storeapi;

import static io.strata.plugin.storeapi.ConformanceData.EXTERNAL_LABELS;
import static io.strata.plugin.storeapi.ConformanceData.HOUR;
import static io.strata.plugin.storeapi.ConformanceData.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkQuerier;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.LabelHints;
import io.strata.api.storage.Querier;
import io.strata.api.storage.SampleIterator;
import io.strata.api.storage.SelectHints;
import io.strata.api.storage.Series;
import io.strata.api.storage.SeriesSet;
import io.strata.plugin.storeapi.internal.ProtoConversions;
import io.strata.proto.thanos.store.AggrChunk;
import io.strata.proto.thanos.store.Chunk;
import io.strata.proto.thanos.store.SeriesBatch;
import io.strata.proto.thanos.store.SeriesRequest;
import io.strata.proto.thanos.store.SeriesResponse;
import io.strata.proto.thanos.store.StoreGrpc;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@link StoreApiClient} against {@link StoreApiServer} and against hand-written servers, over real gRPC. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class StoreApiClientTest {
    private final InMemoryChunkSource source = new InMemoryChunkSource(ConformanceData.chunkSeries());
    private LoopbackGrpcServer grpc;
    private StoreApiClient client;

    @BeforeAll
    void start() throws Exception {
        StoreApiServer server = new StoreApiServer(source, EXTERNAL_LABELS, "sidecar",
                () -> new StoreApiServer.TimeRange(ConformanceData.minTime(), ConformanceData.maxTime()));
        grpc = new LoopbackGrpcServer(server.services());
        client = StoreApiClient.connect(grpc.address());
    }

    @AfterAll
    void stop() throws Exception {
        client.close();
        grpc.close();
    }

    private static <S> List<S> drain(SeriesSet<S> set) {
        List<S> out = new ArrayList<>();
        while (set.next()) {
            out.add(set.at());
        }
        assertNull(set.err(), () -> "error: " + set.err());
        return out;
    }

    private static ConformanceData.TestSeries data(Labels served) {
        return ConformanceData.series().stream()
                .filter(s -> ConformanceData.served(s.labels(), EXTERNAL_LABELS).equals(served)).findFirst().orElseThrow();
    }

    @Test
    void infoDescribesTheEndpoint() {
        EndpointInfo info = client.info();
        assertEquals("sidecar", info.componentType());
        assertEquals(List.of(EXTERNAL_LABELS), info.labelSets());
        assertTrue(info.storeApi());
        assertEquals(ConformanceData.minTime(), info.minTime());
        assertEquals(ConformanceData.maxTime(), info.maxTime());
        assertTrue(info.supportsWithoutReplicaLabels());
    }

    @Test
    void chunkSeriesArriveSortedWithTheirBytesUnchanged() {
        try (ChunkQuerier q = client.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<ChunkSeries> got = drain(q.select(true, null, Matcher.equal("__name__", "up")));
            assertEquals(ConformanceData.expected(EXTERNAL_LABELS, Matcher.equal("__name__", "up")), got.stream().map(ChunkSeries::labels).toList());
            ChunkIterator reuse = null;
            for (ChunkSeries s : got) {
                ConformanceData.TestSeries d = data(s.labels());
                ChunkIterator it = s.chunks(reuse);
                if (reuse != null) {
                    assertSame(reuse, it, "chunk iterators are reused");
                }
                reuse = it;
                int i = 0;
                while (it.next()) {
                    assertEquals(ChunkIterator.ENCODING_XOR, it.encoding(), "Thanos XOR=0 becomes chunkenc XOR=1");
                    ByteBuffer b = it.bytes();
                    byte[] bytes = new byte[b.remaining()];
                    b.get(bytes);
                    assertArrayEquals(d.chunks().get(i), bytes);
                    assertEquals(d.chunkMinTimes()[i], it.minTime());
                    assertEquals(d.chunkMaxTimes()[i], it.maxTime());
                    i++;
                }
                assertEquals(d.chunks().size(), i);
            }
        }
    }

    @Test
    void samplesAreDecodedAndTrimmedToTheQuerierRange() {
        long min = T0 + HOUR / 2;
        long max = T0 + HOUR / 2 + 20 * 60_000;
        try (Querier q = client.querier(min, max)) {
            List<Series> got = drain(q.select(true, null, Matcher.equal("__name__", "up"), Matcher.equal("job", "api")));
            assertEquals(2, got.size());
            SampleIterator reuse = null;
            for (Series s : got) {
                ConformanceData.TestSeries d = data(s.labels());
                SampleIterator it = s.iterator(reuse);
                if (reuse != null) {
                    assertSame(reuse, it, "sample iterators are reused");
                }
                reuse = it;
                List<Long> expected = new ArrayList<>();
                for (long t : d.timestamps()) {
                    if (t >= min && t <= max) {
                        expected.add(t);
                    }
                }
                List<Long> ts = new ArrayList<>();
                while (it.next()) {
                    ts.add(it.atT());
                    int k = (int) ((it.atT() - d.timestamps()[0]) / ConformanceData.STEP);
                    assertEquals(Double.doubleToRawLongBits(d.values()[k]), Double.doubleToRawLongBits(it.atV()));
                }
                assertNull(it.err());
                assertEquals(expected, ts);
            }
        }
    }

    @Test
    void staleMarkersKeepTheirBitsAndSeekFindsLaterSamples() {
        try (Querier q = client.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<Series> got = drain(q.select(true, null, Matcher.equal("instance", "b:9090")));
            assertEquals(1, got.size());
            ConformanceData.TestSeries d = data(got.get(0).labels());
            SampleIterator it = got.get(0).iterator(null);
            long target = d.timestamps()[300] + 1;
            assertTrue(it.seek(target));
            assertEquals(d.timestamps()[301], it.atT());
            assertTrue(it.seek(target), "seek to an earlier time stays");
            assertEquals(d.timestamps()[301], it.atT());
            long lastBits = 0;
            while (it.next()) {
                lastBits = Double.doubleToRawLongBits(it.atV());
            }
            assertEquals(0x7ff0000000000002L, lastBits, "the stale marker's exact bits");
            assertFalse(it.seek(Long.MAX_VALUE));
        }
    }

    @Test
    void selectHintsTravelAsQueryHints() {
        SelectHints hints = new SelectHints(T0, T0 + HOUR, 30_000, "rate", List.of("job"), true, 300_000, 0);
        try (Querier q = client.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            drain(q.select(true, hints, Matcher.equal("__name__", "sparse")));
        }
        SelectHints seen = source.selectHints().get(source.selectHints().size() - 1);
        assertEquals(T0, seen.start());
        assertEquals(T0 + HOUR, seen.end());
        assertEquals(30_000, seen.step());
        assertEquals("rate", seen.function());
        assertEquals(List.of("job"), seen.grouping());
        assertTrue(seen.by());
        assertEquals(300_000, seen.range());
    }

    @Test
    void labelNamesAndValuesGoThroughTheClient() {
        try (ChunkQuerier q = client.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            assertEquals(List.of("__name__", "city", "region", "replica"), q.labelNames(LabelHints.NONE, Matcher.equal("__name__", "temperature")));
            assertEquals(List.of("api", "db", "web"), q.labelValues("job", LabelHints.NONE, Matcher.equal("__name__", "up")));
            assertEquals(List.of("api"), q.labelValues("job", new LabelHints(1)));
        }
    }

    @Test
    void withoutReplicaLabelsAndSkipChunksTravelAsOptions() {
        SeriesOptions options = new SeriesOptions(true, List.of("replica"), false, 2);
        try (ChunkQuerier q = client.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE, options)) {
            List<ChunkSeries> got = drain(q.select(true, null, Matcher.equal("__name__", "up")));
            assertEquals(4, got.size());
            for (ChunkSeries s : got) {
                assertFalse(s.labels().has("replica"));
                assertFalse(s.chunks(null).next(), "no chunks");
            }
        }
    }

    @Test
    void aMatcherTheServerRefusesFailsWithTheAddressAndInvalidArgument() {
        // The api already refuses bad regular expressions; a matcher on an empty label name gets through
        // to the server, which must refuse it.
        try (ChunkQuerier q = client.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet<ChunkSeries> set = q.select(true, null, Matcher.equal("", "x"));
            assertFalse(set.next());
            StoreApiException e = assertInstanceOf(StoreApiException.class, set.err());
            assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().contains(grpc.address()), e.getMessage());
        }
    }

    @Test
    void anUnreachableEndpointIsAnErrorNamingItsAddress() throws Exception {
        LoopbackGrpcServer gone = new LoopbackGrpcServer(List.of());
        String address = gone.address();
        gone.close();
        try (StoreApiClient c = StoreApiClient.connect(address)) {
            try (ChunkQuerier q = c.chunkQuerier(0, 1)) {
                SeriesSet<ChunkSeries> set = q.select(true, null, Matcher.equal("__name__", "up"));
                assertFalse(set.next());
                StoreApiException e = assertInstanceOf(StoreApiException.class, set.err());
                assertEquals(Status.Code.UNAVAILABLE, e.code());
                assertTrue(e.getMessage().contains(address), e.getMessage());
                assertEquals(address, e.address());
            }
            StoreApiException info = assertThrows(StoreApiException.class, c::info);
            assertTrue(info.getMessage().contains(address), info.getMessage());
        }
    }

    private static SeriesResponse series(String name, long min, long max, byte[] data) {
        return SeriesResponse.newBuilder().setSeries(io.strata.proto.thanos.store.Series.newBuilder()
                .addLabels(io.strata.proto.thanos.store.Label.newBuilder().setName("__name__").setValue(name))
                .addChunks(AggrChunk.newBuilder().setMinTime(min).setMaxTime(max)
                        .setRaw(Chunk.newBuilder().setType(Chunk.Encoding.XOR).setData(com.google.protobuf.ByteString.copyFrom(data))))).build();
    }

    private static byte[] xor(long... timestamps) {
        io.strata.plugin.tsdb.chunkenc.XorChunkBuilder b = new io.strata.plugin.tsdb.chunkenc.XorChunkBuilder();
        for (long t : timestamps) {
            b.append(t, t / 1000.0);
        }
        return b.toByteArray();
    }

    /** A Store service that answers every Series call with the given frames, then ends with {@code end}. */
    private static StoreGrpc.StoreImplBase scripted(List<SeriesResponse> frames, Status end, AtomicReference<SeriesRequest> seen) {
        return new StoreGrpc.StoreImplBase() {
            @Override
            public void series(SeriesRequest request, StreamObserver<SeriesResponse> out) {
                seen.set(request);
                frames.forEach(out::onNext);
                if (end.isOk()) {
                    out.onCompleted();
                } else {
                    out.onError(end.asRuntimeException());
                }
            }
        };
    }

    @Test
    void warningFramesSplitSeriesAndBatchesAreUnderstood() throws Exception {
        AtomicReference<SeriesRequest> seen = new AtomicReference<>();
        List<SeriesResponse> frames = List.of(
                SeriesResponse.newBuilder().setWarning("block 01X unreadable").build(),
                series("a", 1000, 2000, xor(1000, 2000)),
                series("a", 3000, 4000, xor(3000, 4000)),
                SeriesResponse.newBuilder().setBatch(SeriesBatch.newBuilder()
                        .addSeries(series("b", 1000, 1000, xor(1000)).getSeries())
                        .addSeries(series("c", 1000, 1000, xor(1000)).getSeries())).build());
        try (LoopbackGrpcServer server = new LoopbackGrpcServer(List.of(scripted(frames, Status.OK, seen)));
             StoreApiClient c = StoreApiClient.connect(server.address());
             Querier q = c.querier(0, 10_000)) {
            SeriesSet<Series> set = q.select(true, SelectHints.range(500, 9000), Matcher.regex("__name__", ".+"));
            List<Series> got = drain(set);
            assertEquals(List.of(Labels.of("__name__", "a"), Labels.of("__name__", "b"), Labels.of("__name__", "c")),
                    got.stream().map(Series::labels).toList());
            SampleIterator it = got.get(0).iterator(null);
            List<Long> ts = new ArrayList<>();
            while (it.next()) {
                ts.add(it.atT());
            }
            assertEquals(List.of(1000L, 2000L, 3000L, 4000L), ts, "frames of one series are joined");
            assertEquals(List.of(server.address() + ": block 01X unreadable"), set.warnings());
            assertEquals(500, seen.get().getMinTime(), "hints narrow the range");
            assertEquals(9000, seen.get().getMaxTime());
            assertEquals(List.of(Matcher.regex("__name__", ".+")), List.of(ProtoConversions.matchers(seen.get().getMatchersList())));
        }
    }

    @Test
    void anErrorAfterSomeSeriesEndsTheSetWithTheError() throws Exception {
        AtomicReference<SeriesRequest> seen = new AtomicReference<>();
        List<SeriesResponse> frames = List.of(series("a", 1000, 2000, xor(1000, 2000)), series("b", 1000, 2000, xor(1000, 2000)));
        try (LoopbackGrpcServer server = new LoopbackGrpcServer(List.of(scripted(frames, Status.INTERNAL.withDescription("disk on fire"), seen)));
             StoreApiClient c = StoreApiClient.connect(server.address());
             ChunkQuerier q = c.chunkQuerier(0, 10_000)) {
            SeriesSet<ChunkSeries> set = q.select(true, null, Matcher.regex("__name__", ".+"));
            assertTrue(set.next());
            assertEquals(Labels.of("__name__", "a"), set.at().labels());
            while (set.next()) {
                // b may or may not arrive before the error; either is correct.
            }
            StoreApiException e = assertInstanceOf(StoreApiException.class, set.err());
            assertEquals(Status.Code.INTERNAL, e.code());
            assertTrue(e.getMessage().contains("disk on fire") && e.getMessage().contains(server.address()), e.getMessage());
        }
    }
}
