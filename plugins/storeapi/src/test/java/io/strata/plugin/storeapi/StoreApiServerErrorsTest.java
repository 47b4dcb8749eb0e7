package io.strata.plugin.storeapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.ChunkQuerier;
import io.strata.api.storage.ChunkQueryable;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.LabelHints;
import io.strata.api.storage.SelectHints;
import io.strata.api.storage.SeriesSet;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What clients see when the source behind a {@link StoreApiServer} fails. */
final class StoreApiServerErrorsTest {
    /**
     * A source that yields its first series and then fails with "disk read error"; label look-ups
     * fail with "index unreadable" when {@code labelsFail}, and find nothing otherwise.
     */
    private static final class FailingSource implements ChunkQueryable {
        private final boolean labelsFail;

        FailingSource(boolean labelsFail) {
            this.labelsFail = labelsFail;
        }

        private List<String> labels() {
            if (labelsFail) {
                throw new IllegalStateException("index unreadable");
            }
            return List.of();
        }

        @Override
        public ChunkQuerier chunkQuerier(long minTime, long maxTime) {
            ChunkSeries first = ConformanceData.series().get(0).asChunkSeries();
            return new ChunkQuerier() {
                @Override
                public SeriesSet<ChunkSeries> select(boolean sorted, SelectHints hints, Matcher... matchers) {
                    return new SeriesSet<>() {
                        private int i;

                        @Override
                        public boolean next() {
                            return i++ == 0;
                        }

                        @Override
                        public ChunkSeries at() {
                            return first;
                        }

                        @Override
                        public Exception err() {
                            return i > 1 ? new IOException("disk read error") : null;
                        }
                    };
                }

                @Override
                public List<String> labelValues(String name, LabelHints hints, Matcher... matchers) {
                    return labels();
                }

                @Override
                public List<String> labelNames(LabelHints hints, Matcher... matchers) {
                    return labels();
                }

                @Override
                public void close() {
                }
            };
        }
    }

    @Test
    void aSourceErrorEndsTheStreamWithInternalAndItsMessage() throws Exception {
        for (Labels external : List.of(Labels.EMPTY, Labels.of("replica", "0"))) {
            StoreApiServer server = new StoreApiServer(new FailingSource(false), external, "store", () -> StoreApiServer.TimeRange.ALL);
            try (LoopbackGrpcServer grpc = new LoopbackGrpcServer(server.services());
                 StoreApiClient client = StoreApiClient.connect(grpc.address());
                 ChunkQuerier q = client.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                SeriesSet<ChunkSeries> set = q.select(true, null, Matcher.regex("__name__", ".+"));
                while (set.next()) {
                    // the one good series may arrive before the error
                }
                StoreApiException e = assertInstanceOf(StoreApiException.class, set.err());
                assertEquals(Status.Code.INTERNAL, e.code());
                assertTrue(e.getMessage().contains("disk read error"), e.getMessage());
            }
        }
    }

    @Test
    void aLabelLookUpErrorIsInternalWithItsMessage() throws Exception {
        for (Labels external : List.of(Labels.EMPTY, Labels.of("replica", "0"))) {
            StoreApiServer server = new StoreApiServer(new FailingSource(true), external, "store", () -> StoreApiServer.TimeRange.ALL);
            try (LoopbackGrpcServer grpc = new LoopbackGrpcServer(server.services());
                 StoreApiClient client = StoreApiClient.connect(grpc.address());
                 ChunkQuerier q = client.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                StoreApiException names = assertThrows(StoreApiException.class, () -> q.labelNames(LabelHints.NONE));
                assertTrue(names.getMessage().contains("index unreadable"), names.getMessage());
                StoreApiException values = assertThrows(StoreApiException.class, () -> q.labelValues("job", LabelHints.NONE));
                assertEquals(Status.Code.INTERNAL, values.code());
            }
        }
    }

    @Test
    void aSourceThatCannotOpenAQuerierIsAnInternalError() throws Exception {
        ChunkQueryable broken = (min, max) -> {
            throw new IllegalStateException("blocks are closed");
        };
        StoreApiServer server = new StoreApiServer(broken, Labels.EMPTY, "store", () -> StoreApiServer.TimeRange.ALL);
        try (LoopbackGrpcServer grpc = new LoopbackGrpcServer(server.services());
             StoreApiClient client = StoreApiClient.connect(grpc.address());
             ChunkQuerier q = client.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet<ChunkSeries> set = q.select(true, null, Matcher.regex("__name__", ".+"));
            assertFalse(set.next());
            StoreApiException e = assertInstanceOf(StoreApiException.class, set.err());
            assertTrue(e.getMessage().contains("blocks are closed"), e.getMessage());
        }
    }

    @Test
    void theServerChecksItsArguments() {
        ChunkQueryable empty = (min, max) -> {
            throw new UnsupportedOperationException();
        };
        assertThrows(IllegalArgumentException.class, () -> new StoreApiServer(empty, Labels.EMPTY, "prometheus", () -> StoreApiServer.TimeRange.ALL));
        assertThrows(NullPointerException.class, () -> new StoreApiServer(null, Labels.EMPTY, "store", () -> StoreApiServer.TimeRange.ALL));
        assertThrows(NullPointerException.class, () -> new StoreApiServer(empty, null, "store", () -> StoreApiServer.TimeRange.ALL));
        assertThrows(IllegalArgumentException.class, () -> StoreApiClient.connect(" "));
    }
}
