package io.strata.api.objstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link Bucket} implementation must show. A storage backend's test extends
 * this class and implements {@link #newBucket(Path)}; each test gets a fresh, empty bucket.
 *
 * <p>The cases follow the contract Thanos's objstore acceptance test agrees on for its providers
 * (listing, ranged reads, overwrites, deletes), made stricter where Strata's SPI is: listings are
 * sorted, a missing object is an {@link ObjectNotFoundException} for every operation including
 * {@code delete}, uploads are atomic under concurrency, and large objects are streamed.
 *
 * <p>The size of the large-object case comes from the system property
 * {@value #LARGE_OBJECT_BYTES_PROPERTY}; by default it is the heap limit plus 64 MiB, so that an
 * implementation which buffers a whole object in the heap fails with an {@link OutOfMemoryError}.
 * Give the test JVM a small heap ({@code -Xmx256m}) to keep that case fast.
 */
public abstract class BucketAcceptanceTest {
    /** System property overriding the size in bytes of the object larger than the heap. */
    public static final String LARGE_OBJECT_BYTES_PROPERTY = "strata.bucket-acceptance.large-object-bytes";

    private static final byte[] TEST_DATA = "@test-data@".getBytes(StandardCharsets.UTF_8);
    private static final Duration CONCURRENCY_DEADLINE = Duration.ofSeconds(120);

    @TempDir
    Path temporaryDirectory;

    private Bucket bucket;

    /** A new, empty bucket; {@code tempDir} is a fresh directory the bucket may use. */
    protected abstract Bucket newBucket(Path tempDir) throws Exception;

    /**
     * Size of the object in {@link #objectLargerThanTheHeapIsStreamedWithoutBuffering()}. A backend
     * that necessarily keeps objects in the heap overrides this with a smaller size and says why.
     */
    protected long largeObjectBytes() {
        String configured = System.getProperty(LARGE_OBJECT_BYTES_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Long.parseLong(configured.trim());
        }
        return Runtime.getRuntime().maxMemory() + 64L * 1024 * 1024;
    }

    /** How far a last-modified time may be from the test's clock (remote stores have their own clocks). */
    protected Duration clockTolerance() {
        return Duration.ofSeconds(5);
    }

    /** The bucket under test. */
    protected final Bucket bucket() {
        return bucket;
    }

    @BeforeEach
    final void openBucket() throws Exception {
        bucket = newBucket(temporaryDirectory);
        assertNotNull(bucket, "newBucket returned null");
        assertNotNull(bucket.name(), "a bucket has a name for logs");
    }

    @AfterEach
    final void closeBucket() throws IOException {
        if (bucket != null) {
            bucket.close();
        }
    }

    // ---- reads of missing objects ----------------------------------------------------------

    @Test
    void getOfTheEmptyNameFailsWithoutBeingANotFoundError() {
        Exception error = assertThrows(Exception.class, () -> bucket.get(""));
        assertFalse(bucket.isNotFound(error), "an empty name is the caller's mistake, not a missing object: " + error);
    }

    @Test
    void missingObjectIsNotFoundForEveryOperation() throws IOException {
        String name = "id1/obj_1.some";
        assertNotFound(assertThrows(IOException.class, () -> bucket.get(name)));
        assertNotFound(assertThrows(IOException.class, () -> bucket.getRange(name, 0, 1)));
        assertNotFound(assertThrows(IOException.class, () -> bucket.getRange(name, 0, -1)));
        assertNotFound(assertThrows(IOException.class, () -> bucket.attributes(name)));
        assertNotFound(assertThrows(IOException.class, () -> bucket.delete(name)));
        assertFalse(bucket.exists(name));
    }

    @Test
    void notFoundIsOnlyReportedForNotFoundErrors() {
        assertTrue(bucket.isNotFound(new ObjectNotFoundException("x")));
        assertFalse(bucket.isNotFound(new IOException("disk on fire")));
        assertFalse(bucket.isNotFound(new IllegalArgumentException("bad name")));
    }

    @Test
    void deletedObjectIsNotFound() throws IOException {
        bucket.upload("a/b", bytes("x"));
        bucket.delete("a/b");
        assertFalse(bucket.exists("a/b"));
        assertNotFound(assertThrows(IOException.class, () -> bucket.get("a/b")));
        assertNotFound(assertThrows(IOException.class, () -> bucket.attributes("a/b")));
        assertNotFound(assertThrows(IOException.class, () -> bucket.delete("a/b")));
    }

    // ---- upload, get, exists, attributes ---------------------------------------------------

    @Test
    void uploadedObjectIsReadableAtOnceWithItsAttributes() throws IOException {
        Instant before = Instant.now().minus(clockTolerance());
        bucket.upload("id1/obj_1.some", new ByteArrayInputStream(TEST_DATA));
        Instant after = Instant.now().plus(clockTolerance());

        assertArrayEquals(TEST_DATA, read(bucket.get("id1/obj_1.some")));
        assertTrue(bucket.exists("id1/obj_1.some"));
        ObjectAttributes attributes = bucket.attributes("id1/obj_1.some");
        assertEquals(TEST_DATA.length, attributes.size());
        assertNotNull(attributes.lastModified());
        assertFalse(attributes.lastModified().isBefore(before), "last modified " + attributes.lastModified() + " before " + before);
        assertFalse(attributes.lastModified().isAfter(after), "last modified " + attributes.lastModified() + " after " + after);
    }

    @Test
    void directoryIsNotAnObject() throws IOException {
        bucket.upload("dir/sub/object", bytes("x"));
        assertFalse(bucket.exists("dir"));
        assertFalse(bucket.exists("dir/sub"));
        assertFalse(bucket.exists("dir/sub/obj"), "a name prefix is not an object");
        assertNotFound(assertThrows(IOException.class, () -> bucket.get("dir/sub")));
        assertNotFound(assertThrows(IOException.class, () -> bucket.attributes("dir/sub")));
        assertFalse(bucket.exists("dir/sub/object/below"), "an object is not a directory");
        assertNotFound(assertThrows(IOException.class, () -> bucket.get("dir/sub/object/below")));
        assertNotFound(assertThrows(IOException.class, () -> bucket.getRange("dir/sub/object/below", 1, 1)));
        assertNotFound(assertThrows(IOException.class, () -> bucket.attributes("dir/sub/object/below")));
        assertNotFound(assertThrows(IOException.class, () -> bucket.delete("dir/sub/object/below")));
    }

    @Test
    void deleteOfADirectoryNameIsNotFoundAndKeepsItsObjects() throws IOException {
        bucket.upload("dir/object", bytes("x"));
        assertNotFound(assertThrows(IOException.class, () -> bucket.delete("dir")));
        assertArrayEquals(bytes("x").readAllBytes(), read(bucket.get("dir/object")));
    }

    @Test
    void uploadOverwritesContentAndSize() throws IOException {
        bucket.upload("id1/obj_2.some", bytes("@test-data2@ and a longer tail"));
        bucket.upload("id1/obj_2.some", bytes("short"));
        assertEquals("short", string(bucket.get("id1/obj_2.some")));
        assertEquals(5, bucket.attributes("id1/obj_2.some").size());
        bucket.upload("id1/obj_2.some", bytes("short"));
        assertEquals("short", string(bucket.get("id1/obj_2.some")), "an identical upload is idempotent");
        assertEquals(List.of("id1/obj_2.some"), list("", true));
    }

    @Test
    void emptyObjectExistsAndReadsEmpty() throws IOException {
        bucket.upload("empty/object", InputStream.nullInputStream());
        assertTrue(bucket.exists("empty/object"));
        assertEquals(0, bucket.attributes("empty/object").size());
        assertEquals(0, read(bucket.get("empty/object")).length);
        assertEquals(0, read(bucket.getRange("empty/object", 0, -1)).length);
        assertEquals(List.of("empty/object"), list("empty/", false));
        assertEquals(List.of("empty/"), list("", false));
    }

    @Test
    void deeplyNestedNamesWork() throws IOException {
        String name = "a/b/c/d/e/f/g/object.bin";
        bucket.upload(name, bytes("deep"));
        assertEquals("deep", string(bucket.get(name)));
        assertEquals(List.of("a/b/c/"), list("a/b/", false));
        assertEquals(List.of("a/b/c/d/e/f/g/object.bin"), list("a/b/c/d/e/f/g/", false));
        assertEquals(List.of(name), list("a", true));
        bucket.delete(name);
        assertEquals(List.of(), list("", true));
        assertEquals(List.of(), list("", false), "directories left without objects are not listed");
        assertEquals(List.of(), list("a/b/", false));
    }

    @Test
    void namesWithSpacesPunctuationAndUnicodeRoundTrip() throws IOException {
        List<String> names = List.of("dir with space/a b.txt", "plus+and=equals,comma/x", "ünï/cødé-é.json", "tilde~/_under-score.");
        for (String name : names) {
            bucket.upload(name, bytes("content of " + name));
        }
        for (String name : names) {
            assertEquals("content of " + name, string(bucket.get(name)));
            assertTrue(bucket.exists(name), name);
        }
        assertEquals(new TreeSet<>(names).stream().toList(), list("", true));
    }

    @Test
    void contentRoundTripsAtBufferBoundaries() throws IOException {
        int[] sizes = {1, 255, 4095, 4096, 4097, 8191, 8192, 8193, 65535, 65536, 65537, 1024 * 1024 + 3};
        for (int size : sizes) {
            String name = "sizes/" + size;
            GeneratedContent content = new GeneratedContent(size, size);
            bucket.upload(name, content);
            byte[] read = read(bucket.get(name));
            assertEquals(size, read.length, name);
            for (int i = 0; i < size; i++) {
                if (read[i] != GeneratedContent.byteAt(size, i)) {
                    fail(name + ": byte " + i + " differs");
                }
            }
            assertEquals(size, bucket.attributes(name).size(), name);
        }
    }

    @Test
    void failedUploadLeavesThePreviousObjectAndNoTrace() throws IOException {
        bucket.upload("keep/object", bytes("previous"));
        InputStream failing = new FailingInputStream(100_000);
        assertThrows(IOException.class, () -> bucket.upload("keep/object", failing));
        assertThrows(IOException.class, () -> bucket.upload("keep/new-object", new FailingInputStream(100_000)));

        assertEquals("previous", string(bucket.get("keep/object")));
        assertFalse(bucket.exists("keep/new-object"));
        assertEquals(List.of("keep/object"), list("", true));
        assertEquals(List.of("keep/object"), list("keep/", false));
    }

    // ---- ranged reads -----------------------------------------------------------------------

    @Test
    void rangedReadsAtTheEdges() throws IOException {
        String name = "id1/obj_1.some";
        bucket.upload(name, new ByteArrayInputStream(TEST_DATA));
        int size = TEST_DATA.length;

        assertEquals("tes", string(bucket.getRange(name, 1, 3)));
        assertEquals("@", string(bucket.getRange(name, 0, 1)), "first byte");
        assertEquals("@test-data@", string(bucket.getRange(name, 0, size)), "whole object");
        assertEquals("@", string(bucket.getRange(name, size - 1, 1)), "last byte");
        assertEquals("@", string(bucket.getRange(name, size - 1, 100)), "last byte, length beyond the end");
        assertEquals("st-data@", string(bucket.getRange(name, 3, 9999)), "length beyond the end reads the rest");
        assertEquals("test-data@", string(bucket.getRange(name, 1, -1)), "length -1 reads to the end");
        assertEquals("@test-data@", string(bucket.getRange(name, 0, -1)), "offset 0, length -1 is the whole object");
        assertEquals("", string(bucket.getRange(name, 4, 0)), "length 0 is empty");
    }

    @Test
    void rangedReadFromTheEndOrBeyondIsEmptyOrAnError() throws IOException {
        String name = "id1/obj_1.some";
        bucket.upload(name, new ByteArrayInputStream(TEST_DATA));
        // Stores differ here (GCS answers 416, S3 an invalid-range error, a filesystem reads nothing):
        // either is acceptable, but the object exists, so it is never a not-found error.
        for (long offset : new long[] {TEST_DATA.length, TEST_DATA.length + 1L, 124_141L}) {
            try (InputStream in = bucket.getRange(name, offset, 3)) {
                assertEquals(0, in.readAllBytes().length, "offset " + offset);
            } catch (IOException | RuntimeException error) {
                assertFalse(bucket.isNotFound(error), "offset " + offset + " past the end is not a missing object: " + error);
            }
        }
    }

    @Test
    void negativeOffsetOrLengthIsRejected() throws IOException {
        bucket.upload("r", bytes("range"));
        Exception negativeOffset = assertThrows(Exception.class, () -> read(bucket.getRange("r", -1, 2)));
        assertFalse(bucket.isNotFound(negativeOffset));
        Exception negativeLength = assertThrows(Exception.class, () -> read(bucket.getRange("r", 0, -2)));
        assertFalse(bucket.isNotFound(negativeLength));
    }

    // ---- listing ----------------------------------------------------------------------------

    @Test
    void iterListsOneLevelOrEveryObject() throws IOException {
        uploadThanosLayout();

        assertEquals(List.of("id1/", "id2/", "obj_5.some"), list("", false), "root, one level");
        assertEquals(List.of("id1/obj_1.some", "id1/obj_2.some", "id1/obj_3.some", "id1/sub/subobj_1.some",
                "id1/sub/subobj_2.some", "id2/obj_4.some", "obj_5.some"), list("", true), "root, recursive");
        List<String> id1 = List.of("id1/obj_1.some", "id1/obj_2.some", "id1/obj_3.some", "id1/sub/");
        assertEquals(id1, list("id1/", false));
        assertEquals(id1, list("id1", false), "a directory without its trailing slash");
        List<String> id1Recursive = List.of("id1/obj_1.some", "id1/obj_2.some", "id1/obj_3.some",
                "id1/sub/subobj_1.some", "id1/sub/subobj_2.some");
        assertEquals(id1Recursive, list("id1/", true));
        assertEquals(id1Recursive, list("id1", true));
        assertEquals(List.of("id1/sub/subobj_1.some", "id1/sub/subobj_2.some"), list("id1/sub/", false));
    }

    @Test
    void iterOfAMissingDirectoryOrAnObjectIsEmpty() throws IOException {
        uploadThanosLayout();
        assertEquals(List.of(), list("id0", false));
        assertEquals(List.of(), list("id0/", true));
        assertEquals(List.of(), list("id1/sub/deeper/", false));
        assertEquals(List.of(), list("obj_5.some", false), "an object is not a directory");
        assertEquals(List.of(), list("obj_5.some", true));
    }

    @Test
    void iterOfAnEmptyBucketIsEmpty() throws IOException {
        assertEquals(List.of(), list("", false));
        assertEquals(List.of(), list("", true));
    }

    @Test
    void iterSortsByFullNameNotByDirectory() throws IOException {
        // '-' < '.' < '/' < '0': a per-directory walk that lists "a/" before its siblings gets this wrong.
        for (String name : List.of("a0", "a/b", "a.txt", "a-b", "a/c/d")) {
            bucket.upload(name, bytes(name));
        }
        assertEquals(List.of("a-b", "a.txt", "a/", "a0"), list("", false));
        assertEquals(List.of("a-b", "a.txt", "a/b", "a/c/d", "a0"), list("", true));
        assertEquals(List.of("a/b", "a/c/"), list("a/", false));
    }

    @Test
    void deletedObjectsAndEmptiedDirectoriesLeaveTheListing() throws IOException {
        uploadThanosLayout();
        bucket.delete("id1/obj_2.some");
        assertEquals(List.of("id1/obj_1.some", "id1/obj_3.some", "id1/sub/"), list("id1/", false));

        bucket.delete("id2/obj_4.some");
        assertEquals(List.of("id1/", "obj_5.some"), list("", false));

        bucket.delete("id1/sub/subobj_1.some");
        bucket.delete("id1/sub/subobj_2.some");
        assertEquals(List.of("id1/obj_1.some", "id1/obj_3.some"), list("id1/", false));
        assertEquals(List.of("id1/obj_1.some", "id1/obj_3.some", "obj_5.some"), list("", true));
    }

    // ---- concurrency ------------------------------------------------------------------------

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void concurrentUploadsOfOneNameNeverExposeAPartialObject() throws Exception {
        String name = "concurrent/same";
        int writers = 4;
        int uploadsPerWriter = 8;
        AtomicBoolean oneUploadDone = new AtomicBoolean();
        AtomicBoolean writersDone = new AtomicBoolean();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                writes.add(pool.submit((Callable<Void>) () -> {
                    for (int u = 0; u < uploadsPerWriter; u++) {
                        bucket.upload(name, new SelfDescribingPayload(writer, u).stream());
                        oneUploadDone.set(true);
                    }
                    return null;
                }));
            }
            List<Future<Integer>> reads = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                reads.add(pool.submit(() -> {
                    int complete = 0;
                    while (!writersDone.get()) {
                        boolean mustExist = oneUploadDone.get();
                        byte[] content;
                        try (InputStream in = bucket.get(name)) {
                            content = in.readAllBytes();
                        } catch (IOException error) {
                            if (!bucket.isNotFound(error) || mustExist) {
                                problems.add("read failed after an upload completed: " + error);
                            }
                            Thread.yield();
                            continue;
                        }
                        String problem = SelfDescribingPayload.check(content);
                        if (problem != null) {
                            problems.add(problem);
                        }
                        complete++;
                    }
                    return complete;
                }));
            }
            for (Future<?> write : writes) {
                write.get(CONCURRENCY_DEADLINE.toSeconds(), TimeUnit.SECONDS);
            }
            writersDone.set(true);
            for (Future<Integer> read : reads) {
                read.get(CONCURRENCY_DEADLINE.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            writersDone.set(true);
            pool.shutdownNow();
        }
        assertEquals(List.of(), List.copyOf(problems));

        byte[] last = read(bucket.get(name));
        assertNull(SelfDescribingPayload.check(last));
        assertEquals(uploadsPerWriter - 1, SelfDescribingPayload.upload(last),
                "the surviving object is the last upload of one of the writers");
        assertEquals(last.length, bucket.attributes(name).size());
        assertEquals(List.of(name), list("", true));
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void concurrentUploadsOfDifferentNamesAllLandAndListingsShowOnlyObjects() throws Exception {
        int writers = 4;
        int objectsPerWriter = 12;
        AtomicBoolean writersDone = new AtomicBoolean();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        Set<String> expected = new TreeSet<>();
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                for (int o = 0; o < objectsPerWriter; o++) {
                    expected.add(differentName(writer, o));
                }
                writes.add(pool.submit((Callable<Void>) () -> {
                    for (int o = 0; o < objectsPerWriter; o++) {
                        bucket.upload(differentName(writer, o), new SelfDescribingPayload(writer, o).stream());
                    }
                    return null;
                }));
            }
            Future<?> lister = pool.submit((Callable<Void>) () -> {
                while (!writersDone.get()) {
                    List<String> seen = list("concurrent/", true);
                    for (String name : seen) {
                        if (!expected.contains(name)) {
                            problems.add("listed a name nobody uploaded: " + name);
                        }
                    }
                    if (!seen.stream().sorted().toList().equals(seen)) {
                        problems.add("listing is not sorted: " + seen);
                    }
                    Thread.yield();
                }
                return null;
            });
            for (Future<?> write : writes) {
                write.get(CONCURRENCY_DEADLINE.toSeconds(), TimeUnit.SECONDS);
            }
            writersDone.set(true);
            lister.get(CONCURRENCY_DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } finally {
            writersDone.set(true);
            pool.shutdownNow();
        }
        assertEquals(List.of(), List.copyOf(problems));
        assertEquals(List.copyOf(expected), list("concurrent/", true));
        for (int w = 0; w < writers; w++) {
            for (int o = 0; o < objectsPerWriter; o++) {
                byte[] content = read(bucket.get(differentName(w, o)));
                assertNull(SelfDescribingPayload.check(content));
                assertEquals(o, SelfDescribingPayload.upload(content));
            }
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void deletesThatEmptyADirectoryDoNotBreakConcurrentUploadsIntoIt() throws Exception {
        // A store that removes emptied directories (as a filesystem does) must not lose an upload
        // that creates the same directory at that moment.
        int rounds = 60;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> churn = pool.submit((Callable<Void>) () -> {
                for (int i = 0; i < rounds; i++) {
                    bucket.upload("race/dir/churn", bytes("c" + i));
                    bucket.delete("race/dir/churn");
                }
                return null;
            });
            Future<?> keep = pool.submit((Callable<Void>) () -> {
                for (int i = 0; i < rounds; i++) {
                    String name = "race/dir/keep-" + i;
                    bucket.upload(name, bytes("k" + i));
                    assertEquals("k" + i, string(bucket.get(name)), "read right after its upload");
                    bucket.delete(name);
                }
                bucket.upload("race/dir/kept", bytes("kept"));
                return null;
            });
            churn.get(CONCURRENCY_DEADLINE.toSeconds(), TimeUnit.SECONDS);
            keep.get(CONCURRENCY_DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of("race/dir/kept"), list("", true));
        assertEquals("kept", string(bucket.get("race/dir/kept")));
    }

    // ---- large objects ----------------------------------------------------------------------

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void objectLargerThanTheHeapIsStreamedWithoutBuffering() throws IOException {
        long size = largeObjectBytes();
        long seed = 42;
        GeneratedContent content = new GeneratedContent(seed, size);
        try {
            bucket.upload("large/object", content);
        } catch (OutOfMemoryError buffered) {
            fail("uploading " + size + " bytes exhausted the heap: the bucket buffers objects instead of streaming them");
        }
        assertEquals(size, content.position(), "upload consumed the whole stream");
        long uploadedChecksum = content.checksum();

        assertEquals(size, bucket.attributes("large/object").size());

        CRC32 downloaded = new CRC32();
        long downloadedBytes = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = bucket.get("large/object")) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                downloaded.update(buffer, 0, n);
                downloadedBytes += n;
            }
        } catch (OutOfMemoryError buffered) {
            fail("reading " + size + " bytes exhausted the heap: the bucket buffers objects instead of streaming them");
        }
        assertEquals(size, downloadedBytes);
        assertEquals(uploadedChecksum, downloaded.getValue(), "checksum of the object read back");

        long tailOffset = Math.max(0, size - 17);
        byte[] tail = read(bucket.getRange("large/object", tailOffset, 100));
        assertEquals(size - tailOffset, tail.length);
        for (int i = 0; i < tail.length; i++) {
            assertEquals(GeneratedContent.byteAt(seed, tailOffset + i), tail[i], "byte at " + (tailOffset + i));
        }
        bucket.delete("large/object");
        assertFalse(bucket.exists("large/object"));
    }

    // ---- helpers ----------------------------------------------------------------------------

    private void uploadThanosLayout() throws IOException {
        bucket.upload("id1/obj_1.some", bytes("@test-data@"));
        bucket.upload("id1/obj_2.some", bytes("@test-data2@"));
        bucket.upload("id1/obj_3.some", bytes("@test-data3@"));
        bucket.upload("id1/sub/subobj_1.some", bytes("@test-data4@"));
        bucket.upload("id1/sub/subobj_2.some", bytes("@test-data5@"));
        bucket.upload("id2/obj_4.some", bytes("@test-data6@"));
        bucket.upload("obj_5.some", bytes("@test-data7@"));
    }

    private static String differentName(int writer, int object) {
        return "concurrent/writer-" + writer + "/object-" + object;
    }

    /** The names {@code iter} reports, in its order. */
    protected final List<String> list(String dir, boolean recursive) throws IOException {
        List<String> names = new ArrayList<>();
        bucket.iter(dir, recursive, names::add);
        return names;
    }

    private void assertNotFound(IOException error) {
        assertTrue(error instanceof ObjectNotFoundException, "expected ObjectNotFoundException, got " + error);
        assertTrue(bucket.isNotFound(error), "isNotFound(" + error + ")");
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private static String string(InputStream in) throws IOException {
        return new String(read(in), StandardCharsets.UTF_8);
    }

    /**
     * A reproducible stream of pseudo-random bytes of any length that never holds more than one
     * read's worth in memory, and keeps a CRC32 of what it delivered.
     */
    static final class GeneratedContent extends InputStream {
        private final long seed;
        private final long size;
        private final CRC32 checksum = new CRC32();
        private long position;

        GeneratedContent(long seed, long size) {
            if (size < 0) {
                throw new IllegalArgumentException("size must not be negative: " + size);
            }
            this.seed = seed;
            this.size = size;
        }

        /** The byte at {@code position} of the content generated from {@code seed}. */
        static byte byteAt(long seed, long position) {
            return (byte) (word(seed, position >>> 3) >>> ((position & 7) << 3));
        }

        private static long word(long seed, long index) {
            long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        long position() {
            return position;
        }

        long checksum() {
            return checksum.getValue();
        }

        @Override
        public int read() {
            if (position >= size) {
                return -1;
            }
            byte b = byteAt(seed, position++);
            checksum.update(b);
            return b & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - position);
            long word = word(seed, position >>> 3);
            for (int i = 0; i < n; i++) {
                long p = position + i;
                int shift = (int) (p & 7);
                if (shift == 0) {
                    word = word(seed, p >>> 3);
                }
                buffer[offset + i] = (byte) (word >>> (shift << 3));
            }
            checksum.update(buffer, offset, n);
            position += n;
            return n;
        }
    }

    /**
     * Content that says who wrote it: an 8-byte header (writer, upload number) followed by bytes
     * generated from the header, of a length derived from it. A torn or mixed object fails
     * {@link #check}. Its stream hands out small pieces so that uploads overlap.
     */
    private static final class SelfDescribingPayload {
        private static final int HEADER_BYTES = 8;
        private final int writer;
        private final int upload;

        SelfDescribingPayload(int writer, int upload) {
            this.writer = writer;
            this.upload = upload;
        }

        private static long seed(long header) {
            return header * 31 + 7;
        }

        private static int length(long header) {
            return HEADER_BYTES + 96 * 1024 + (int) Math.floorMod(header * 7919, 64 * 1024);
        }

        InputStream stream() {
            long header = ((long) writer << 32) | upload;
            byte[] content = new byte[length(header)];
            for (int i = 0; i < HEADER_BYTES; i++) {
                content[i] = (byte) (header >>> (56 - 8 * i));
            }
            for (int i = HEADER_BYTES; i < content.length; i++) {
                content[i] = GeneratedContent.byteAt(seed(header), i);
            }
            return new ByteArrayInputStream(content) {
                @Override
                public synchronized int read(byte[] buffer, int offset, int length) {
                    Thread.yield();
                    return super.read(buffer, offset, Math.min(length, 4096));
                }
            };
        }

        static int upload(byte[] content) {
            return (int) header(content);
        }

        private static long header(byte[] content) {
            long header = 0;
            for (int i = 0; i < HEADER_BYTES; i++) {
                header = (header << 8) | (content[i] & 0xFF);
            }
            return header;
        }

        /** Null when {@code content} is one whole payload, else what is wrong with it. */
        static String check(byte[] content) {
            if (content.length < HEADER_BYTES) {
                return "object of " + content.length + " bytes has no complete header";
            }
            long header = header(content);
            if (content.length != length(header)) {
                return "object " + Long.toHexString(header) + " has " + content.length + " bytes, expected " + length(header);
            }
            for (int i = HEADER_BYTES; i < content.length; i++) {
                if (content[i] != GeneratedContent.byteAt(seed(header), i)) {
                    return "object " + Long.toHexString(header) + " differs at byte " + i;
                }
            }
            return null;
        }
    }

    /** A stream that delivers some bytes and then fails, like a dropped client connection. */
    private static final class FailingInputStream extends InputStream {
        private final long failAfter;
        private long position;

        FailingInputStream(long failAfter) {
            this.failAfter = failAfter;
        }

        @Override
        public int read() throws IOException {
            if (position >= failAfter) {
                throw new IOException("simulated failure of the source stream");
            }
            position++;
            return 'x';
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (position >= failAfter) {
                throw new IOException("simulated failure of the source stream");
            }
            int n = (int) Math.min(length, failAfter - position);
            Arrays.fill(buffer, offset, offset + n, (byte) 'x');
            position += n;
            return n;
        }
    }
}
