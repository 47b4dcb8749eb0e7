package io.strata.plugin.receive.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkQuerier;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.SelectHints;
import io.strata.api.storage.SeriesSet;
import io.strata.proto.prometheus.Label;
import io.strata.proto.prometheus.Sample;
import io.strata.proto.prometheus.TimeSeries;
import io.strata.proto.prometheus.WriteRequest;
import io.strata.proto.prometheus.write.v2.Request;
import io.strata.plugin.tsdb.DbOptions;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/** Remote write over a real loopback listener into real TSDBs in a temporary directory. */
class ReceiveIngestTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    Path dir;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private static final RemoteWriteHandler.Settings SETTINGS = new RemoteWriteHandler.Settings("THANOS-TENANT", "default-tenant",
            "THANOS-REPLICA", 1 << 20, 8 << 20, 1024, 1000);

    private TenantStorage storage(String name) throws Exception {
        TenantStorage s = new TenantStorage(dir.resolve(name), DbOptions.defaults(7_200_000), Labels.of("replica", name), "tenant_id", null);
        closeables.add(s);
        return s;
    }

    private RemoteWriteListener listener(SeriesWriter writer, TenantLimitsFile limits) throws Exception {
        RemoteWriteHandler h = new RemoteWriteHandler(SETTINGS, writer, limits == null ? t -> Limits.NONE : limits::limits, () -> true);
        RemoteWriteListener l = new RemoteWriteListener(new InetSocketAddress("127.0.0.1", 0), 4, 16, h);
        closeables.add(l);
        return l;
    }

    private static TimeSeries series(long t, double v, String... labels) {
        TimeSeries.Builder b = TimeSeries.newBuilder();
        for (int i = 0; i < labels.length; i += 2) {
            b.addLabels(Label.newBuilder().setName(labels[i]).setValue(labels[i + 1]));
        }
        return b.addSamples(Sample.newBuilder().setTimestamp(t).setValue(v)).build();
    }

    private static HttpResponse<String> post(int port, byte[] body, String contentType, String tenant) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/receive"))
                .header("Content-Encoding", "snappy").header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (tenant != null) {
            b.header("THANOS-TENANT", tenant);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> postV1(int port, WriteRequest r, String tenant) throws Exception {
        return post(port, Snappy.compress(r.toByteArray()), "application/x-protobuf", tenant);
    }

    /** Series labels and sample counts of the TSDB, "labels=count". */
    private static List<String> contents(TenantStorage s) {
        List<String> out = new ArrayList<>();
        try (ChunkQuerier q = new TenantsChunkQueryable(s::tenants, "tenant_id").chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet<ChunkSeries> set = q.select(true, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE), Matcher.regex("__name__", ".+"));
            while (set.next()) {
                ChunkSeries cs = set.at();
                long count = 0;
                ChunkIterator it = cs.chunks(null);
                while (it.next()) {
                    count += ByteBufferSamples.count(it);
                }
                out.add(cs.labels() + "=" + count);
            }
        }
        return out;
    }

    @Test
    void storesPerTenantSortsLabelsAndRefusesMalformedBodies() throws Exception {
        TenantStorage s = storage("a");
        RemoteWriteListener l = listener((t, b, rep, o) -> s.append(t, b, o), null);
        WriteRequest r = WriteRequest.newBuilder()
                .addTimeseries(series(1000, 1, "job", "node", "__name__", "up"))
                .addTimeseries(series(1000, 2, "__name__", "other", "empty", ""))
                .build();
        assertEquals(200, postV1(l.port(), r, null).statusCode());
        assertEquals(200, postV1(l.port(), WriteRequest.newBuilder().addTimeseries(series(1000, 5, "__name__", "x")).build(), "acme").statusCode());
        assertEquals(List.of("{__name__=\"other\", tenant_id=\"default-tenant\"}=1", "{__name__=\"up\", job=\"node\", tenant_id=\"default-tenant\"}=1",
                "{__name__=\"x\", tenant_id=\"acme\"}=1"), contents(s));

        HttpResponse<String> bad = post(l.port(), new byte[] {1, 2, 3, 4, 5}, "application/x-protobuf", null);
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("snappy"), bad.body());
        assertEquals(400, post(l.port(), Snappy.compress(new byte[] {(byte) 0xff, 1, 2, 3}), "application/x-protobuf", null).statusCode());
        HttpResponse<String> dup = postV1(l.port(), WriteRequest.newBuilder().addTimeseries(series(2000, 1, "__name__", "d", "a", "1", "a", "2")).build(), null);
        assertEquals(400, dup.statusCode());
        assertTrue(dup.body().contains("duplicate label name a") && dup.body().contains("__name__=\"d\""), dup.body());
        HttpResponse<String> huge = postV1(l.port(), WriteRequest.newBuilder().addTimeseries(series(2000, 1, "__name__", "h", "v", "x".repeat(5000))).build(), null);
        assertEquals(400, huge.statusCode());
        assertEquals(400, postV1(l.port(), WriteRequest.newBuilder().addTimeseries(series(2000, 1, "", "x")).build(), null).statusCode());
        assertEquals(415, post(l.port(), Snappy.compress(r.toByteArray()), "application/json", null).statusCode());
        assertEquals(415, post(l.port(), Snappy.compress(r.toByteArray()), "application/x-protobuf;proto=foo.Bar", null).statusCode());
        assertEquals(400, postV1(l.port(), r, "../etc").statusCode());
        assertEquals(3, contents(s).size());
    }

    @Test
    void reopensTenantsButNotOtherDirectoriesSharingTheRoot() throws Exception {
        TenantStorage s = storage("shared");
        s.tenant("acme");
        s.close();
        // what else lives in a data directory used as --tsdb.path
        Files.createDirectories(dir.resolve("shared/.osgi-cache/bundle1"));
        Files.createDirectories(dir.resolve("shared/bucket/01BKGV7JBM69T2G1BGBGM6KB12"));
        TenantStorage again = new TenantStorage(dir.resolve("shared"), DbOptions.defaults(7_200_000), Labels.of("replica", "shared"),
                "tenant_id", null);
        try {
            assertEquals(List.of("acme"), again.tenants().stream().map(TenantStorage.Tenant::id).toList());
        } finally {
            again.close();
        }
    }

    @Test
    void conflictsGet409WhileValidSamplesOfTheRequestAreStored() throws Exception {
        TenantStorage s = storage("a");
        RemoteWriteListener l = listener((t, b, rep, o) -> s.append(t, b, o), null);
        assertEquals(200, postV1(l.port(), WriteRequest.newBuilder().addTimeseries(series(5000, 1, "__name__", "m")).build(), null).statusCode());
        HttpResponse<String> resp = postV1(l.port(), WriteRequest.newBuilder()
                .addTimeseries(series(4000, 1, "__name__", "m"))
                .addTimeseries(series(5000, 1, "__name__", "n")).build(), null);
        assertEquals(409, resp.statusCode());
        assertTrue(resp.body().contains("out of order") && resp.body().contains("__name__=\"m\""), resp.body());
        assertEquals(List.of("{__name__=\"m\", tenant_id=\"default-tenant\"}=1", "{__name__=\"n\", tenant_id=\"default-tenant\"}=1"), contents(s));
    }

    @Test
    void remoteWrite2WithSymbolsAnswersWithWrittenHeaders() throws Exception {
        TenantStorage s = storage("a");
        RemoteWriteListener l = listener((t, b, rep, o) -> s.append(t, b, o), null);
        Request r = Request.newBuilder().addAllSymbols(List.of("", "__name__", "up", "job", "node"))
                .addTimeseries(io.strata.proto.prometheus.write.v2.TimeSeries.newBuilder().addAllLabelsRefs(List.of(3, 4, 1, 2))
                        .addSamples(io.strata.proto.prometheus.write.v2.Sample.newBuilder().setTimestamp(1000).setValue(1))
                        .addSamples(io.strata.proto.prometheus.write.v2.Sample.newBuilder().setTimestamp(2000).setValue(2)))
                .build();
        HttpResponse<String> resp = post(l.port(), Snappy.compress(r.toByteArray()), "application/x-protobuf;proto=io.prometheus.write.v2.Request", null);
        assertEquals(204, resp.statusCode());
        assertEquals("2", resp.headers().firstValue("X-Prometheus-Remote-Write-Samples-Written").orElse(""));
        assertEquals("0", resp.headers().firstValue("X-Prometheus-Remote-Write-Histograms-Written").orElse(""));
        assertEquals("0", resp.headers().firstValue("X-Prometheus-Remote-Write-Exemplars-Written").orElse(""));
        assertEquals(List.of("{__name__=\"up\", job=\"node\", tenant_id=\"default-tenant\"}=2"), contents(s));
        Request badRef = Request.newBuilder().addAllSymbols(List.of("", "a")).addTimeseries(
                io.strata.proto.prometheus.write.v2.TimeSeries.newBuilder().addAllLabelsRefs(List.of(1, 9))).build();
        assertEquals(400, post(l.port(), Snappy.compress(badRef.toByteArray()), "application/x-protobuf;proto=io.prometheus.write.v2.Request", null).statusCode());
    }

    @Test
    void requestLimitsGive413AndHeadSeriesLimit429() throws Exception {
        TenantStorage s = storage("a");
        Path f = dir.resolve("limits.yaml");
        Files.writeString(f, "write:\n  default:\n    request:\n      series_limit: 2\n  tenants:\n    small:\n      head_series_limit: 1\n");
        TenantLimitsFile limits = new TenantLimitsFile(f.toString(), Duration.ofHours(1));
        closeables.add(limits);
        SeriesWriter w = (tenant, batch, replica, outcome) -> {
            Limits lim = limits.limits(tenant);
            if (lim.headSeries() > 0 && s.headSeries(tenant) >= lim.headSeries()) {
                outcome.fail(WriteOutcome.Failure.TOO_MANY_SERIES, "head series limit");
                return;
            }
            s.append(tenant, batch, outcome);
        };
        RemoteWriteListener l = listener(w, limits);
        WriteRequest three = WriteRequest.newBuilder().addTimeseries(series(1, 1, "__name__", "a")).addTimeseries(series(1, 1, "__name__", "b"))
                .addTimeseries(series(1, 1, "__name__", "c")).build();
        assertEquals(413, postV1(l.port(), three, null).statusCode());
        assertEquals(200, postV1(l.port(), WriteRequest.newBuilder().addTimeseries(series(1, 1, "__name__", "a")).build(), "small").statusCode());
        assertEquals(429, postV1(l.port(), WriteRequest.newBuilder().addTimeseries(series(2, 1, "__name__", "b")).build(), "small").statusCode());
    }

    @Test
    void routerWithReplicationFactorTwoStoresEverySeriesTwiceOverThreeIngesters() throws Exception {
        List<TenantStorage> ingesters = new ArrayList<>();
        List<String> endpoints = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TenantStorage s = storage("i" + i);
            ingesters.add(s);
            WriteableStoreService svc = new WriteableStoreService((t, b, rep, o) -> s.append(t, b, o), "default-tenant", 1024, 1000, () -> true);
            Server server = ServerBuilder.forPort(0).addService(svc.definition()).build().start();
            closeables.add(() -> server.shutdownNow().awaitTermination());
            endpoints.add("127.0.0.1:" + server.getPort());
        }
        String ring = "[{\"endpoints\":[\"" + String.join("\",\"", endpoints) + "\"]}]";
        HashringRouter router = new HashringRouter("", ring, "hashmod", 2, "", null, Duration.ofSeconds(5), Duration.ofSeconds(5));
        closeables.add(router);
        RemoteWriteListener l = listener(router, null);
        WriteRequest.Builder r = WriteRequest.newBuilder();
        for (int i = 0; i < 30; i++) {
            r.addTimeseries(series(1000, i, "__name__", "m", "i", Integer.toString(i)));
        }
        assertEquals(200, postV1(l.port(), r.build(), null).statusCode());
        int total = 0;
        for (TenantStorage s : ingesters) {
            total += contents(s).size();
        }
        assertEquals(60, total);
    }
}
