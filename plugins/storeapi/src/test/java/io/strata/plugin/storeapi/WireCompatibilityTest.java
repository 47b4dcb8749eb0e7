package io.strata.plugin.storeapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.strata.proto.prometheus.ChunkedReadResponse;
import io.strata.proto.prometheus.ReadRequest;
import io.strata.proto.prometheus.WriteRequest;
import io.strata.proto.thanos.hints.SeriesRequestHints;
import io.strata.proto.thanos.info.InfoGrpc;
import io.strata.proto.thanos.info.InfoResponse;
import io.strata.proto.thanos.store.AggrChunk;
import io.strata.proto.thanos.store.Chunk;
import io.strata.proto.thanos.store.Label;
import io.strata.proto.thanos.store.LabelMatcher;
import io.strata.proto.thanos.store.LabelValuesRequest;
import io.strata.proto.thanos.store.Series;
import io.strata.proto.thanos.store.SeriesRequest;
import io.strata.proto.thanos.store.SeriesResponse;
import io.strata.proto.thanos.store.StoreGrpc;
import io.strata.proto.thanos.store.WriteableStoreGrpc;
import org.junit.jupiter.api.Test;

/**
 * Proves the field numbers and names that travel on the wire by decoding and encoding hand-built
 * protobuf bytes (tag = field number << 3 | wire type) taken from the Thanos and Prometheus contracts.
 */
final class WireCompatibilityTest {
    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void grpcMethodPathsAreThanos() {
        assertEquals("thanos.Store/Series", StoreGrpc.getSeriesMethod().getFullMethodName());
        assertEquals("thanos.Store/LabelNames", StoreGrpc.getLabelNamesMethod().getFullMethodName());
        assertEquals("thanos.Store/LabelValues", StoreGrpc.getLabelValuesMethod().getFullMethodName());
        assertEquals("thanos.WriteableStore/RemoteWrite", WriteableStoreGrpc.getRemoteWriteMethod().getFullMethodName());
        assertEquals("thanos.info.Info/Info", InfoGrpc.getInfoMethod().getFullMethodName());
    }

    @Test
    void seriesRequestFieldNumbers() throws Exception {
        byte[] wire = bytes(
                0x08, 0x01,                                     // min_time = 1
                0x10, 0x02,                                     // max_time = 2
                0x1A, 0x08, 0x08, 0x02, 0x12, 0x01, 'a', 0x1A, 0x01, 'b', // matchers = 3 {type=RE, name=a, value=b}
                0x40, 0x01,                                     // skip_chunks = 8
                0x62, 0x12,                                     // query_hints = 12 (18 bytes)
                0x08, 0x0A,                                     //   step_millis = 1
                0x12, 0x03, 0x0A, 0x01, 'f',                    //   func = 2 {name = 1}
                0x22, 0x05, 0x08, 0x01, 0x1A, 0x01, 'g',        //   grouping = 4 {by = 1, labels = 3}
                0x2A, 0x02, 0x08, 0x05,                         //   range = 5 {millis = 1}
                0x72, 0x01, 'r',                                // without_replica_labels = 14
                0x78, 0x05,                                     // limit = 15
                0x80, 0x01, 0x40);                              // response_batch_size = 16
        SeriesRequest r = SeriesRequest.parseFrom(wire);
        assertEquals(1, r.getMinTime());
        assertEquals(2, r.getMaxTime());
        assertEquals(LabelMatcher.Type.RE, r.getMatchers(0).getType());
        assertEquals("a", r.getMatchers(0).getName());
        assertEquals("b", r.getMatchers(0).getValue());
        assertTrue(r.getSkipChunks());
        assertEquals(10, r.getQueryHints().getStepMillis());
        assertEquals("f", r.getQueryHints().getFunc().getName());
        assertTrue(r.getQueryHints().getGrouping().getBy());
        assertEquals("g", r.getQueryHints().getGrouping().getLabels(0));
        assertEquals(5, r.getQueryHints().getRange().getMillis());
        assertEquals("r", r.getWithoutReplicaLabels(0));
        assertEquals(5, r.getLimit());
        assertEquals(64, r.getResponseBatchSize());
        assertTrue(r.getUnknownFields().asMap().isEmpty(), "every field known");
        assertArrayEquals(wire, r.toByteArray(), "encodes back to the same bytes");
    }

    @Test
    void seriesResponseFieldNumbersAndChunkEncodings() throws Exception {
        SeriesResponse series = SeriesResponse.newBuilder().setSeries(Series.newBuilder()
                .addLabels(Label.newBuilder().setName("n").setValue("v"))
                .addChunks(AggrChunk.newBuilder().setMinTime(1).setMaxTime(2)
                        .setRaw(Chunk.newBuilder().setType(Chunk.Encoding.HISTOGRAM).setData(ByteString.copyFrom(bytes(0xAB))).setHash(3)))).build();
        byte[] expected = bytes(
                0x0A, 0x17,                                     // series = 1
                0x0A, 0x06, 0x0A, 0x01, 'n', 0x12, 0x01, 'v',   //   labels = 1 {name = 1, value = 2}
                0x12, 0x0D,                                     //   chunks = 2 (AggrChunk)
                0x08, 0x01, 0x10, 0x02,                         //     min_time = 1, max_time = 2
                0x1A, 0x07, 0x08, 0x01, 0x12, 0x01, 0xAB, 0x18, 0x03); // raw = 3 {type = 1 (HISTOGRAM=1), data = 2, hash = 3}
        assertArrayEquals(expected, series.toByteArray());
        assertArrayEquals(bytes(0x12, 0x01, 'w'), SeriesResponse.newBuilder().setWarning("w").build().toByteArray(), "warning = 2");
        assertArrayEquals(bytes(0x22, 0x00), SeriesResponse.newBuilder().setBatch(io.strata.proto.thanos.store.SeriesBatch.getDefaultInstance()).build().toByteArray(), "batch = 4");
        assertEquals(0, Chunk.Encoding.XOR_VALUE, "Thanos counts chunk encodings from 0");
        assertEquals(2, Chunk.Encoding.FLOAT_HISTOGRAM_VALUE);
    }

    @Test
    void labelValuesRequestFieldNumbers() throws Exception {
        LabelValuesRequest r = LabelValuesRequest.parseFrom(bytes(0x0A, 0x01, 'j', 0x20, 0x04, 0x28, 0x05, 0x3A, 0x00, 0x42, 0x01, 'r', 0x48, 0x09));
        assertEquals("j", r.getLabel());
        assertEquals(4, r.getStart());
        assertEquals(5, r.getEnd());
        assertEquals(1, r.getMatchersCount());
        assertEquals("r", r.getWithoutReplicaLabels(0));
        assertEquals(9, r.getLimit());
    }

    @Test
    void infoResponseFieldNumbers() throws Exception {
        InfoResponse r = InfoResponse.parseFrom(bytes(
                0x0A, 0x08, 0x0A, 0x06, 0x0A, 0x01, 'a', 0x12, 0x01, 'b', // label_sets = 1 {labels = 1}
                0x12, 0x05, 's', 't', 'o', 'r', 'e',                       // ComponentType = 2
                0x1A, 0x06, 0x08, 0x07, 0x10, 0x08, 0x28, 0x01));          // store = 3 {min_time = 1, max_time = 2, supports_without_replica_labels = 5}
        assertEquals("a", r.getLabelSets(0).getLabels(0).getName());
        assertEquals("store", r.getComponentType());
        assertEquals(7, r.getStore().getMinTime());
        assertEquals(8, r.getStore().getMaxTime());
        assertTrue(r.getStore().getSupportsWithoutReplicaLabels());
    }

    @Test
    void hintsTravelAsAnyWithTheThanosTypeUrl() {
        assertEquals("type.googleapis.com/hintspb.SeriesRequestHints", Any.pack(SeriesRequestHints.getDefaultInstance()).getTypeUrl());
    }

    @Test
    void prometheusRemoteReadAndWriteFieldNumbers() throws Exception {
        ReadRequest read = ReadRequest.parseFrom(bytes(0x0A, 0x04, 0x08, 0x01, 0x10, 0x02, 0x12, 0x01, 0x01));
        assertEquals(1, read.getQueries(0).getStartTimestampMs());
        assertEquals(2, read.getQueries(0).getEndTimestampMs());
        assertEquals(ReadRequest.ResponseType.STREAMED_XOR_CHUNKS, read.getAcceptedResponseTypes(0));
        ChunkedReadResponse chunked = ChunkedReadResponse.parseFrom(bytes(0x0A, 0x04, 0x12, 0x02, 0x18, 0x01, 0x10, 0x03));
        assertEquals(io.strata.proto.prometheus.Chunk.Encoding.XOR, chunked.getChunkedSeries(0).getChunks(0).getType(), "XOR is 1 in Prometheus");
        assertEquals(3, chunked.getQueryIndex());
        WriteRequest write = WriteRequest.parseFrom(bytes(0x0A, 0x0D, 0x12, 0x0B, 0x09, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x10, 0x07, 0x1A, 0x02, 0x20, 0x01));
        assertEquals(1.0, write.getTimeseries(0).getSamples(0).getValue());
        assertEquals(7, write.getTimeseries(0).getSamples(0).getTimestamp());
        assertEquals("", write.getMetadata(0).getHelp(), "metadata = 3");
        io.strata.proto.prometheus.write.v2.Request v2 = io.strata.proto.prometheus.write.v2.Request.parseFrom(bytes(0x22, 0x00, 0x22, 0x01, 'a', 0x2A, 0x02, 0x0A, 0x00));
        assertEquals(java.util.List.of("", "a"), v2.getSymbolsList());
        assertEquals(1, v2.getTimeseriesCount());
    }

    @Test
    void thanosWriteRequestFieldNumbers() throws Exception {
        io.strata.proto.thanos.store.WriteRequest w = io.strata.proto.thanos.store.WriteRequest.parseFrom(
                bytes(0x0A, 0x00, 0x12, 0x01, 't', 0x18, 0x02, 0x22, 0x03, 0x12, 0x01, 'u'));
        assertEquals(1, w.getTimeseriesCount());
        assertEquals("t", w.getTenant());
        assertEquals(2, w.getReplica());
        assertEquals("u", w.getTimeseriesTenantData(0).getTenant());
    }
}
