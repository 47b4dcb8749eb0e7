package io.strata.plugin.sidecar.internal;

import io.strata.api.labels.Labels;
import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkSeries;
import io.strata.plugin.storeapi.LoopbackGrpcServer;
import io.strata.plugin.storeapi.StoreApiConformanceTest;
import io.strata.plugin.storeapi.StoreApiServer;
import io.strata.plugin.tsdb.block.BlockMeta;
import io.strata.plugin.tsdb.block.BlockWriter;
import io.strata.plugin.tsdb.block.Ulid;
import io.strata.plugin.tsdb.chunks.EncodedChunks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * The StoreAPI kit against a real Prometheus: the kit's series are written as a block into the data
 * directory of a Prometheus started with the kit's external labels, and the sidecar's source reads
 * them back through remote read (STREAMED_XOR_CHUNKS, chunk bytes passed through).
 */
class RemoteReadConformanceTest extends StoreApiConformanceTest {
    private Path directory;
    private PrometheusServer prometheus;
    private LoopbackGrpcServer grpc;

    RemoteReadChunkSource.ResponseType responseType() {
        return RemoteReadChunkSource.ResponseType.STREAMED_XOR_CHUNKS;
    }

    /** Writes the series as one level-1 block under {@code directory}. */
    static String writeBlock(Path directory, List<ChunkSeries> series) throws Exception {
        TreeSet<String> symbols = new TreeSet<>();
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (ChunkSeries s : series) {
            s.labels().forEach((n, v) -> {
                symbols.add(n);
                symbols.add(v);
            });
            ChunkIterator it = s.chunks(null);
            while (it.next()) {
                min = Math.min(min, it.minTime());
                max = Math.max(max, it.maxTime());
            }
        }
        String ulid = Ulid.generate();
        try (BlockWriter w = new BlockWriter(directory, ulid, symbols, 512L << 20)) {
            EncodedChunks chunks = new EncodedChunks();
            for (ChunkSeries s : series) {
                chunks.clear();
                ChunkIterator it = s.chunks(null);
                while (it.next()) {
                    chunks.add(it.minTime(), it.maxTime(), it.encoding(), it.bytes());
                }
                w.addSeries(s.labels(), chunks);
            }
            w.commit(min, max + 1, BlockMeta.Compaction.level1(ulid), null);
        }
        return ulid;
    }

    @Override
    protected String startServer(List<ChunkSeries> series, Labels externalLabels) throws Exception {
        directory = Files.createTempDirectory("sidecar-conformance");
        Files.createDirectories(directory.resolve("data"));
        writeBlock(directory.resolve("data"), series);
        prometheus = PrometheusServer.start(directory, port -> PrometheusServer.config(externalLabels, false, port));
        PrometheusClient client = prometheus.client();
        RemoteReadChunkSource source = new RemoteReadChunkSource(client, responseType(), () -> Long.MIN_VALUE, 64 << 20);
        StoreApiServer server = new StoreApiServer(source, client.externalLabels(), "sidecar", () -> StoreApiServer.TimeRange.ALL);
        grpc = new LoopbackGrpcServer(server.services());
        return grpc.address();
    }

    @Override
    protected void stopServer() throws Exception {
        if (grpc != null) {
            grpc.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        if (directory != null) {
            TestFiles.deleteRecursively(directory);
        }
    }
}
