package io.strata.plugin.query;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.strata.api.http.HttpHandler;
import io.strata.api.http.HttpRequest;
import io.strata.api.http.HttpResponse;
import io.strata.api.labels.Labels;
import io.strata.api.labels.MatchType;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkQuerier;
import io.strata.api.storage.ChunkQueryable;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.Querier;
import io.strata.api.storage.Queryable;
import io.strata.api.storage.SampleIterator;
import io.strata.api.storage.SelectHints;
import io.strata.api.storage.Series;
import io.strata.api.storage.SeriesSet;
import io.strata.proto.prometheus.Chunk;
import io.strata.proto.prometheus.ChunkedReadResponse;
import io.strata.proto.prometheus.ChunkedSeries;
import io.strata.proto.prometheus.Label;
import io.strata.proto.prometheus.LabelMatcher;
import io.strata.proto.prometheus.Query;
import io.strata.proto.prometheus.QueryResult;
import io.strata.proto.prometheus.ReadHints;
import io.strata.proto.prometheus.ReadRequest;
import io.strata.proto.prometheus.ReadResponse;
import io.strata.proto.prometheus.Sample;
import io.strata.proto.prometheus.TimeSeries;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.CRC32C;
import org.xerial.snappy.Snappy;

/**
 * Prometheus remote read at {@code /api/v1/read} over the global view, so a Prometheus can
 * {@code remote_read} from it: SAMPLES (snappy-compressed ReadResponse) and STREAMED_XOR_CHUNKS
 * (frames of uvarint length, big-endian CRC32C and a ChunkedReadResponse per series).
 */
final class RemoteReadHandler implements HttpHandler {
    private static final String STREAMED_TYPE = "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse";
    private final Supplier<Queryable> samples;
    private final Supplier<ChunkQueryable> chunks;
    private final long maxRequestBytes;

    RemoteReadHandler(Supplier<Queryable> samples, Supplier<ChunkQueryable> chunks, long maxRequestBytes) {
        this.samples = samples;
        this.chunks = chunks;
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public void handle(HttpRequest req, HttpResponse resp) throws Exception {
        if (!req.method().equals("POST")) {
            resp.send(405, "text/plain; charset=utf-8", "remote read needs POST\n");
            return;
        }
        ReadRequest read;
        try (InputStream in = req.body()) {
            byte[] compressed = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxRequestBytes + 1));
            if (compressed.length > maxRequestBytes) {
                resp.send(413, "text/plain; charset=utf-8", "remote read request larger than " + maxRequestBytes + " bytes\n");
                return;
            }
            read = ReadRequest.parseFrom(Snappy.uncompress(compressed));
        } catch (InvalidProtocolBufferException e) {
            resp.send(400, "text/plain; charset=utf-8", "invalid remote read request: " + e.getMessage() + "\n");
            return;
        } catch (IOException e) {
            resp.send(400, "text/plain; charset=utf-8", "invalid snappy-compressed body: " + e.getMessage() + "\n");
            return;
        }
        List<Matcher[]> matchers = new ArrayList<>();
        try {
            for (Query q : read.getQueriesList()) {
                matchers.add(matchers(q));
            }
        } catch (IllegalArgumentException e) {
            resp.send(400, "text/plain; charset=utf-8", e.getMessage() + "\n");
            return;
        }
        boolean streamed = false;
        for (ReadRequest.ResponseType t : read.getAcceptedResponseTypesList()) {
            if (t == ReadRequest.ResponseType.STREAMED_XOR_CHUNKS) {
                streamed = true;
                break;
            }
            if (t == ReadRequest.ResponseType.SAMPLES) {
                break;
            }
        }
        if (streamed) {
            streamChunks(read, matchers, resp);
        } else {
            sendSamples(read, matchers, resp);
        }
    }

    private static Matcher[] matchers(Query q) {
        Matcher[] out = new Matcher[q.getMatchersCount()];
        for (int i = 0; i < out.length; i++) {
            LabelMatcher m = q.getMatchers(i);
            MatchType type = switch (m.getType()) {
                case EQ -> MatchType.EQUAL;
                case NEQ -> MatchType.NOT_EQUAL;
                case RE -> MatchType.REGEX;
                case NRE -> MatchType.NOT_REGEX;
                default -> throw new IllegalArgumentException("unknown matcher type " + m.getTypeValue() + " for label " + m.getName());
            };
            out[i] = Matcher.of(type, m.getName(), m.getValue());
        }
        return out;
    }

    private static SelectHints hints(Query q) {
        ReadHints h = q.getHints();
        long start = q.getStartTimestampMs();
        long end = Math.max(start, q.getEndTimestampMs());
        return new SelectHints(start, end, h.getStepMs(), h.getFunc(), h.getGroupingList(), h.getBy(), h.getRangeMs(), 0);
    }

    private void sendSamples(ReadRequest read, List<Matcher[]> matchers, HttpResponse resp) throws IOException {
        ReadResponse.Builder response = ReadResponse.newBuilder();
        Queryable source = samples.get();
        for (int i = 0; i < read.getQueriesCount(); i++) {
            Query q = read.getQueries(i);
            SelectHints hints = hints(q);
            QueryResult.Builder result = QueryResult.newBuilder();
            try (Querier querier = source.querier(hints.start(), hints.end())) {
                SeriesSet<Series> set = querier.select(true, hints, matchers.get(i));
                SampleIterator it = null;
                while (set.next()) {
                    Series s = set.at();
                    TimeSeries.Builder ts = TimeSeries.newBuilder();
                    addLabels(s.labels(), ts::addLabels);
                    it = s.iterator(it);
                    if (it.seek(hints.start())) {
                        do {
                            if (it.atT() > hints.end()) {
                                break;
                            }
                            ts.addSamples(Sample.newBuilder().setTimestamp(it.atT()).setValue(it.atV()));
                        } while (it.next());
                    }
                    if (ts.getSamplesCount() > 0) {
                        result.addTimeseries(ts);
                    }
                }
                if (set.err() != null) {
                    resp.send(500, "text/plain; charset=utf-8", "remote read failed: " + set.err().getMessage() + "\n");
                    return;
                }
            }
            response.addResults(result);
        }
        byte[] body = Snappy.compress(response.build().toByteArray());
        resp.status(200);
        resp.header("Content-Type", "application/x-protobuf");
        resp.header("Content-Encoding", "snappy");
        resp.header("Content-Length", Integer.toString(body.length));
        try (OutputStream out = resp.body()) {
            out.write(body);
        }
    }

    private void streamChunks(ReadRequest read, List<Matcher[]> matchers, HttpResponse resp) throws IOException {
        resp.status(200);
        resp.header("Content-Type", STREAMED_TYPE);
        ChunkQueryable source = chunks.get();
        try (OutputStream out = resp.body()) {
            CRC32C crc = new CRC32C();
            for (int i = 0; i < read.getQueriesCount(); i++) {
                SelectHints hints = hints(read.getQueries(i));
                try (ChunkQuerier querier = source.chunkQuerier(hints.start(), hints.end())) {
                    SeriesSet<ChunkSeries> set = querier.select(true, hints, matchers.get(i));
                    ChunkIterator it = null;
                    while (set.next()) {
                        ChunkSeries s = set.at();
                        ChunkedSeries.Builder series = ChunkedSeries.newBuilder();
                        addLabels(s.labels(), series::addLabels);
                        it = s.chunks(it);
                        while (it.next()) {
                            series.addChunks(Chunk.newBuilder().setMinTimeMs(it.minTime()).setMaxTimeMs(it.maxTime())
                                    .setType(Chunk.Encoding.XOR).setData(com.google.protobuf.ByteString.copyFrom(it.bytes().duplicate())));
                        }
                        if (series.getChunksCount() == 0) {
                            continue;
                        }
                        byte[] message = ChunkedReadResponse.newBuilder().addChunkedSeries(series).setQueryIndex(i).build().toByteArray();
                        writeFrame(out, message, crc);
                    }
                }
            }
        }
    }

    private static void writeFrame(OutputStream out, byte[] message, CRC32C crc) throws IOException {
        crc.reset();
        crc.update(message);
        int sum = (int) crc.getValue();
        byte[] header = new byte[10 + 4];
        CodedOutputStream coded = CodedOutputStream.newInstance(header);
        coded.writeUInt32NoTag(message.length);
        int n = coded.getTotalBytesWritten();
        header[n] = (byte) (sum >>> 24);
        header[n + 1] = (byte) (sum >>> 16);
        header[n + 2] = (byte) (sum >>> 8);
        header[n + 3] = (byte) sum;
        out.write(header, 0, n + 4);
        out.write(message);
        out.flush();
    }

    private interface LabelSink {
        void add(Label label);
    }

    private static void addLabels(Labels labels, LabelSink sink) {
        for (int i = 0; i < labels.size(); i++) {
            sink.add(Label.newBuilder().setName(labels.name(i)).setValue(labels.value(i)).build());
        }
    }
}
