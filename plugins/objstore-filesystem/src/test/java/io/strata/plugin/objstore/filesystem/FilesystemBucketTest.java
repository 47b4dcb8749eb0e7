package io.strata.plugin.objstore.filesystem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.api.objstore.Bucket;
import io.strata.api.objstore.BucketAcceptanceTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FilesystemBucketTest extends BucketAcceptanceTest {
    private Path root;

    @Override
    protected Bucket newBucket(Path tempDir) throws IOException {
        root = tempDir.resolve("bucket");
        return FilesystemBucket.open(root);
    }

    @Test
    void objectsAreFilesUnderTheRoot() throws IOException {
        bucket().upload("01ABC/chunks/000001", content("chunk"));
        assertEquals("chunk", Files.readString(root.resolve("01ABC/chunks/000001")));
    }

    @Test
    void filesWrittenByOtherProgramsAreObjects() throws IOException {
        Files.createDirectories(root.resolve("block"));
        Files.writeString(root.resolve("block/meta.json"), "{}");
        assertTrue(bucket().exists("block/meta.json"));
        assertEquals(List.of("block/"), list("", false));
        assertEquals("{}", new String(bucket().get("block/meta.json").readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void uploadsLeaveNoTemporaryFilesEvenWhenTheyFail() throws IOException {
        bucket().upload("a/b/object", content("first"));
        bucket().upload("a/b/object", content("second"));
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("source failed");
            }
        };
        assertThrows(IOException.class, () -> bucket().upload("a/b/other", failing));
        assertThrows(IOException.class, () -> bucket().upload("new/dir/object", failing));
        assertEquals(List.of(root.resolve("a/b/object")), filesUnderRoot());
        assertFalse(Files.exists(root.resolve("new")), "a failed upload removes the directories it created");
    }

    @Test
    void temporaryFilesAndDirectoriesHoldingOnlyThemAreNotListed() throws IOException {
        bucket().upload("dir/object", content("x"));
        Files.writeString(root.resolve("dir/" + FilesystemBucket.TEMPORARY_PREFIX + "123"), "partial");
        Files.createDirectories(root.resolve("inflight/deeper"));
        Files.writeString(root.resolve("inflight/deeper/" + FilesystemBucket.TEMPORARY_PREFIX + "456"), "partial");
        Files.createDirectories(root.resolve("empty"));

        assertEquals(List.of("dir/"), list("", false));
        assertEquals(List.of("dir/object"), list("", true));
        assertEquals(List.of("dir/object"), list("dir", false));
        assertEquals(List.of(), list("inflight/", false));
    }

    @Test
    void deleteRemovesTheDirectoriesItEmptiesButNotTheRoot() throws IOException {
        bucket().upload("a/b/c/object", content("x"));
        bucket().upload("a/sibling", content("y"));
        bucket().delete("a/b/c/object");
        assertFalse(Files.exists(root.resolve("a/b")), "a/b and a/b/c were emptied");
        assertTrue(Files.isDirectory(root.resolve("a")), "a still holds a/sibling");
        bucket().delete("a/sibling");
        assertFalse(Files.exists(root.resolve("a")));
        assertTrue(Files.isDirectory(root), "the root stays");
    }

    @Test
    void namesThatLeaveTheRootOrAliasAnotherNameAreRejected() {
        for (String name : List.of("../outside", "a/../../outside", "/absolute", "a//b", "./a", "a/./b", "a/",
                "dir/" + FilesystemBucket.TEMPORARY_PREFIX + "x", "back\\slash")) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> bucket().upload(name, content("x")), name);
            assertFalse(bucket().isNotFound(error));
            assertThrows(IllegalArgumentException.class, () -> bucket().get(name), name);
        }
        assertThrows(IllegalArgumentException.class, () -> bucket().iter("../", true, name -> { }));
        assertFalse(Files.exists(root.getParent().resolve("outside")));
    }

    @Test
    void uploadOverADirectoryOfObjectsFails() throws IOException {
        bucket().upload("dir/object", content("x"));
        assertThrows(IOException.class, () -> bucket().upload("dir", content("y")));
        assertEquals(List.of("dir/object"), list("", true));
    }

    @Test
    void openCreatesAMissingDirectoryAndRefusesAFile() throws IOException {
        Path nested = root.resolve("x/y/z");
        FilesystemBucket bucket = FilesystemBucket.open(nested);
        assertTrue(Files.isDirectory(nested));
        assertTrue(bucket.name().contains(nested.toString()), bucket.name());

        Path file = root.resolve("a-file");
        Files.writeString(file, "not a directory");
        assertThrows(NotDirectoryException.class, () -> FilesystemBucket.open(file));
    }

    @Test
    void readersKeepTheVersionTheyOpenedAcrossAnOverwrite() throws IOException {
        bucket().upload("object", content("old version"));
        try (InputStream reader = bucket().get("object")) {
            bucket().upload("object", content("new"));
            assertEquals("old version", new String(reader.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals("new", new String(bucket().get("object").readAllBytes(), StandardCharsets.UTF_8));
    }

    private List<Path> filesUnderRoot() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static InputStream content(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
