package io.strata.plugin.sidecar.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The record of shipped blocks in a TSDB directory, in Thanos's format and under Thanos's name
 * ({@code thanos.shipper.json}: {@code {"version": 1, "uploaded": [ULIDs]}}), so that a restart
 * does not upload a block again and a Thanos sidecar could take over.
 */
final class ShippedBlocksFile {
    static final String FILE_NAME = "thanos.shipper.json";
    static final int VERSION = 1;

    private final Path file;

    ShippedBlocksFile(Path tsdbDirectory) {
        this.file = Objects.requireNonNull(tsdbDirectory, "tsdbDirectory").resolve(FILE_NAME);
    }

    Path path() {
        return file;
    }

    /** The shipped block ULIDs; empty when the file does not exist. */
    TreeSet<String> read() throws IOException {
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new TreeSet<>();
        }
        Object root = JsonTree.parse(json);
        if (!(root instanceof Map<?, ?> m)) {
            throw new IOException(file + ": not a JSON object");
        }
        if (!(m.get("version") instanceof Long v) || v != VERSION) {
            throw new IOException(file + ": unsupported version " + m.get("version") + ", want " + VERSION);
        }
        TreeSet<String> out = new TreeSet<>();
        if (m.get("uploaded") instanceof List<?> list) {
            for (Object o : list) {
                out.add(String.valueOf(o));
            }
        }
        return out;
    }

    /** Replaces the file atomically. */
    void write(Collection<String> uploaded) throws IOException {
        StringBuilder sb = new StringBuilder("{\n\t\"version\": ").append(VERSION).append(",\n\t\"uploaded\": [");
        int i = 0;
        for (String ulid : new TreeSet<>(uploaded)) {
            sb.append(i++ == 0 ? "\n\t\t\"" : ",\n\t\t\"").append(ulid).append('"');
        }
        sb.append(i == 0 ? "]\n}\n" : "\n\t]\n}\n");
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
