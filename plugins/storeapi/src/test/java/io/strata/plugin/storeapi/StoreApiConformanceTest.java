package io.strata.plugin.storeapi;

import static io.strata.plugin.storeapi.ConformanceData.EXTERNAL_LABELS;
import static io.strata.plugin.storeapi.ConformanceData.HOUR;
import static io.strata.plugin.storeapi.ConformanceData.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.ChunkSeries;
import io.strata.plugin.storeapi.internal.ProtoConversions;
import io.strata.plugin.tsdb.chunkenc.XorIterator;
import io.strata.proto.thanos.info.InfoGrpc;
import io.strata.proto.thanos.info.InfoRequest;
import io.strata.proto.thanos.info.InfoResponse;
import io.strata.proto.thanos.store.AggrChunk;
import io.strata.proto.thanos.store.Chunk;
import io.strata.proto.thanos.store.LabelMatcher;
import io.strata.proto.thanos.store.LabelNamesRequest;
import io.strata.proto.thanos.store.LabelValuesRequest;
import io.strata.proto.thanos.store.Series;
import io.strata.proto.thanos.store.SeriesRequest;
import io.strata.proto.thanos.store.SeriesResponse;
import io.strata.proto.thanos.store.StoreGrpc;
import io.strata.proto.thanos.store.ZLabelSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The conformance kit every StoreAPI server implementation passes. A subclass starts its server on a
 * loopback address holding {@link ConformanceData#series()} with {@link ConformanceData#EXTERNAL_LABELS};
 * the kit then talks to it over real gRPC with the generated stubs (not with {@link StoreApiClient}),
 * so what is checked is the wire behaviour a Thanos querier sees.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StoreApiConformanceTest {
    private ManagedChannel channel;
    private StoreGrpc.StoreBlockingStub store;

    /**
     * Starts the server under test with exactly these series (chunks sorted by time, XOR encoded)
     * and external labels; returns its {@code host:port} on a loopback interface.
     */
    protected abstract String startServer(List<ChunkSeries> series, Labels externalLabels) throws Exception;

    /** Stops the server started by {@link #startServer}. */
    protected abstract void stopServer() throws Exception;

    /**
     * True when the server sends the chunk bytes it was given unchanged (a store over blocks does; a
     * server that re-chunks samples may not, and is then only held to the decoded samples).
     */
    protected boolean passesChunkBytesThrough() {
        return true;
    }

    @BeforeAll
    final void startServerUnderTest() throws Exception {
        String address = startServer(ConformanceData.chunkSeries(), EXTERNAL_LABELS);
        channel = ManagedChannelBuilder.forTarget(address).usePlaintext().build();
        store = StoreGrpc.newBlockingStub(channel);
    }

    @AfterAll
    final void stopServerUnderTest() throws Exception {
        try {
            if (channel != null) {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        } finally {
            stopServer();
        }
    }

    // ---- helpers ----

    private StoreGrpc.StoreBlockingStub store() {
        return store.withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    protected static LabelMatcher eq(String name, String value) {
        return LabelMatcher.newBuilder().setType(LabelMatcher.Type.EQ).setName(name).setValue(value).build();
    }

    protected static LabelMatcher neq(String name, String value) {
        return LabelMatcher.newBuilder().setType(LabelMatcher.Type.NEQ).setName(name).setValue(value).build();
    }

    protected static LabelMatcher re(String name, String value) {
        return LabelMatcher.newBuilder().setType(LabelMatcher.Type.RE).setName(name).setValue(value).build();
    }

    protected static LabelMatcher nre(String name, String value) {
        return LabelMatcher.newBuilder().setType(LabelMatcher.Type.NRE).setName(name).setValue(value).build();
    }

    private static SeriesRequest.Builder request(long min, long max, LabelMatcher... matchers) {
        SeriesRequest.Builder b = SeriesRequest.newBuilder().setMinTime(min).setMaxTime(max);
        for (LabelMatcher m : matchers) {
            b.addMatchers(m);
        }
        return b;
    }

    private static SeriesRequest.Builder everything(LabelMatcher... matchers) {
        return request(Long.MIN_VALUE, Long.MAX_VALUE, matchers);
    }

    /** Every series of the response, in the order received; series split across frames are joined. */
    protected final List<Series> series(SeriesRequest request) {
        List<Series> out = new ArrayList<>();
        Iterator<SeriesResponse> it = store().series(request);
        while (it.hasNext()) {
            SeriesResponse r = it.next();
            List<Series> frame = switch (r.getResultCase()) {
                case SERIES -> List.of(r.getSeries());
                case BATCH -> r.getBatch().getSeriesList();
                default -> List.of();
            };
            for (Series s : frame) {
                if (!out.isEmpty() && out.get(out.size() - 1).getLabelsList().equals(s.getLabelsList())) {
                    out.set(out.size() - 1, out.get(out.size() - 1).toBuilder().addAllChunks(s.getChunksList()).build());
                } else {
                    out.add(s);
                }
            }
        }
        return out;
    }

    private static List<Labels> labelsOf(List<Series> series) {
        return series.stream().map(s -> ProtoConversions.labels(s.getLabelsList())).toList();
    }

    private static Matcher[] api(LabelMatcher... matchers) {
        return ProtoConversions.matchers(List.of(matchers));
    }

    private void assertSelects(LabelMatcher... matchers) {
        List<Labels> expected = ConformanceData.expected(EXTERNAL_LABELS, api(matchers));
        assertEquals(expected, labelsOf(series(everything(matchers).build())), () -> "series for " + List.of(api(matchers)));
    }

    private static ConformanceData.TestSeries data(Labels served) {
        for (ConformanceData.TestSeries s : ConformanceData.series()) {
            if (ConformanceData.served(s.labels(), EXTERNAL_LABELS).equals(served)) {
                return s;
            }
        }
        throw new AssertionError("the server returned a series that does not exist: " + served);
    }

    private static StatusRuntimeException assertStatus(Status.Code code, org.junit.jupiter.api.function.Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), () -> "status of " + e);
        return e;
    }

    // ---- Info ----

    @Test
    void infoReportsAStoreWithItsExternalLabelsAndTimeRange() {
        InfoResponse info = InfoGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS).info(InfoRequest.getDefaultInstance());
        assertTrue(StoreApiServer.COMPONENT_TYPES.contains(info.getComponentType()), info.getComponentType());
        List<Labels> sets = info.getLabelSetsList().stream().map(ZLabelSet::getLabelsList).map(ProtoConversions::labels).toList();
        assertEquals(List.of(EXTERNAL_LABELS), sets);
        assertTrue(info.hasStore(), "Info must describe the Store API");
        assertTrue(info.getStore().getMinTime() <= ConformanceData.minTime(), "min_time " + info.getStore().getMinTime());
        assertTrue(info.getStore().getMaxTime() >= ConformanceData.maxTime(), "max_time " + info.getStore().getMaxTime());
        assertTrue(info.getStore().getSupportsWithoutReplicaLabels());
    }

    // ---- Series: order, labels, chunks ----

    @Test
    void seriesAreSortedInUtf8OrderAndCarryTheExternalLabels() {
        List<Labels> got = labelsOf(series(everything(re("__name__", ".+")).build()));
        List<Labels> expected = ConformanceData.expected(EXTERNAL_LABELS);
        assertEquals(expected, got);
        List<Labels> sorted = new ArrayList<>(got);
        sorted.sort(ConformanceData.GO_ORDER);
        assertEquals(sorted, got);
    }

    @Test
    void externalLabelsReplaceSeriesLabelsOfTheSameName() {
        List<Labels> got = labelsOf(series(everything(eq("job", "db")).build()));
        assertEquals(List.of(Labels.of("__name__", "up", "job", "db", "region", "eu", "replica", "0")), got);
    }

    @Test
    void chunksDecodeToTheStoredSamplesInTimeOrder() {
        XorIterator it = new XorIterator();
        for (Series s : series(everything(re("__name__", ".+")).build())) {
            ConformanceData.TestSeries d = data(ProtoConversions.labels(s.getLabelsList()));
            int n = 0;
            long previousMin = Long.MIN_VALUE;
            for (AggrChunk c : s.getChunksList()) {
                assertTrue(c.getMinTime() >= previousMin, "chunks sorted by min time");
                previousMin = c.getMinTime();
                assertTrue(c.hasRaw(), "raw chunk");
                assertEquals(Chunk.Encoding.XOR, c.getRaw().getType());
                it.reset(c.getRaw().getData().asReadOnlyByteBuffer());
                while (it.next()) {
                    assertTrue(it.atT() >= c.getMinTime() && it.atT() <= c.getMaxTime(), "sample inside its chunk's range");
                    assertEquals(d.timestamps()[n], it.atT(), "timestamp " + n + " of " + d.labels());
                    assertEquals(Double.doubleToRawLongBits(d.values()[n]), Double.doubleToRawLongBits(it.atV()), "value bits " + n + " of " + d.labels());
                    n++;
                }
                assertTrue(it.err() == null, () -> "decoding: " + it.err());
            }
            assertEquals(d.timestamps().length, n, "sample count of " + d.labels());
        }
    }

    /**
     * A server that passes chunks through sends the source's bytes and times unchanged; one that
     * re-chunks samples sends chunks in time order, not overlapping, each with the min and max time of
     * the samples it holds.
     */
    @Test
    void chunksAreTheSourcesOrHoldTheTimesTheyAnnounce() {
        XorIterator it = new XorIterator();
        for (Series s : series(everything(re("__name__", ".+")).build())) {
            ConformanceData.TestSeries d = data(ProtoConversions.labels(s.getLabelsList()));
            if (passesChunkBytesThrough()) {
                assertEquals(d.chunks().size(), s.getChunksCount(), "chunk count of " + d.labels());
                for (int i = 0; i < d.chunks().size(); i++) {
                    AggrChunk c = s.getChunks(i);
                    assertArrayEquals(d.chunks().get(i), c.getRaw().getData().toByteArray(), "bytes of chunk " + i + " of " + d.labels());
                    assertEquals(d.chunkMinTimes()[i], c.getMinTime());
                    assertEquals(d.chunkMaxTimes()[i], c.getMaxTime());
                }
                continue;
            }
            long previousMax = Long.MIN_VALUE;
            for (int i = 0; i < s.getChunksCount(); i++) {
                AggrChunk c = s.getChunks(i);
                assertTrue(c.getMinTime() > previousMax, "chunk " + i + " of " + d.labels() + " overlaps or precedes the one before");
                it.reset(c.getRaw().getData().asReadOnlyByteBuffer());
                assertTrue(it.next(), "chunk " + i + " of " + d.labels() + " is empty");
                assertEquals(c.getMinTime(), it.atT(), "min time of chunk " + i + " of " + d.labels());
                long last = it.atT();
                while (it.next()) {
                    last = it.atT();
                }
                assertTrue(it.err() == null, () -> "decoding: " + it.err());
                assertEquals(c.getMaxTime(), last, "max time of chunk " + i + " of " + d.labels());
                previousMax = c.getMaxTime();
            }
        }
    }

    // ---- Series: matchers ----

    @Test
    void equalityMatchers() {
        assertSelects(eq("__name__", "up"));
        assertSelects(eq("__name__", "up"), eq("job", "api"));
        assertSelects(eq("city", "Zürich"));
        assertSelects(eq("__name__", "nonexistent"));
    }

    @Test
    void inequalityMatchers() {
        assertSelects(eq("__name__", "up"), neq("job", "api"));
        assertSelects(eq("__name__", "http_requests_total"), neq("code", "500"));
    }

    @Test
    void regexMatchersAreFullyAnchored() {
        assertSelects(re("job", "api|web"));
        assertSelects(re("__name__", "http_.*"), re("code", "2.."));
        assertSelects(re("job", "ap"));
        assertSelects(re("city", ".*ich"));
    }

    @Test
    void negativeRegexMatchers() {
        assertSelects(eq("__name__", "up"), nre("job", "a.*"));
        assertSelects(re("__name__", ".+"), nre("instance", ".+"));
    }

    @Test
    void matchersThatMatchTheEmptyStringSelectSeriesWithoutTheLabel() {
        assertSelects(eq("__name__", "http_requests_total"), eq("code", ""));
        assertSelects(eq("__name__", "http_requests_total"), re("code", "|200"));
        assertSelects(eq("__name__", "up"), neq("instance", ""));
        assertSelects(eq("__name__", "temperature"), re("job", ".*"));
    }

    @Test
    void matchersOnExternalLabelsAreDecidedByTheExternalValue() {
        assertSelects(eq("region", "eu"), eq("__name__", "up"));
        assertSelects(eq("region", "us"), eq("__name__", "up"));
        assertSelects(neq("region", "eu"), eq("__name__", "up"));
        assertSelects(re("region", "e.*"));
        assertSelects(eq("replica", "x"));
    }

    @Test
    void aBadRegexIsAnInvalidArgumentNamingTheMatcher() {
        StatusRuntimeException e = assertStatus(Status.Code.INVALID_ARGUMENT,
                () -> series(everything(eq("__name__", "up"), re("job", "(unclosed")).build()));
        assertTrue(e.getStatus().getDescription() != null && e.getStatus().getDescription().contains("job"), e.getStatus().toString());
    }

    @Test
    void aRequestWithoutMatchersIsAnInvalidArgument() {
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> series(everything().build()));
    }

    @Test
    void maxTimeBeforeMinTimeIsAnInvalidArgument() {
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> series(request(T0 + HOUR, T0, eq("__name__", "up")).build()));
    }

    // ---- Series: time range, skip_chunks, without_replica_labels, limit, batches ----

    @Test
    void seriesWithoutDataInTheRangeAreLeftOut() {
        List<Labels> got = labelsOf(series(request(T0 + 3 * HOUR, T0 + 4 * HOUR, re("__name__", ".+")).build()));
        assertEquals(List.of(ConformanceData.served(Labels.of("__name__", "sparse", "job", "batch"), EXTERNAL_LABELS)), got);
        List<Labels> early = labelsOf(series(request(T0, T0 + HOUR / 2, eq("__name__", "http_requests_total")).build()));
        assertEquals(2, early.size(), "the web series starts an hour later: " + early);
    }

    @Test
    void chunksOutsideTheRangeArePruned() {
        long min = T0 + HOUR / 2;
        long max = T0 + HOUR / 2 + 10 * 60_000;
        List<Series> got = series(request(min, max, eq("__name__", "up"), eq("job", "api")).build());
        assertEquals(2, got.size());
        XorIterator it = new XorIterator();
        for (Series s : got) {
            ConformanceData.TestSeries d = data(ProtoConversions.labels(s.getLabelsList()));
            assertTrue(s.getChunksCount() < d.chunks().size(), "fewer chunks than the whole series");
            int inRange = 0;
            for (AggrChunk c : s.getChunksList()) {
                assertTrue(c.getMaxTime() >= min && c.getMinTime() <= max, "chunk [" + c.getMinTime() + ", " + c.getMaxTime() + "] overlaps");
                it.reset(c.getRaw().getData().asReadOnlyByteBuffer());
                while (it.next()) {
                    if (it.atT() >= min && it.atT() <= max) {
                        inRange++;
                    }
                }
            }
            long expected = java.util.Arrays.stream(d.timestamps()).filter(t -> t >= min && t <= max).count();
            assertEquals(expected, inRange, "every sample in range is present");
        }
    }

    @Test
    void skipChunksReturnsLabelsOnly() {
        List<Series> got = series(everything(re("__name__", ".+")).setSkipChunks(true).build());
        assertEquals(ConformanceData.expected(EXTERNAL_LABELS), labelsOf(got));
        for (Series s : got) {
            assertEquals(0, s.getChunksCount(), "chunks of " + s.getLabelsList());
        }
    }

    @Test
    void withoutReplicaLabelsRemovesThemAndSortsWithoutThem() {
        List<Labels> got = labelsOf(series(everything(re("__name__", ".+")).addWithoutReplicaLabels("replica").build()));
        List<Labels> expected = new ArrayList<>();
        for (Labels l : ConformanceData.expected(EXTERNAL_LABELS)) {
            expected.add(l.without(List.of("replica")));
        }
        expected.sort(ConformanceData.GO_ORDER);
        assertEquals(expected, got);
        for (Labels l : got) {
            assertFalse(l.has("replica"), l.toString());
        }
    }

    @Test
    void limitCapsTheNumberOfSeries() {
        List<Labels> all = ConformanceData.expected(EXTERNAL_LABELS);
        List<Labels> got = labelsOf(series(everything(re("__name__", ".+")).setLimit(3).build()));
        assertEquals(3, got.size(), got.toString());
        assertTrue(all.containsAll(got), got.toString());
        List<Labels> sorted = new ArrayList<>(got);
        sorted.sort(ConformanceData.GO_ORDER);
        assertEquals(sorted, got);
    }

    @Test
    void batchedResponsesHoldTheSameSeries() {
        List<Series> one = series(everything(re("__name__", ".+")).build());
        List<Series> batched = series(everything(re("__name__", ".+")).setResponseBatchSize(4).build());
        assertEquals(one, batched);
    }

    // ---- LabelNames and LabelValues ----

    private List<String> names(LabelNamesRequest.Builder r) {
        return store().labelNames(r.build()).getNamesList();
    }

    private List<String> values(LabelValuesRequest.Builder r) {
        return store().labelValues(r.build()).getValuesList();
    }

    private static LabelNamesRequest.Builder namesRequest(LabelMatcher... matchers) {
        return LabelNamesRequest.newBuilder().setStart(Long.MIN_VALUE).setEnd(Long.MAX_VALUE).addAllMatchers(List.of(matchers));
    }

    private static LabelValuesRequest.Builder valuesRequest(String name, LabelMatcher... matchers) {
        return LabelValuesRequest.newBuilder().setLabel(name).setStart(Long.MIN_VALUE).setEnd(Long.MAX_VALUE).addAllMatchers(List.of(matchers));
    }

    @Test
    void labelNamesIncludeExternalLabelsSorted() {
        assertEquals(List.of("__name__", "city", "code", "instance", "job", "region", "replica"), names(namesRequest()));
    }

    @Test
    void labelNamesWithMatchers() {
        assertEquals(List.of("__name__", "city", "region", "replica"), names(namesRequest(eq("__name__", "temperature"))));
        assertEquals(List.of("__name__", "code", "instance", "job", "region", "replica"),
                names(namesRequest(re("__name__", "http_.*"))));
        assertEquals(List.of(), names(namesRequest(eq("region", "us"))));
        assertEquals(List.of(), names(namesRequest(eq("__name__", "nonexistent"))));
    }

    @Test
    void labelNamesLimitAndWithoutReplicaLabels() {
        assertEquals(List.of("__name__", "city"), names(namesRequest().setLimit(2)));
        assertEquals(List.of("__name__", "city", "region"), names(namesRequest(eq("__name__", "temperature")).addWithoutReplicaLabels("replica")));
    }

    @Test
    void labelValuesWithMatchers() {
        assertEquals(List.of("api", "batch", "db", "web"), values(valuesRequest("job")));
        assertEquals(List.of("api", "db", "web"), values(valuesRequest("job", eq("__name__", "up"))));
        assertEquals(List.of("api"), values(valuesRequest("job", re("code", "5.."))));
        assertEquals(List.of("Zürich", "\uE000", "\uD83D\uDE00"), values(valuesRequest("city")), "UTF-8 order");
        assertEquals(List.of(), values(valuesRequest("job", eq("region", "us"))));
        assertEquals(List.of(), values(valuesRequest("nonexistent")));
    }

    @Test
    void labelValuesOfAnExternalLabelAreItsValue() {
        assertEquals(List.of("eu"), values(valuesRequest("region")));
        assertEquals(List.of("0"), values(valuesRequest("replica", eq("__name__", "up"))));
        assertEquals(List.of(), values(valuesRequest("region", eq("__name__", "nonexistent"))));
        assertEquals(List.of(), values(valuesRequest("replica").addWithoutReplicaLabels("replica")));
    }

    @Test
    void labelValuesLimit() {
        assertEquals(List.of("api", "batch"), values(valuesRequest("job").setLimit(2)));
    }

    @Test
    void labelRequestsWithBadInputAreInvalidArguments() {
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> values(valuesRequest("")));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> values(valuesRequest("job", re("job", "a(b"))));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> names(namesRequest(re("job", "a(b"))));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> names(namesRequest().setStart(10).setEnd(5)));
    }
}
