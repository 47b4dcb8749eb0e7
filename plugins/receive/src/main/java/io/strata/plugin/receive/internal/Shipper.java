package io.strata.plugin.receive.internal;

import io.strata.api.objstore.Bucket;
import io.strata.plugin.tsdb.block.Block;
import io.strata.plugin.tsdb.block.BlockMeta;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads the blocks a tenant's TSDB cut from its head (compaction level 1, as the Thanos shipper
 * does) to the bucket: every file of the block first, {@code meta.json} last, so a reader that sees
 * the meta sees a complete block. The uploaded block IDs are remembered in
 * {@code thanos.shipper.json} in the TSDB directory, the file Thanos keeps for the same purpose.
 */
public final class Shipper {
    private static final Logger LOG = LoggerFactory.getLogger(Shipper.class);
    static final String STATE_FILE = "thanos.shipper.json";

    private final Bucket bucket;
    private final Path tsdbDir;
    private final TreeSet<String> uploaded = new TreeSet<>();

    public Shipper(Bucket bucket, Path tsdbDir) throws IOException {
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.tsdbDir = Objects.requireNonNull(tsdbDir, "tsdbDir");
        readState();
    }

    /** Uploads the blocks not shipped yet; returns how many were uploaded. */
    public synchronized int sync(List<Block> blocks) throws IOException {
        int n = 0;
        for (Block b : blocks) {
            BlockMeta meta = b.meta();
            if (uploaded.contains(meta.ulid()) || meta.compaction() == null || meta.compaction().level() != 1) {
                continue;
            }
            upload(b.dir(), meta.ulid());
            uploaded.add(meta.ulid());
            writeState();
            n++;
        }
        return n;
    }

    public synchronized boolean isUploaded(String ulid) {
        return uploaded.contains(ulid);
    }

    private void upload(Path blockDir, String ulid) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(blockDir)) {
            s.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        Path meta = blockDir.resolve(BlockMeta.FILE_NAME);
        for (Path f : files) {
            if (!f.equals(meta)) {
                put(ulid + "/" + blockDir.relativize(f).toString().replace('\\', '/'), f);
            }
        }
        put(ulid + "/" + BlockMeta.FILE_NAME, meta);
        LOG.info("uploaded block {} from {} to bucket {}", ulid, tsdbDir, bucket.name());
    }

    private void put(String name, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            bucket.upload(name, in);
        }
    }

    private void readState() throws IOException {
        Path f = tsdbDir.resolve(STATE_FILE);
        if (!Files.exists(f)) {
            return;
        }
        String json = Files.readString(f, StandardCharsets.UTF_8);
        int start = json.indexOf("\"uploaded\"");
        if (start < 0) {
            return;
        }
        int open = json.indexOf('[', start);
        int close = json.indexOf(']', open);
        if (open < 0 || close < 0) {
            throw new IOException("unreadable " + f + ": no uploaded list");
        }
        for (String part : json.substring(open + 1, close).split(",")) {
            String id = part.trim().replace("\"", "");
            if (!id.isEmpty()) {
                uploaded.add(id);
            }
        }
    }

    private void writeState() throws IOException {
        StringBuilder sb = new StringBuilder("{\n\t\"version\": 1,\n\t\"uploaded\": [");
        boolean first = true;
        for (String id : uploaded) {
            sb.append(first ? "\n\t\t\"" : ",\n\t\t\"").append(id).append('"');
            first = false;
        }
        sb.append(first ? "]\n}\n" : "\n\t]\n}\n");
        Path f = tsdbDir.resolve(STATE_FILE);
        Path tmp = tsdbDir.resolve(STATE_FILE + ".tmp");
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
