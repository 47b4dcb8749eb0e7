package io.strata.plugin.storeapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.api.labels.Matcher;
import io.strata.api.storage.ChunkQuerier;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.SeriesSet;
import io.strata.plugin.tsdb.block.BlockWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class LocalBlocksTest {
    private static List<ChunkSeries> named(String name) {
        return ConformanceData.series().stream().filter(s -> s.labels().get("__name__").equals(name))
                .map(ConformanceData.TestSeries::asChunkSeries).toList();
    }

    private static int count(ChunkQuerier q, String name) {
        SeriesSet<ChunkSeries> set = q.select(true, null, Matcher.equal("__name__", name));
        int n = 0;
        while (set.next()) {
            n++;
        }
        assertNull(set.err());
        return n;
    }

    @Test
    void syncServesNewBlocksAndDropsVanishedOnesAfterTheirReadersClose(@TempDir Path dir) throws Exception {
        Path up = TestBlocks.write(dir, named("up"));
        try (LocalBlocks blocks = LocalBlocks.open(dir)) {
            assertEquals(1, blocks.blocks().size());
            StoreApiServer.TimeRange before = blocks.timeRange();

            Path sparse = TestBlocks.write(dir, named("sparse"));
            LocalBlocks.SyncResult added = blocks.sync();
            assertEquals(List.of(sparse.getFileName().toString()), added.added());
            assertEquals(2, blocks.blocks().size());
            assertTrue(blocks.timeRange().maxTime() > before.maxTime(), "the later block widens the range");

            ChunkQuerier reading = blocks.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE);
            BlockWriter.delete(up);
            LocalBlocks.SyncResult dropped = blocks.sync();
            assertEquals(List.of(up.getFileName().toString()), dropped.dropped());
            assertEquals(1, blocks.blocks().size());
            assertEquals(4, count(reading, "up"), "a querier opened before the drop still reads the dropped block");
            reading.close();
            try (ChunkQuerier after = blocks.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                assertEquals(0, count(after, "up"));
                assertEquals(1, count(after, "sparse"));
            }
        }
    }

    @Test
    void directoriesThatAreNotBlocksAreIgnored(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("wal"));
        Files.createDirectories(dir.resolve("chunks_head"));
        Files.createDirectories(dir.resolve("01BKGV7JBM69T2G1BGBGM6KB12.tmp-for-creation"));
        Files.createDirectories(dir.resolve("01BKGV7JBM69T2G1BGBGM6KB12"));
        try (LocalBlocks blocks = LocalBlocks.open(dir)) {
            assertEquals(List.of(), blocks.blocks());
            assertEquals(StoreApiServer.TimeRange.EMPTY, blocks.timeRange());
        }
    }

    @Test
    void aCorruptBlockIsReportedWithItsPathAndTheOthersAreServed(@TempDir Path dir) throws Exception {
        Path good = TestBlocks.write(dir, named("up"));
        Path block = dir.resolve("01BKGV7JBM69T2G1BGBGM6KB12");
        Files.createDirectories(block);
        Files.writeString(block.resolve("meta.json"), "{ not json");
        try (LocalBlocks blocks = LocalBlocks.open(dir)) {
            assertEquals(1, blocks.blocks().size(), "the good block is served");
            assertEquals(good.getFileName().toString(), blocks.blocks().get(0).meta().ulid());
            String problem = blocks.corruptBlocks().get("01BKGV7JBM69T2G1BGBGM6KB12");
            assertTrue(problem != null && problem.contains(block.toString()), String.valueOf(blocks.corruptBlocks()));
            blocks.sync();
            assertEquals(1, blocks.corruptBlocks().size(), "a known corrupt block is not retried at every sync");
            try (ChunkQuerier q = blocks.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                assertTrue(count(q, "up") > 0);
            }
        }
    }
}
