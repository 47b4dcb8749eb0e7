package io.strata.plugin.storeapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkQuerier;
import io.strata.api.storage.ChunkQueryable;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.LabelHints;
import io.strata.api.storage.SelectHints;
import io.strata.api.storage.SeriesSet;
import io.strata.plugin.tsdb.chunkenc.XorChunkBuilder;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Many series through real gRPC: every one arrives in order, and a client that stops early releases the server's querier. */
final class StoreApiServerStreamingTest {
    private static final int SERIES = 20_000;
    private static final byte[] CHUNK;

    static {
        XorChunkBuilder b = new XorChunkBuilder();
        for (int i = 0; i < 120; i++) {
            b.append(i * 15_000L, i);
        }
        CHUNK = b.toByteArray();
    }

    /** Generated series {__name__="m", i="00000", ...} in order; counts what was read and queriers closed. */
    private static final class GeneratedSource implements ChunkQueryable {
        final AtomicInteger produced = new AtomicInteger();
        final CountDownLatch closed = new CountDownLatch(1);
        private final int count;

        GeneratedSource(int count) {
            this.count = count;
        }

        @Override
        public ChunkQuerier chunkQuerier(long minTime, long maxTime) {
            return new ChunkQuerier() {
                @Override
                public SeriesSet<ChunkSeries> select(boolean sorted, SelectHints hints, Matcher... matchers) {
                    return new SeriesSet<>() {
                        private int i = -1;

                        @Override
                        public boolean next() {
                            if (i + 1 >= count) {
                                return false;
                            }
                            i++;
                            produced.incrementAndGet();
                            return true;
                        }

                        @Override
                        public ChunkSeries at() {
                            Labels l = Labels.of("__name__", "m", "i", String.format("%07d", i));
                            return new ChunkSeries() {
                                @Override
                                public Labels labels() {
                                    return l;
                                }

                                @Override
                                public ChunkIterator chunks(ChunkIterator reuse) {
                                    return new ChunkIterator() {
                                        private boolean done;

                                        @Override
                                        public boolean next() {
                                            boolean has = !done;
                                            done = true;
                                            return has;
                                        }

                                        @Override
                                        public long minTime() {
                                            return 0;
                                        }

                                        @Override
                                        public long maxTime() {
                                            return 119 * 15_000L;
                                        }

                                        @Override
                                        public int encoding() {
                                            return ENCODING_XOR;
                                        }

                                        @Override
                                        public ByteBuffer bytes() {
                                            return ByteBuffer.wrap(CHUNK);
                                        }
                                    };
                                }
                            };
                        }
                    };
                }

                @Override
                public List<String> labelValues(String name, LabelHints hints, Matcher... matchers) {
                    return List.of();
                }

                @Override
                public List<String> labelNames(LabelHints hints, Matcher... matchers) {
                    return List.of();
                }

                @Override
                public void close() {
                    closed.countDown();
                }
            };
        }
    }

    private static void streamsAll(Labels external) throws Exception {
        GeneratedSource source = new GeneratedSource(SERIES);
        StoreApiServer server = new StoreApiServer(source, external, "store", () -> StoreApiServer.TimeRange.ALL);
        try (LoopbackGrpcServer grpc = new LoopbackGrpcServer(server.services());
             StoreApiClient client = StoreApiClient.connect(grpc.address());
             ChunkQuerier q = client.chunkQuerier(0, Long.MAX_VALUE)) {
            SeriesSet<ChunkSeries> set = q.select(true, null, Matcher.equal("__name__", "m"));
            int n = 0;
            while (set.next()) {
                assertEquals(String.format("%07d", n), set.at().labels().get("i"));
                assertEquals(external.get("replica"), set.at().labels().get("replica"));
                n++;
            }
            assertNull(set.err());
            assertEquals(SERIES, n);
            assertTrue(source.closed.await(30, TimeUnit.SECONDS), "the server closes its querier when the stream ends");
        }
    }

    @Test
    void everySeriesArrivesInOrderWhenStreamedDirectly() throws Exception {
        streamsAll(Labels.EMPTY);
    }

    @Test
    void everySeriesArrivesInOrderWhenSortedAfterAddingExternalLabels() throws Exception {
        streamsAll(Labels.of("replica", "1"));
    }

    @Test
    void aClientThatStopsEarlyReleasesTheServersQuerier() throws Exception {
        // Far more than HTTP/2 flow-control windows hold, so the server cannot have read them all.
        int many = 2_000_000;
        GeneratedSource source = new GeneratedSource(many);
        StoreApiServer server = new StoreApiServer(source, Labels.EMPTY, "store", () -> StoreApiServer.TimeRange.ALL);
        try (LoopbackGrpcServer grpc = new LoopbackGrpcServer(server.services());
             StoreApiClient client = StoreApiClient.connect(grpc.address())) {
            ChunkQuerier q = client.chunkQuerier(0, Long.MAX_VALUE);
            SeriesSet<ChunkSeries> set = q.select(true, null, Matcher.equal("__name__", "m"));
            for (int i = 0; i < 10; i++) {
                assertTrue(set.next());
            }
            q.close();
            assertTrue(source.closed.await(30, TimeUnit.SECONDS), "cancelling the call closes the server's querier");
            assertTrue(source.produced.get() < many, "flow control kept the server from reading everything: " + source.produced.get());
        }
    }
}
