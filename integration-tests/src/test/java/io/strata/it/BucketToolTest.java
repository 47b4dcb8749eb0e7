package io.strata.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata tools bucket} over a Thanos objstore YAML file, from the distribution. */
class BucketToolTest {
    @TempDir
    Path work;

    @Test
    void listsAndReadsABucketDescribedByThanosYaml() throws Exception {
        Path dir = work.resolve("bucket");
        Files.createDirectories(dir.resolve("tenant-a/01ABC"));
        Files.writeString(dir.resolve("tenant-a/01ABC/meta.json"), "{\"version\":1}");
        Files.writeString(dir.resolve("tenant-a/top.txt"), "top");
        Files.writeString(dir.resolve("outside.txt"), "not under the prefix");
        Path yaml = work.resolve("objstore.yml");
        Files.writeString(yaml, "# Thanos objstore file\ntype: FILESYSTEM\nconfig:\n  directory: \"" + dir + "\"\nprefix: tenant-a\n");

        StrataProcess.Result ls = StrataProcess.exec(work, "tools", "bucket", "ls", "-r", "--objstore.config-file=" + yaml);
        assertEquals(0, ls.exitCode(), ls.output());
        assertEquals("01ABC/meta.json\ntop.txt\n", ls.stdout(), ls.output());
        assertTrue(!ls.output().contains("outside.txt"), "the prefix confines the listing: " + ls.output());

        StrataProcess.Result cat = StrataProcess.exec(work, "tools", "bucket", "cat", "--objstore.config-file=" + yaml, "01ABC/meta.json");
        assertEquals(0, cat.exitCode(), cat.output());
        assertEquals("{\"version\":1}", cat.stdout(), cat.output());
    }

    @Test
    void badYamlAndUnknownTypesAreExplained() throws Exception {
        Path yaml = work.resolve("objstore.yml");
        Files.writeString(yaml, "type: NOPE\nconfig:\n  bucket: x\n");
        StrataProcess.Result r = StrataProcess.exec(work, "tools", "bucket", "ls", "--objstore.config-file=" + yaml);
        assertEquals(2, r.exitCode(), r.output());
        assertTrue(r.output().contains("unknown bucket type 'nope'; known types: filesystem"), r.output());

        Files.writeString(yaml, "type: FILESYSTEM\nconfig:\n  - directory\n");
        StrataProcess.Result bad = StrataProcess.exec(work, "tools", "bucket", "ls", "--objstore.config-file=" + yaml);
        assertEquals(2, bad.exitCode(), bad.output());
        assertTrue(bad.output().contains("objstore.yml") && bad.output().contains("3"), bad.output());
    }
}
