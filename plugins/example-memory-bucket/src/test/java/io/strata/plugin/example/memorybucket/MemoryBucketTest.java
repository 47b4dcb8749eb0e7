package io.strata.plugin.example.memorybucket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.strata.api.objstore.Bucket;
import io.strata.api.objstore.BucketAcceptanceTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryBucketTest extends BucketAcceptanceTest {
    private static final long MAX_OBJECT_BYTES = 128L * 1024 * 1024;

    @Override
    protected Bucket newBucket(Path tempDir) {
        return new MemoryBucket("test", MAX_OBJECT_BYTES, closed -> { });
    }

    /**
     * A memory bucket holds every object in the heap, so an object larger than the heap cannot be
     * stored by design; this still checks a sizeable streamed round trip through the same test.
     */
    @Override
    protected long largeObjectBytes() {
        return 64L * 1024 * 1024;
    }

    @Test
    void uploadLargerThanTheLimitFailsAndKeepsThePreviousObject() throws IOException {
        MemoryBucket small = new MemoryBucket("small", 10, closed -> { });
        small.upload("x", new ByteArrayInputStream(new byte[10]));
        assertThrows(IOException.class, () -> small.upload("x", new ByteArrayInputStream(new byte[11])));
        assertEquals(10, small.attributes("x").size());
        assertThrows(IOException.class, () -> small.upload("y", new ByteArrayInputStream(new byte[100_000])));
        assertFalse(small.exists("y"));
    }

    @Test
    void constructorChecksItsArguments() {
        assertThrows(IllegalArgumentException.class, () -> new MemoryBucket(" ", 1, closed -> { }));
        assertThrows(IllegalArgumentException.class, () -> new MemoryBucket("m", -1, closed -> { }));
        assertThrows(IllegalArgumentException.class, () -> new MemoryBucket("m", Integer.MAX_VALUE, closed -> { }));
        assertThrows(NullPointerException.class, () -> new MemoryBucket("m", 1, null));
    }

    @Test
    void countsObjectsAndBytesAndEmptiesOnClose() throws IOException {
        MemoryBucket bucket = (MemoryBucket) bucket();
        bucket.upload("a/1", new ByteArrayInputStream(new byte[3]));
        bucket.upload("a/2", new ByteArrayInputStream(new byte[4]));
        assertEquals(2, bucket.objectCount());
        assertEquals(7, bucket.byteCount());
        bucket.close();
        assertEquals(0, bucket.objectCount());
        assertEquals(List.of(), list("", true));
    }
}
