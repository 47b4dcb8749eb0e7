package io.strata.plugin.sidecar.internal;

import io.strata.api.labels.Labels;
import io.strata.api.objstore.Bucket;
import io.strata.plugin.tsdb.block.BlockMeta;
import io.strata.plugin.tsdb.block.Ulid;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads each block of a Prometheus TSDB directory to the bucket once: chunk segments, index and
 * tombstones first, {@code meta.json} last (with the Thanos section: external labels,
 * {@code source: sidecar}, resolution 0), so a reader never sees a block without its data. Blocks
 * of compaction level 1 are shipped; compacted blocks only when configured to (a migration of
 * existing data). Shipped ULIDs are kept in {@link ShippedBlocksFile}.
 */
final class BlockShipper {
    private static final Logger LOG = LoggerFactory.getLogger(BlockShipper.class);
    static final String SOURCE = "sidecar";

    private final Path tsdbDirectory;
    private final Bucket bucket;
    private final Labels externalLabels;
    private final boolean uploadCompacted;
    private final ShippedBlocksFile shippedFile;

    BlockShipper(Path tsdbDirectory, Bucket bucket, Labels externalLabels, boolean uploadCompacted) {
        this.tsdbDirectory = Objects.requireNonNull(tsdbDirectory, "tsdbDirectory");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.externalLabels = Objects.requireNonNull(externalLabels, "externalLabels");
        if (externalLabels.isEmpty()) {
            throw new IllegalArgumentException("shipped blocks need external labels, got none");
        }
        this.uploadCompacted = uploadCompacted;
        this.shippedFile = new ShippedBlocksFile(tsdbDirectory);
    }

    /** One pass: uploads every block not shipped yet; returns the ULIDs uploaded now. */
    List<String> sync() throws IOException {
        TreeSet<String> shipped = shippedFile.read();
        List<String> uploadedNow = new ArrayList<>();
        IOException firstError = null;
        for (Path dir : blockDirectories()) {
            String ulid = dir.getFileName().toString();
            if (shipped.contains(ulid)) {
                continue;
            }
            BlockMeta meta;
            try {
                meta = BlockMeta.read(dir);
            } catch (NoSuchFileException e) {
                continue; // still being written by Prometheus
            } catch (IllegalArgumentException e) {
                LOG.warn("not shipping block {}: {}", dir, e.getMessage());
                continue;
            }
            if (meta.compaction().level() > 1 && !uploadCompacted) {
                continue;
            }
            try {
                upload(dir, meta);
                shipped.add(ulid);
                shippedFile.write(shipped);
                uploadedNow.add(ulid);
                LOG.info("shipped block {} [{}, {}] to bucket {}", ulid, meta.minTime(), meta.maxTime(), bucket.name());
            } catch (IOException e) {
                LOG.warn("shipping block {} failed (will retry): {}", ulid, e.toString());
                if (firstError == null) {
                    firstError = e;
                }
            }
        }
        if (firstError != null) {
            throw firstError;
        }
        return uploadedNow;
    }

    private List<Path> blockDirectories() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> entries = Files.list(tsdbDirectory)) {
            entries.filter(p -> Files.isDirectory(p) && Ulid.isValid(p.getFileName().toString())).sorted().forEach(out::add);
        }
        return out;
    }

    private void upload(Path dir, BlockMeta meta) throws IOException {
        String ulid = meta.ulid();
        List<String> segments = new ArrayList<>();
        List<BlockMeta.ThanosFile> files = new ArrayList<>();
        Path chunks = dir.resolve("chunks");
        if (Files.isDirectory(chunks)) {
            try (Stream<Path> entries = Files.list(chunks)) {
                for (Path segment : entries.sorted().toList()) {
                    String name = segment.getFileName().toString();
                    segments.add(name);
                    files.add(new BlockMeta.ThanosFile("chunks/" + name, Files.size(segment)));
                    uploadFile(segment, ulid + "/chunks/" + name);
                }
            }
        }
        Path index = dir.resolve("index");
        files.add(new BlockMeta.ThanosFile("index", Files.size(index)));
        uploadFile(index, ulid + "/index");
        Path tombstones = dir.resolve("tombstones");
        if (Files.exists(tombstones)) {
            uploadFile(tombstones, ulid + "/tombstones");
        }
        files.add(new BlockMeta.ThanosFile(BlockMeta.FILE_NAME, 0));
        BlockMeta withThanos = meta.withThanos(new BlockMeta.Thanos(externalLabels.toMap(), 0, SOURCE, segments, files));
        bucket.upload(ulid + "/" + BlockMeta.FILE_NAME, new ByteArrayInputStream(withThanos.toJson().getBytes(StandardCharsets.UTF_8)));
    }

    private void uploadFile(Path file, String name) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            bucket.upload(name, in);
        }
    }
}
