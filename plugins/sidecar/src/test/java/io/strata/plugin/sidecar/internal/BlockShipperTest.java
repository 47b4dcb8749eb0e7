package io.strata.plugin.sidecar.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.api.labels.Labels;
import io.strata.api.storage.ChunkSeries;
import io.strata.plugin.storeapi.ConformanceData;
import io.strata.plugin.tsdb.block.BlockMeta;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockShipperTest {
    private static final Labels EXTERNAL = Labels.of("cluster", "eu1", "replica", "0");
    @TempDir
    Path tsdb;

    private String block() throws Exception {
        List<ChunkSeries> series = ConformanceData.chunkSeries();
        return RemoteReadConformanceTest.writeBlock(tsdb, series);
    }

    @Test
    void shipsEachBlockOnceWithMetaJsonLastAndRemembersIt() throws Exception {
        String first = block();
        RecordingBucket bucket = new RecordingBucket();
        BlockShipper shipper = new BlockShipper(tsdb, bucket, EXTERNAL, false);
        assertEquals(List.of(first), shipper.sync());
        assertEquals(first + "/meta.json", bucket.uploads.get(bucket.uploads.size() - 1));
        assertTrue(bucket.uploads.containsAll(List.of(first + "/index", first + "/chunks/000001")), bucket.uploads.toString());

        BlockMeta meta = BlockMeta.fromJson(new String(bucket.objects.get(first + "/meta.json"), StandardCharsets.UTF_8), Path.of("meta.json"));
        assertEquals(first, meta.ulid());
        assertEquals(Map.of("cluster", "eu1", "replica", "0"), meta.thanos().labels());
        assertEquals("sidecar", meta.thanos().source());
        assertEquals(0, meta.thanos().downsampleResolution());
        assertEquals(List.of("000001"), meta.thanos().segmentFiles());
        assertEquals(BlockMeta.read(tsdb.resolve(first)).stats(), meta.stats());
        String shipperFile = Files.readString(tsdb.resolve("thanos.shipper.json"));
        assertTrue(shipperFile.contains("\"version\": 1") && shipperFile.contains("\"" + first + "\""), shipperFile);

        int uploads = bucket.uploads.size();
        assertEquals(List.of(), shipper.sync());
        assertEquals(uploads, bucket.uploads.size());

        String second = block();
        // a new shipper (a restart) reads the record and uploads only the new block
        assertEquals(List.of(second), new BlockShipper(tsdb, bucket, EXTERNAL, false).sync());
    }

    @Test
    void compactedBlocksOnlyWhenAskedAndFailuresAreRetried() throws Exception {
        String ulid = block();
        BlockMeta meta = BlockMeta.read(tsdb.resolve(ulid));
        new BlockMeta(ulid, meta.minTime(), meta.maxTime(), meta.stats(),
                new BlockMeta.Compaction(2, List.of(ulid), false, List.of(), false, List.of()), null).write(tsdb.resolve(ulid));
        RecordingBucket bucket = new RecordingBucket();
        assertEquals(List.of(), new BlockShipper(tsdb, bucket, EXTERNAL, false).sync());
        bucket.failing = true;
        BlockShipper migrating = new BlockShipper(tsdb, bucket, EXTERNAL, true);
        assertThrows(IOException.class, migrating::sync);
        assertTrue(!Files.exists(tsdb.resolve("thanos.shipper.json")) || !Files.readString(tsdb.resolve("thanos.shipper.json")).contains(ulid));
        bucket.failing = false;
        assertEquals(List.of(ulid), migrating.sync());
    }

    @Test
    void aDirectoryBeingWrittenIsLeftForLater() throws Exception {
        Files.createDirectories(tsdb.resolve("01ARZ3NDEKTSV4RRFFQ69G5FAV"));
        Files.createDirectories(tsdb.resolve("wal"));
        assertEquals(List.of(), new BlockShipper(tsdb, new RecordingBucket(), EXTERNAL, false).sync());
    }
}
