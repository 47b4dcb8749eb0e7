package io.strata.plugin.tsdb.block;

import io.strata.plugin.tsdb.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A block's {@code meta.json}: time range (max exclusive), statistics, compaction lineage and the
 * optional Thanos section. Written as Go's json.MarshalIndent does, without a trailing newline.
 */
public record BlockMeta(String ulid, long minTime, long maxTime, Stats stats, Compaction compaction, Thanos thanos) {
    public static final String FILE_NAME = "meta.json";
    public static final int VERSION = 1;

    public BlockMeta {
        if (!Ulid.isValid(ulid)) {
            throw new IllegalArgumentException("invalid block ULID: " + ulid);
        }
        if (maxTime < minTime) {
            throw new IllegalArgumentException("block maxTime " + maxTime + " before minTime " + minTime);
        }
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(compaction, "compaction");
    }

    /** Counts; zero values are left out of the JSON. */
    public record Stats(long numSamples, long numSeries, long numChunks, long numTombstones) {
        public static final Stats EMPTY = new Stats(0, 0, 0, 0);
    }

    /** A parent block of a compacted block. */
    public record Parent(String ulid, long minTime, long maxTime) {
    }

    public record Compaction(int level, List<String> sources, boolean deletable, List<Parent> parents, boolean failed,
                             List<String> hints) {
        public Compaction {
            if (level < 1) {
                throw new IllegalArgumentException("compaction level must be at least 1, got " + level);
            }
            sources = List.copyOf(sources);
            parents = parents == null ? List.of() : List.copyOf(parents);
            hints = hints == null ? List.of() : List.copyOf(hints);
        }

        public static Compaction level1(String ulid) {
            return new Compaction(1, List.of(ulid), false, List.of(), false, List.of());
        }
    }

    /** A file listed in the Thanos section. */
    public record ThanosFile(String relPath, long sizeBytes) {
    }

    /** The Thanos extension: external labels, downsampling resolution, source and file list. */
    public record Thanos(Map<String, String> labels, long downsampleResolution, String source, List<String> segmentFiles,
                         List<ThanosFile> files) {
        public Thanos {
            labels = labels == null ? Map.of() : new TreeMap<>(labels);
            segmentFiles = segmentFiles == null ? List.of() : List.copyOf(segmentFiles);
            files = files == null ? List.of() : List.copyOf(files);
            source = source == null ? "" : source;
        }
    }

    public BlockMeta withThanos(Thanos t) {
        return new BlockMeta(ulid, minTime, maxTime, stats, compaction, t);
    }

    public BlockMeta withStats(Stats s) {
        return new BlockMeta(ulid, minTime, maxTime, s, compaction, thanos);
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ulid", ulid);
        m.put("minTime", minTime);
        m.put("maxTime", maxTime);
        Map<String, Object> st = new LinkedHashMap<>();
        putNonZero(st, "numSamples", stats.numSamples);
        putNonZero(st, "numSeries", stats.numSeries);
        putNonZero(st, "numChunks", stats.numChunks);
        putNonZero(st, "numTombstones", stats.numTombstones);
        m.put("stats", st);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("level", compaction.level);
        c.put("sources", compaction.sources);
        if (compaction.deletable) {
            c.put("deletable", true);
        }
        if (!compaction.parents.isEmpty()) {
            List<Object> ps = new ArrayList<>();
            for (Parent p : compaction.parents) {
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("ulid", p.ulid);
                pm.put("minTime", p.minTime);
                pm.put("maxTime", p.maxTime);
                ps.add(pm);
            }
            c.put("parents", ps);
        }
        if (compaction.failed) {
            c.put("failed", true);
        }
        if (!compaction.hints.isEmpty()) {
            c.put("hints", compaction.hints);
        }
        m.put("compaction", c);
        m.put("version", VERSION);
        if (thanos != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("version", 1);
            t.put("labels", thanos.labels);
            t.put("downsample", Map.of("resolution", thanos.downsampleResolution));
            t.put("source", thanos.source);
            if (!thanos.segmentFiles.isEmpty()) {
                t.put("segment_files", thanos.segmentFiles);
            }
            if (!thanos.files.isEmpty()) {
                List<Object> fs = new ArrayList<>();
                for (ThanosFile f : thanos.files) {
                    Map<String, Object> fm = new LinkedHashMap<>();
                    fm.put("rel_path", f.relPath);
                    if (f.sizeBytes != 0) {
                        fm.put("size_bytes", f.sizeBytes);
                    }
                    fs.add(fm);
                }
                t.put("files", fs);
            }
            m.put("thanos", t);
        }
        return Json.write(m);
    }

    private static void putNonZero(Map<String, Object> m, String k, long v) {
        if (v != 0) {
            m.put(k, v);
        }
    }

    @SuppressWarnings("unchecked")
    public static BlockMeta fromJson(String json, Path fileForErrors) {
        Object root;
        try {
            root = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(fileForErrors + ": " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(fileForErrors + ": meta.json is not a JSON object");
        }
        Map<String, Object> m = (Map<String, Object>) root;
        long version = num(m, "version", fileForErrors);
        if (version != VERSION) {
            throw new IllegalArgumentException(fileForErrors + ": unsupported meta.json version " + version + ", want 1");
        }
        Map<String, Object> st = (Map<String, Object>) m.getOrDefault("stats", Map.of());
        Stats stats = new Stats(opt(st, "numSamples"), opt(st, "numSeries"), opt(st, "numChunks"), opt(st, "numTombstones"));
        Map<String, Object> c = (Map<String, Object>) m.getOrDefault("compaction", Map.of());
        List<Parent> parents = new ArrayList<>();
        for (Object o : (List<Object>) c.getOrDefault("parents", List.of())) {
            Map<String, Object> p = (Map<String, Object>) o;
            parents.add(new Parent((String) p.get("ulid"), opt(p, "minTime"), opt(p, "maxTime")));
        }
        List<String> sources = new ArrayList<>();
        for (Object o : (List<Object>) c.getOrDefault("sources", List.of())) {
            sources.add((String) o);
        }
        List<String> hints = new ArrayList<>();
        for (Object o : (List<Object>) c.getOrDefault("hints", List.of())) {
            hints.add((String) o);
        }
        Compaction comp = new Compaction((int) Math.max(1, opt(c, "level")), sources, Boolean.TRUE.equals(c.get("deletable")),
                parents, Boolean.TRUE.equals(c.get("failed")), hints);
        Thanos thanos = null;
        if (m.get("thanos") instanceof Map<?, ?> tm) {
            Map<String, Object> t = (Map<String, Object>) tm;
            Map<String, String> labels = new TreeMap<>();
            ((Map<String, Object>) t.getOrDefault("labels", Map.of())).forEach((k, v) -> labels.put(k, String.valueOf(v)));
            long res = opt((Map<String, Object>) t.getOrDefault("downsample", Map.of()), "resolution");
            List<String> segs = new ArrayList<>();
            for (Object o : (List<Object>) t.getOrDefault("segment_files", List.of())) {
                segs.add((String) o);
            }
            List<ThanosFile> files = new ArrayList<>();
            for (Object o : (List<Object>) t.getOrDefault("files", List.of())) {
                Map<String, Object> f = (Map<String, Object>) o;
                files.add(new ThanosFile((String) f.get("rel_path"), opt(f, "size_bytes")));
            }
            thanos = new Thanos(labels, res, (String) t.getOrDefault("source", ""), segs, files);
        }
        return new BlockMeta((String) m.get("ulid"), num(m, "minTime", fileForErrors), num(m, "maxTime", fileForErrors), stats, comp,
                thanos);
    }

    private static long num(Map<String, Object> m, String k, Path file) {
        Object v = m.get(k);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException(file + ": meta.json field " + k + " is missing or not a number");
        }
        return n.longValue();
    }

    private static long opt(Map<String, Object> m, String k) {
        return m.get(k) instanceof Number n ? n.longValue() : 0;
    }

    public static BlockMeta read(Path blockDir) throws IOException {
        Path f = blockDir.resolve(FILE_NAME);
        return fromJson(Files.readString(f, StandardCharsets.UTF_8), f);
    }

    /** Writes meta.json through a temporary file and an atomic rename. */
    public void write(Path blockDir) throws IOException {
        Path tmp = blockDir.resolve(FILE_NAME + ".tmp");
        Files.writeString(tmp, toJson(), StandardCharsets.UTF_8);
        Files.move(tmp, blockDir.resolve(FILE_NAME), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
