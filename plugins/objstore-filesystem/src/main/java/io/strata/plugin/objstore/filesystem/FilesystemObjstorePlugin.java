package io.strata.plugin.objstore.filesystem;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.strata.api.objstore.Bucket;
import io.strata.api.plugin.Factory;
import io.strata.api.plugin.Plugin;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Offers the {@code filesystem} {@link Bucket} type: a bucket on a local directory.
 *
 * <p>The factory reads {@code filesystem.directory} from the object storage block it is given
 * ({@code strata.objstore { type = filesystem, filesystem.directory = ... }}); handed the
 * {@code filesystem} block itself, it reads {@code directory}.
 */
public final class FilesystemObjstorePlugin implements Plugin {
    /** The type name that selects this bucket. */
    public static final String TYPE = "filesystem";

    @Override
    public String name() {
        return "objstore-filesystem";
    }

    @Override
    public List<Factory<?>> factories() {
        return List.of(Factory.of(Bucket.class, TYPE, context -> createBucket(context.config())));
    }

    /** A bucket from an object storage block (or its {@code filesystem} block). */
    public static FilesystemBucket createBucket(Config config) throws IOException {
        return FilesystemBucket.open(directory(config));
    }

    /** The directory setting, checked: present, a string, not blank, a valid path. */
    static Path directory(Config config) {
        Objects.requireNonNull(config, "config");
        String key = config.hasPath(TYPE) ? TYPE + ".directory" : "directory";
        String value = config.getString(key);
        if (value.isBlank()) {
            throw new ConfigException.BadValue(config.getValue(key).origin(), key,
                    "expected the path of the bucket's root directory, got an empty string");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException invalid) {
            throw new ConfigException.BadValue(config.getValue(key).origin(), key,
                    "expected the path of the bucket's root directory: " + invalid.getMessage());
        }
    }
}
