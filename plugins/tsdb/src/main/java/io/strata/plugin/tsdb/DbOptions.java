package io.strata.plugin.tsdb;

import com.typesafe.config.Config;
import io.strata.plugin.tsdb.head.HeadOptions;
import java.util.Map;
import java.util.TreeMap;

/**
 * Settings of a {@link Db}; {@link #fromConfig} reads them from the {@code strata.tsdb} section
 * (reference.conf holds every default). Times are milliseconds; 0 disables a retention limit.
 */
public record DbOptions(long blockDuration, long retentionTime, long retentionSize, long outOfOrderWindow, long walSegmentSize,
                        int samplesPerChunk, long headChunkFileSize, long chunkSegmentSize, Map<String, String> externalLabels) {
    public DbOptions {
        if (blockDuration <= 0) {
            throw new IllegalArgumentException("block duration must be positive, got " + blockDuration);
        }
        if (retentionTime < 0 || retentionSize < 0) {
            throw new IllegalArgumentException("retention must not be negative");
        }
        externalLabels = externalLabels == null ? Map.of() : Map.copyOf(externalLabels);
    }

    /** Reads the options from a config holding the keys of {@code strata.tsdb} (block-duration, ...). */
    public static DbOptions fromConfig(Config c) {
        Map<String, String> ext = new TreeMap<>();
        Config labels = c.getConfig("external-labels");
        for (var e : labels.entrySet()) {
            ext.put(e.getKey(), labels.getString(e.getKey()));
        }
        return new DbOptions(
                c.getDuration("block-duration").toMillis(),
                c.getDuration("retention.time").toMillis(),
                c.getBytes("retention.size"),
                c.getDuration("out-of-order-window").toMillis(),
                c.getBytes("wal.segment-size"),
                c.getInt("chunks.samples-per-chunk"),
                c.getBytes("chunks.head-file-size"),
                c.getBytes("chunks.segment-size"),
                ext);
    }

    public HeadOptions headOptions() {
        return new HeadOptions(blockDuration, samplesPerChunk, outOfOrderWindow, walSegmentSize, headChunkFileSize);
    }

    /** Prometheus's defaults with the given block duration; for tests and tools. */
    public static DbOptions defaults(long blockDuration) {
        return new DbOptions(blockDuration, 0, 0, 0, 128L * 1024 * 1024, 120, 128L * 1024 * 1024, 512L * 1024 * 1024, Map.of());
    }

    public DbOptions withOutOfOrderWindow(long window) {
        return new DbOptions(blockDuration, retentionTime, retentionSize, window, walSegmentSize, samplesPerChunk, headChunkFileSize,
                chunkSegmentSize, externalLabels);
    }

    public DbOptions withRetention(long time, long size) {
        return new DbOptions(blockDuration, time, size, outOfOrderWindow, walSegmentSize, samplesPerChunk, headChunkFileSize,
                chunkSegmentSize, externalLabels);
    }

    public DbOptions withWalSegmentSize(long size) {
        return new DbOptions(blockDuration, retentionTime, retentionSize, outOfOrderWindow, size, samplesPerChunk, headChunkFileSize,
                chunkSegmentSize, externalLabels);
    }
}
