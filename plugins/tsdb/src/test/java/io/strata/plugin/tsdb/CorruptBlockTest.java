package io.strata.plugin.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.api.labels.Matcher;
import io.strata.plugin.tsdb.block.Block;
import io.strata.plugin.tsdb.index.IndexReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A block whose index fails its checksums is reported and left out; the other block is served. */
class CorruptBlockTest {

    static Path copyBlock(Path src, Path toDir) throws Exception {
        Path dst = toDir.resolve(src.getFileName());
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.toList()) {
                Path q = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.write(q, Files.readAllBytes(p));
                }
            }
        }
        return dst;
    }

    /** Flips the bits of a byte inside the first series entry (the section starts with padding to 16 bytes). */
    static long corruptFirstSeries(Path index) throws Exception {
        long seriesAt;
        try (IndexReader r = IndexReader.open(index)) {
            seriesAt = (r.toc()[1] + 15) / 16 * 16;
        }
        byte[] b = Files.readAllBytes(index);
        int at = (int) seriesAt + 2;
        b[at] ^= (byte) 0xFF;
        Files.write(index, b);
        return seriesAt;
    }

    static long seriesCount(Db db) {
        return DbTest.scan(db.querier(Long.MIN_VALUE, Long.MAX_VALUE), Matcher.regex("__name__", ".+"))[0];
    }

    @Test
    void corruptIndexIsReportedAndTheOtherBlockServed(@TempDir Path dir) throws Exception {
        Path good = copyBlock(TestData.goldenBlock("golden2"), dir);
        Path bad = copyBlock(TestData.goldenBlock("golden1"), dir);
        long goodSeries;
        long bothSeries;
        try (Db db = Db.open(dir, DbTest.options())) {
            assertEquals(2, db.blocks().size(), "both intact blocks open");
            assertEquals(0, db.corruptBlockCount());
            bothSeries = seriesCount(db);
        }
        try (Block b = Block.open(good)) {
            goodSeries = 0;
            var p = b.index().allPostings();
            while (p.next()) {
                goodSeries++;
            }
        }
        long seriesAt = corruptFirstSeries(bad.resolve("index"));
        // A plain open does not read the series section; the verified open used by Db does.
        Block.open(bad).close();

        try (Db db = Db.open(dir, DbTest.options())) {
            assertEquals(List.of(good.getFileName().toString()), db.blocks().stream().map(b -> b.meta().ulid()).toList());
            assertEquals(1, db.corruptBlockCount());
            Db.CorruptBlock c = db.corruptBlocks().get(0);
            assertEquals(bad.getFileName().toString(), c.ulid());
            assertEquals(bad.resolve("index"), c.file());
            assertEquals(seriesAt + 1, c.offset(), "offset of the series entry's data");
            assertTrue(c.problem().contains("checksum mismatch"), c.problem());
            assertEquals(goodSeries, seriesCount(db));
            assertTrue(goodSeries > 0 && goodSeries < bothSeries, goodSeries + " of " + bothSeries);
            // Compaction and retention leave the corrupt block alone.
            db.compact();
            assertTrue(Files.isDirectory(bad));
            assertEquals(1, db.corruptBlockCount());
        }
    }

    @Test
    void badChunkSegmentMagicIsReported(@TempDir Path dir) throws Exception {
        Path good = copyBlock(TestData.goldenBlock("golden2"), dir);
        Path bad = copyBlock(TestData.goldenBlock("golden1"), dir);
        Path seg = bad.resolve("chunks/000001");
        byte[] b = Files.readAllBytes(seg);
        b[1] ^= 1;
        Files.write(seg, b);
        try (Db db = Db.open(dir, DbTest.options())) {
            assertEquals(List.of(good.getFileName().toString()), db.blocks().stream().map(x -> x.meta().ulid()).toList());
            Db.CorruptBlock c = db.corruptBlocks().get(0);
            assertEquals(seg, c.file());
            assertEquals(0, c.offset());
            assertTrue(c.problem().contains("magic"), c.problem());
        }
    }

    @Test
    void verifyPassesOnIntactGoldenIndexes() throws Exception {
        for (String g : List.of("golden1", "golden2")) {
            try (IndexReader r = IndexReader.open(TestData.goldenBlock(g).resolve("index"))) {
                r.verify();
            }
        }
    }
}
