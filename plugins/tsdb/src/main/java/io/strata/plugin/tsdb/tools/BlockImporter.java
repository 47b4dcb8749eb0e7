package io.strata.plugin.tsdb.tools;

import io.strata.api.storage.AppendException;
import io.strata.api.storage.Appender;
import io.strata.plugin.tsdb.block.BlockWriter;
import io.strata.plugin.tsdb.head.Head;
import io.strata.plugin.tsdb.head.HeadOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates blocks from OpenMetrics text as {@code promtool tsdb create-blocks-from openmetrics}
 * does: one pass per aligned block range, samples appended through a head whose chunk range is twice
 * the block duration, committed every 5000 samples, each range flushed as a level-1 block with
 * maxTime = last sample + 1.
 */
public final class BlockImporter {
    public static final long DEFAULT_BLOCK_DURATION = 2 * 3600 * 1000L;
    private static final int MAX_SAMPLES_IN_APPENDER = 5000;

    private final long blockDuration;

    public BlockImporter(long blockDuration) {
        if (blockDuration <= 0) {
            throw new IllegalArgumentException("block duration must be positive");
        }
        this.blockDuration = blockDuration;
    }

    /** Imports {@code input} into blocks under {@code outputDir}; returns the block directories. */
    public List<Path> importFile(Path input, Path outputDir) throws IOException {
        long mint = Long.MAX_VALUE;
        long maxt = Long.MIN_VALUE;
        try (BufferedReader r = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            OpenMetricsReader om = new OpenMetricsReader(r);
            while (om.next()) {
                if (!om.hasTimestamp()) {
                    throw new IOException(input + " line " + om.lineNumber() + ": expected a timestamp");
                }
                mint = Math.min(mint, om.timestamp());
                maxt = Math.max(maxt, om.timestamp());
            }
        }
        List<Path> out = new ArrayList<>();
        if (mint == Long.MAX_VALUE) {
            return out;
        }
        Files.createDirectories(outputDir);
        mint = blockDuration * Math.floorDiv(mint, blockDuration);
        for (long t = mint; t <= maxt; t += blockDuration) {
            Path p = importRange(input, outputDir, t, t + blockDuration);
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    private Path importRange(Path input, Path outputDir, long from, long to) throws IOException {
        Path tmp = Files.createTempDirectory("strata-import-");
        try (Head head = Head.open(tmp, new HeadOptions(2 * blockDuration, 120, 0, 128L * 1024 * 1024, 128L * 1024 * 1024),
                Long.MIN_VALUE); BufferedReader r = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            OpenMetricsReader om = new OpenMetricsReader(r);
            Appender app = head.appender();
            int n = 0;
            while (om.next()) {
                long ts = om.timestamp();
                if (ts < from || ts >= to) {
                    continue;
                }
                try {
                    app.append(0, om.labels(), ts, om.value());
                } catch (AppendException e) {
                    throw new IOException(input + " line " + om.lineNumber() + ": add sample: " + e.getMessage(), e);
                }
                if (++n >= MAX_SAMPLES_IN_APPENDER) {
                    app.commit();
                    app = head.appender();
                    n = 0;
                }
            }
            app.commit();
            if (head.isEmpty()) {
                return null;
            }
            return head.writeBlock(outputDir, head.minTime(), head.maxTime() + 1, null);
        } finally {
            BlockWriter.delete(tmp);
        }
    }
}
