package io.strata.plugin.objstore.filesystem;

import io.strata.api.objstore.Bucket;
import io.strata.api.objstore.ObjectAttributes;
import io.strata.api.objstore.ObjectNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A {@link Bucket} over a local directory: an object {@code a/b/c} is the file {@code <root>/a/b/c}.
 *
 * <p>Uploads write a temporary file next to the target (its name starts with
 * {@value #TEMPORARY_PREFIX}), force it to disk, and rename it over the target, so readers see the
 * old object or the new one, never a part; temporary files are never listed and object names may
 * not use that prefix. Deleting an object removes the directories it leaves empty, up to the root.
 * Listings skip directories that hold no object. Symbolic links are not followed.
 */
public final class FilesystemBucket implements Bucket {
    /** Names of in-flight uploads start with this; object names may not. */
    public static final String TEMPORARY_PREFIX = ".strata-upload-";

    private static final int COPY_BUFFER_BYTES = 128 * 1024;
    private static final int DIRECTORY_RACE_RETRIES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;

    private FilesystemBucket(Path root) {
        this.root = root;
    }

    /** Opens the bucket rooted at {@code directory}, creating the directory when it is missing. */
    public static FilesystemBucket open(Path directory) throws IOException {
        Objects.requireNonNull(directory, "directory");
        Path root = directory.toAbsolutePath().normalize();
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new NotDirectoryException(root.toString());
        }
        Files.createDirectories(root);
        return new FilesystemBucket(root.toRealPath());
    }

    /** The bucket's root directory. */
    public Path root() {
        return root;
    }

    @Override
    public String name() {
        return "filesystem:" + root;
    }

    // ---- listing ----------------------------------------------------------------------------

    @Override
    public void iter(String dir, boolean recursive, Consumer<String> consumer) throws IOException {
        Objects.requireNonNull(consumer, "consumer");
        String prefix = directoryPrefix(dir);
        Path directory = prefix.isEmpty() ? root : root.resolve(prefix);
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        list(directory, prefix, recursive, consumer);
    }

    /**
     * Lists {@code directory} in full-name order. Each entry is keyed by how its name starts (a
     * directory with its trailing {@code /}); since every name below a directory starts with that
     * key and no sibling key is a prefix of it, visiting the keys in order lists full names in order.
     */
    private void list(Path directory, String prefix, boolean recursive, Consumer<String> consumer) throws IOException {
        for (Map.Entry<String, Path> entry : sortedEntries(directory).entrySet()) {
            String key = entry.getKey();
            Path path = entry.getValue();
            if (key.endsWith("/")) {
                if (recursive) {
                    list(path, prefix + key, true, consumer);
                } else if (holdsAnObject(path)) {
                    consumer.accept(prefix + key);
                }
            } else {
                consumer.accept(prefix + key);
            }
        }
    }

    /** Objects (regular files) and directories of {@code directory}, keyed by name, directories with a {@code /}. */
    private static TreeMap<String, Path> sortedEntries(Path directory) throws IOException {
        TreeMap<String, Path> entries = new TreeMap<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path path : stream) {
                String fileName = path.getFileName().toString();
                if (fileName.startsWith(TEMPORARY_PREFIX)) {
                    continue;
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException deletedMeanwhile) {
                    continue;
                }
                if (attributes.isDirectory()) {
                    entries.put(fileName + "/", path);
                } else if (attributes.isRegularFile()) {
                    entries.put(fileName, path);
                }
            }
        } catch (NoSuchFileException | NotDirectoryException deletedMeanwhile) {
            return entries;
        }
        return entries;
    }

    /** Whether any object lies below {@code directory}; stops at the first one. */
    private static boolean holdsAnObject(Path directory) throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            List<Path> subdirectories = new ArrayList<>();
            for (Path path : stream) {
                if (path.getFileName().toString().startsWith(TEMPORARY_PREFIX)) {
                    continue;
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException deletedMeanwhile) {
                    continue;
                }
                if (attributes.isRegularFile()) {
                    return true;
                }
                if (attributes.isDirectory()) {
                    subdirectories.add(path);
                }
            }
            for (Path subdirectory : subdirectories) {
                if (holdsAnObject(subdirectory)) {
                    return true;
                }
            }
            return false;
        } catch (NoSuchFileException | NotDirectoryException deletedMeanwhile) {
            return false;
        }
    }

    // ---- reads ------------------------------------------------------------------------------

    @Override
    public InputStream get(String name) throws IOException {
        return getRange(name, 0, -1);
    }

    @Override
    public InputStream getRange(String name, long offset, long length) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
        if (length < -1) {
            throw new IllegalArgumentException("length must be -1 (to the end) or at least 0: " + length);
        }
        Path file = objectPath(name);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException error) {
            throw notFoundUnlessAFile(name, file, error);
        }
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new ObjectNotFoundException(name);
            }
            // Positioning past the end is allowed: reads then return end of stream, as Thanos's
            // filesystem bucket does for an offset beyond the object.
            channel.position(offset);
            InputStream in = Channels.newInputStream(channel);
            return length == -1 ? in : new BoundedInputStream(in, length);
        } catch (IOException | RuntimeException error) {
            channel.close();
            throw error;
        }
    }

    /**
     * The error to report when {@code file} could not be opened or inspected: not found unless it
     * is a regular file (it is missing, a directory, a symbolic link, or a parent is an object),
     * else the error itself (permissions, I/O).
     */
    private static IOException notFoundUnlessAFile(String name, Path file, IOException error) {
        if (error instanceof NoSuchFileException || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return new ObjectNotFoundException(name);
        }
        return error;
    }

    @Override
    public boolean exists(String name) throws IOException {
        return Files.isRegularFile(objectPath(name), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public ObjectAttributes attributes(String name) throws IOException {
        Path file = objectPath(name);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException error) {
            throw notFoundUnlessAFile(name, file, error);
        }
        if (!attributes.isRegularFile()) {
            throw new ObjectNotFoundException(name);
        }
        return new ObjectAttributes(attributes.size(), attributes.lastModifiedTime().toInstant());
    }

    // ---- writes -----------------------------------------------------------------------------

    @Override
    public void upload(String name, InputStream content) throws IOException {
        Objects.requireNonNull(content, "content");
        Path target = objectPath(name);
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null, "a directory of objects has this name");
        }
        Path directory = target.getParent();
        Path temporary = createTemporaryFile(directory);
        boolean renamed = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                copy(content, channel);
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            renamed = true;
            forceDirectory(directory);
        } finally {
            if (!renamed) {
                Files.deleteIfExists(temporary);
                removeEmptyDirectories(directory);
            }
        }
    }

    /**
     * Creates a new temporary file in {@code directory}, creating the directory first. A concurrent
     * delete may remove a directory it found empty between the two steps; then both are retried.
     */
    private Path createTemporaryFile(Path directory) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temporary = directory.resolve(TEMPORARY_PREFIX + HexFormat.of().toHexDigits(RANDOM.nextLong()));
            try {
                // createDirectories reports FileAlreadyExists when a concurrent delete removes the
                // directory between its creation attempt and its check: retried like the rest
                Files.createDirectories(directory);
                Files.newByteChannel(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temporary;
            } catch (NoSuchFileException directoryRemovedMeanwhile) {
                if (attempt >= DIRECTORY_RACE_RETRIES) {
                    throw directoryRemovedMeanwhile;
                }
            } catch (FileAlreadyExistsException sameRandomNameOrDirectoryRace) {
                if (attempt >= DIRECTORY_RACE_RETRIES) {
                    throw sameRandomNameOrDirectoryRace;
                }
            }
        }
    }

    private static void copy(InputStream content, FileChannel channel) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER_BYTES];
        ByteBuffer wrapped = ByteBuffer.wrap(buffer);
        for (int n; (n = content.read(buffer)) >= 0; ) {
            wrapped.clear().limit(n);
            while (wrapped.hasRemaining()) {
                channel.write(wrapped);
            }
        }
    }

    /** Makes a rename in {@code directory} durable. Some platforms cannot open a directory; they skip this. */
    private static void forceDirectory(Path directory) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(directory, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException notSupportedHere) {
            return;
        }
        try (channel) {
            channel.force(true);
        }
    }

    @Override
    public void delete(String name) throws IOException {
        Path file = objectPath(name);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new ObjectNotFoundException(name);
        }
        try {
            Files.delete(file);
        } catch (NoSuchFileException deletedMeanwhile) {
            throw new ObjectNotFoundException(name);
        }
        removeEmptyDirectories(file.getParent());
    }

    /** Removes {@code directory} and its parents while they are empty, never the root. */
    private void removeEmptyDirectories(Path directory) throws IOException {
        for (Path current = directory; current != null && !current.equals(root) && current.startsWith(root);
                current = current.getParent()) {
            try {
                Files.delete(current);
            } catch (DirectoryNotEmptyException | NoSuchFileException stillUsedOrGone) {
                return;
            }
        }
    }

    @Override
    public void close() {
        // Nothing is held open between calls.
    }

    @Override
    public String toString() {
        return name();
    }

    // ---- names ------------------------------------------------------------------------------

    /** The file of an object, after checking that the name is a valid object name. */
    private Path objectPath(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("object name is empty");
        }
        if (name.endsWith("/")) {
            throw new IllegalArgumentException("object name ends with '/', which names a directory: " + name);
        }
        checkSegments(name, name);
        return root.resolve(name);
    }

    /** The listing prefix for {@code dir}: empty for the root, else the directory with one trailing {@code /}. */
    private static String directoryPrefix(String dir) {
        Objects.requireNonNull(dir, "dir");
        if (dir.isEmpty() || dir.equals("/")) {
            return "";
        }
        String withoutSlash = dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
        checkSegments(withoutSlash, dir);
        return withoutSlash + "/";
    }

    /** Rejects names that would leave the root, alias another name or collide with temporary files. */
    private static void checkSegments(String path, String name) {
        if (path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("object name contains a NUL or backslash: " + name);
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("object name has an empty, '.' or '..' segment: " + name);
            }
            if (segment.startsWith(TEMPORARY_PREFIX)) {
                throw new IllegalArgumentException("object name uses the reserved prefix " + TEMPORARY_PREFIX + ": " + name);
            }
        }
    }

    /** Reads at most {@code remaining} bytes of a stream. */
    private static final class BoundedInputStream extends FilterInputStream {
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), remaining);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
