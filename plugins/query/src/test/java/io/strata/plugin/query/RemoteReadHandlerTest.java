package io.strata.plugin.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.CodedInputStream;
import io.strata.api.http.HttpRequest;
import io.strata.api.http.HttpResponse;
import io.strata.api.labels.Labels;
import io.strata.plugin.promql.testing.MemoryStorage;
import io.strata.proto.prometheus.ChunkedReadResponse;
import io.strata.proto.prometheus.LabelMatcher;
import io.strata.proto.prometheus.Query;
import io.strata.proto.prometheus.ReadRequest;
import io.strata.proto.prometheus.ReadResponse;
import io.strata.plugin.tsdb.chunkenc.XorIterator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class RemoteReadHandlerTest {
    private final MemoryStorage storage = new MemoryStorage();

    RemoteReadHandlerTest() {
        for (int i = 0; i < 300; i++) {
            storage.append(Labels.of("__name__", "x", "job", "a"), i * 1000L, i);
        }
        storage.append(Labels.of("__name__", "y"), 0, 1);
    }

    private byte[] call(ReadRequest request, String[] contentType) throws Exception {
        RemoteReadHandler h = new RemoteReadHandler(() -> storage, () -> new ChunkEncodingQueryable(storage, 120), 1 << 20);
        byte[] body = Snappy.compress(request.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] status = {0};
        h.handle(new HttpRequest() {
            public String method() {
                return "POST";
            }

            public String path() {
                return "/api/v1/read";
            }

            public String header(String name) {
                return null;
            }

            public String parameter(String name) {
                return null;
            }

            public List<String> parameters(String name) {
                return List.of();
            }

            public InputStream body() {
                return new ByteArrayInputStream(body);
            }

            public String remoteAddress() {
                return "127.0.0.1";
            }
        }, new HttpResponse() {
            public void status(int code) {
                status[0] = code;
            }

            public void header(String name, String value) {
                if (name.equals("Content-Type")) {
                    contentType[0] = value;
                }
            }

            public OutputStream body() {
                return out;
            }
        });
        assertEquals(200, status[0]);
        return out.toByteArray();
    }

    private static ReadRequest request(ReadRequest.ResponseType type) {
        return ReadRequest.newBuilder().addAcceptedResponseTypes(type).addQueries(Query.newBuilder()
                .setStartTimestampMs(10_000).setEndTimestampMs(250_000)
                .addMatchers(LabelMatcher.newBuilder().setType(LabelMatcher.Type.EQ).setName("__name__").setValue("x"))).build();
    }

    @Test
    void samplesResponse() throws Exception {
        String[] type = {null};
        ReadResponse r = ReadResponse.parseFrom(Snappy.uncompress(call(request(ReadRequest.ResponseType.SAMPLES), type)));
        assertEquals("application/x-protobuf", type[0]);
        assertEquals(1, r.getResultsCount());
        assertEquals(1, r.getResults(0).getTimeseriesCount());
        var ts = r.getResults(0).getTimeseries(0);
        assertEquals(241, ts.getSamplesCount(), "samples from 10s to 250s inclusive");
        assertEquals(10_000, ts.getSamples(0).getTimestamp());
        assertEquals(250, ts.getSamples(240).getValue());
    }

    @Test
    void streamedChunksAreFramedWithChecksums() throws Exception {
        String[] type = {null};
        byte[] stream = call(request(ReadRequest.ResponseType.STREAMED_XOR_CHUNKS), type);
        assertEquals("application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse", type[0]);
        CodedInputStream in = CodedInputStream.newInstance(stream);
        int frames = 0;
        long samples = 0;
        long lastT = -1;
        while (!in.isAtEnd()) {
            int length = in.readUInt32();
            byte[] crcBytes = in.readRawBytes(4);
            byte[] message = in.readRawBytes(length);
            CRC32C crc = new CRC32C();
            crc.update(message);
            int expected = ((crcBytes[0] & 0xff) << 24) | ((crcBytes[1] & 0xff) << 16) | ((crcBytes[2] & 0xff) << 8) | (crcBytes[3] & 0xff);
            assertEquals(expected, (int) crc.getValue(), "frame checksum");
            ChunkedReadResponse r = ChunkedReadResponse.parseFrom(message);
            frames++;
            for (var chunk : r.getChunkedSeries(0).getChunksList()) {
                XorIterator it = new XorIterator();
                it.reset(chunk.getData().asReadOnlyByteBuffer());
                while (it.next()) {
                    lastT = it.atT();
                    samples++;
                }
            }
        }
        assertEquals(1, frames, "one series");
        assertEquals(241, samples);
        assertEquals(250_000, lastT);
    }
}
