package io.strata.plugin.example.memorybucket;

import io.strata.api.objstore.Bucket;
import io.strata.api.objstore.ObjectAttributes;
import io.strata.api.objstore.ObjectNotFoundException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * A {@link Bucket} in the heap: a sorted map from object name to an immutable byte array. An
 * upload is read completely before it replaces the map entry, so readers never see a part.
 */
public final class MemoryBucket implements Bucket {
    private final String name;
    private final long maxObjectBytes;
    private final Consumer<MemoryBucket> onClose;
    private final ConcurrentNavigableMap<String, StoredObject> objects = new ConcurrentSkipListMap<>();

    /** An object's content, never modified after it is stored, and when it was stored. */
    private record StoredObject(byte[] content, Instant lastModified) {
    }

    /**
     * @param name the bucket's name in logs
     * @param maxObjectBytes the largest upload accepted, at most {@link Integer#MAX_VALUE} - 8
     * @param onClose called once when the bucket is closed
     */
    public MemoryBucket(String name, long maxObjectBytes, Consumer<MemoryBucket> onClose) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(onClose, "onClose");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (maxObjectBytes < 0 || maxObjectBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxObjectBytes must be between 0 and 2^31 - 9: " + maxObjectBytes);
        }
        this.name = name;
        this.maxObjectBytes = maxObjectBytes;
        this.onClose = onClose;
    }

    @Override
    public String name() {
        return "memory:" + name;
    }

    /** The name given at creation. */
    public String bucketName() {
        return name;
    }

    /** Number of objects held now. */
    public int objectCount() {
        return objects.size();
    }

    /** Total size of the objects held now. */
    public long byteCount() {
        long bytes = 0;
        for (StoredObject object : objects.values()) {
            bytes += object.content.length;
        }
        return bytes;
    }

    @Override
    public void iter(String dir, boolean recursive, Consumer<String> consumer) {
        Objects.requireNonNull(consumer, "consumer");
        String prefix = directoryPrefix(dir);
        String key = objects.ceilingKey(prefix);
        while (key != null && key.startsWith(prefix)) {
            int slash = key.indexOf('/', prefix.length());
            if (recursive || slash < 0) {
                consumer.accept(key);
                key = objects.higherKey(key);
            } else {
                // Every name below this directory shares its prefix and sorts in one run: report the
                // directory once and skip past the run.
                String directory = key.substring(0, slash + 1);
                consumer.accept(directory);
                key = objects.higherKey(directory + Character.MAX_VALUE);
            }
        }
    }

    @Override
    public InputStream get(String name) throws IOException {
        return new ByteArrayInputStream(stored(name).content);
    }

    @Override
    public InputStream getRange(String name, long offset, long length) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
        if (length < -1) {
            throw new IllegalArgumentException("length must be -1 (to the end) or at least 0: " + length);
        }
        byte[] content = stored(name).content;
        int start = (int) Math.min(offset, content.length);
        int available = content.length - start;
        int count = length == -1 ? available : (int) Math.min(length, available);
        return new ByteArrayInputStream(content, start, count);
    }

    @Override
    public boolean exists(String name) {
        return objects.containsKey(checkName(name));
    }

    @Override
    public ObjectAttributes attributes(String name) throws IOException {
        StoredObject object = stored(name);
        return new ObjectAttributes(object.content.length, object.lastModified);
    }

    @Override
    public void upload(String name, InputStream content) throws IOException {
        checkName(name);
        Objects.requireNonNull(content, "content");
        objects.put(name, new StoredObject(readAtMost(content, name), Instant.now()));
    }

    /** Reads the whole stream, failing once it exceeds the maximum object size. */
    private byte[] readAtMost(InputStream content, String name) throws IOException {
        byte[] buffer = new byte[(int) Math.min(64 * 1024, maxObjectBytes + 1)];
        int size = 0;
        while (true) {
            if (size == buffer.length) {
                if (size > maxObjectBytes) {
                    throw new IOException("object " + name + " is larger than the bucket's max-object-size of "
                            + maxObjectBytes + " bytes");
                }
                buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, maxObjectBytes + 1));
            }
            int n = content.read(buffer, size, buffer.length - size);
            if (n < 0) {
                return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
            }
            size += n;
        }
    }

    @Override
    public void delete(String name) throws IOException {
        if (objects.remove(checkName(name)) == null) {
            throw new ObjectNotFoundException(name);
        }
    }

    @Override
    public void close() {
        objects.clear();
        onClose.accept(this);
    }

    @Override
    public String toString() {
        return name();
    }

    private StoredObject stored(String name) throws ObjectNotFoundException {
        StoredObject object = objects.get(checkName(name));
        if (object == null) {
            throw new ObjectNotFoundException(name);
        }
        return object;
    }

    private static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("object name is empty");
        }
        if (name.startsWith("/") || name.endsWith("/") || name.contains("//")) {
            throw new IllegalArgumentException("object name has an empty segment: " + name);
        }
        return name;
    }

    private static String directoryPrefix(String dir) {
        Objects.requireNonNull(dir, "dir");
        if (dir.isEmpty() || dir.equals("/")) {
            return "";
        }
        return dir.endsWith("/") ? dir : dir + "/";
    }
}
