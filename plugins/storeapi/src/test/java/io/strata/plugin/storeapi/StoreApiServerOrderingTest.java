package io.strata.plugin.storeapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.SeriesSet;
import io.strata.plugin.storeapi.internal.ProtoConversions;
import io.strata.proto.thanos.store.LabelMatcher;
import io.strata.proto.thanos.store.SeriesRequest;
import io.strata.proto.thanos.store.SeriesResponse;
import io.strata.proto.thanos.store.StoreGrpc;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random label sets full of prefix relations, served with random external and replica labels: the
 * streamed order is always the sorted order of the final labels, whether the source has the changed
 * label names (full sort) or not (sorting of prefix runs only).
 */
final class StoreApiServerOrderingTest {
    private static final String[] NAMES = {"__name__", "a", "b", "c", "m", "replica", "z"};
    private static final String[] VALUES = {"1", "2", "x"};

    /** Random labels; with {@code dense}, a and b are always set, so that few series are prefixes of many. */
    private static Labels randomLabels(Random r, boolean useReplica, boolean dense) {
        Labels.Builder b = new Labels.Builder().set("__name__", "m");
        for (String n : NAMES) {
            boolean always = dense && (n.equals("a") || n.equals("b"));
            if (!n.equals("__name__") && (useReplica || !n.equals("replica")) && (always || r.nextInt(3) == 0)) {
                b.set(n, VALUES[r.nextInt(VALUES.length)]);
            }
        }
        return b.build();
    }

    private static List<Labels> served(String address, List<String> without) {
        io.grpc.ManagedChannel ch = io.grpc.ManagedChannelBuilder.forTarget(address).usePlaintext().build();
        try {
            SeriesRequest req = SeriesRequest.newBuilder().setMinTime(Long.MIN_VALUE).setMaxTime(Long.MAX_VALUE)
                    .addMatchers(LabelMatcher.newBuilder().setType(LabelMatcher.Type.EQ).setName("__name__").setValue("m"))
                    .addAllWithoutReplicaLabels(without).setSkipChunks(true).build();
            List<Labels> out = new ArrayList<>();
            Iterator<SeriesResponse> it = StoreGrpc.newBlockingStub(ch).series(req);
            while (it.hasNext()) {
                out.add(ProtoConversions.labels(it.next().getSeries().getLabelsList()));
            }
            return out;
        } finally {
            ch.shutdownNow();
        }
    }

    @Test
    void theStreamIsSortedByFinalLabelsForRandomData() throws Exception {
        Random r = new Random(7);
        for (int round = 0; round < 60; round++) {
            boolean sourceHasReplica = round % 2 == 0;
            boolean dense = round % 5 >= 2;
            Set<Labels> distinct = new LinkedHashSet<>();
            for (int i = 0; i < 60; i++) {
                distinct.add(randomLabels(r, sourceHasReplica, dense));
            }
            List<ChunkSeries> series = new ArrayList<>();
            ConformanceData.TestSeries template = ConformanceData.series().get(0);
            for (Labels l : distinct) {
                series.add(new ConformanceData.TestSeries(l, template.timestamps(), template.values(), template.chunks(),
                        template.chunkMinTimes(), template.chunkMaxTimes()).asChunkSeries());
            }
            Labels external = switch (round % 4) {
                case 0, 1 -> Labels.of("replica", "0");
                case 2 -> Labels.of("b", "x", "replica", "1");
                default -> Labels.of("0", "first", "zz", "last");
            };
            List<String> without = round % 3 == 0 ? List.of() : List.of("replica");
            StoreApiServer server = new StoreApiServer(new InMemoryChunkSource(series), external, "store", () -> StoreApiServer.TimeRange.ALL);
            try (LoopbackGrpcServer grpc = new LoopbackGrpcServer(server.services())) {
                List<Labels> expected = new ArrayList<>();
                for (Labels l : distinct) {
                    expected.add(ConformanceData.served(l, external).without(without));
                }
                expected.sort(ConformanceData.GO_ORDER);
                int roundNumber = round;
                assertEquals(expected, served(grpc.address(), without), () -> "round " + roundNumber + ", external " + external + ", without " + without);
            }
        }
    }

    @Test
    void theClientSeesTheSameOrder() throws Exception {
        List<ChunkSeries> series = new ArrayList<>();
        ConformanceData.TestSeries template = ConformanceData.series().get(0);
        for (Labels l : List.of(Labels.of("__name__", "m"), Labels.of("__name__", "m", "a", "1"), Labels.of("__name__", "m", "a", "1", "z", "1"),
                Labels.of("__name__", "m", "b", "1"))) {
            series.add(new ConformanceData.TestSeries(l, template.timestamps(), template.values(), template.chunks(),
                    template.chunkMinTimes(), template.chunkMaxTimes()).asChunkSeries());
        }
        StoreApiServer server = new StoreApiServer(new InMemoryChunkSource(series), Labels.of("r", "0"), "store", () -> StoreApiServer.TimeRange.ALL);
        try (LoopbackGrpcServer grpc = new LoopbackGrpcServer(server.services());
             StoreApiClient client = StoreApiClient.connect(grpc.address());
             var q = client.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            SeriesSet<ChunkSeries> set = q.select(true, null, Matcher.equal("__name__", "m"));
            List<Labels> got = new ArrayList<>();
            while (set.next()) {
                got.add(set.at().labels());
            }
            assertNull(set.err());
            assertEquals(List.of(Labels.of("__name__", "m", "a", "1", "r", "0"), Labels.of("__name__", "m", "a", "1", "r", "0", "z", "1"),
                    Labels.of("__name__", "m", "b", "1", "r", "0"), Labels.of("__name__", "m", "r", "0")), got);
        }
    }
}
