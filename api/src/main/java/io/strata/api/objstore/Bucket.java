package io.strata.api.objstore;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * An object store bucket (mirrors Thanos's objstore.Bucket). Object names use {@code /} as the
 * separator; a "directory" is a prefix ending in {@code /}.
 */
public interface Bucket extends Closeable {
    /**
     * Calls {@code consumer} with each object name under {@code dir} (a prefix; empty for the root).
     * Not recursive: immediate objects and sub-directories (ending in {@code /}). Recursive: every
     * object name, never directories. Names are full names from the bucket root, sorted.
     */
    void iter(String dir, boolean recursive, Consumer<String> consumer) throws IOException;

    /** Reads an object; throws {@link ObjectNotFoundException} when it does not exist. */
    InputStream get(String name) throws IOException;

    /**
     * Reads {@code length} bytes from {@code offset}, fewer at the end of the object;
     * {@code length} of -1 reads to the end.
     */
    InputStream getRange(String name, long offset, long length) throws IOException;

    boolean exists(String name) throws IOException;

    ObjectAttributes attributes(String name) throws IOException;

    /** Writes an object from a stream; readers never see a partial object. Overwrites. */
    void upload(String name, InputStream content) throws IOException;

    /** Deletes an object; throws {@link ObjectNotFoundException} when it does not exist. */
    void delete(String name) throws IOException;

    /** True when the error means the object does not exist. */
    default boolean isNotFound(Throwable error) {
        return error instanceof ObjectNotFoundException;
    }

    /** A name for logs, for example the directory or bucket name. */
    String name();
}
