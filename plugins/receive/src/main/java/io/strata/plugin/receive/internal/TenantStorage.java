package io.strata.plugin.receive.internal;

import io.strata.api.labels.Labels;
import io.strata.api.objstore.Bucket;
import io.strata.api.storage.AppendException;
import io.strata.api.storage.Appender;
import io.strata.plugin.storeapi.StoreApiServer;
import io.strata.plugin.tsdb.Db;
import io.strata.plugin.tsdb.DbOptions;
import io.strata.plugin.tsdb.block.Block;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingester's storage: one TSDB per tenant under {@code root/<tenant>}, opened on the tenant's
 * first write (and at start-up for the tenants already on disk). Every tenant's blocks carry the
 * configured external labels plus {@code tenant_id=<tenant>}; blocks cut from a head are shipped to
 * the bucket when one is configured.
 */
public final class TenantStorage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TenantStorage.class);
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9_.\\-]{1,128}");

    /** One tenant's TSDB, its external labels and its shipper. */
    public record Tenant(String id, Db db, Labels externalLabels, Shipper shipper) {
    }

    private final Path root;
    private final DbOptions baseOptions;
    private final Labels externalLabels;
    private final String tenantLabel;
    private final Bucket bucket;
    private final ConcurrentHashMap<String, Tenant> tenants = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param root           directory holding one TSDB directory per tenant
     * @param baseOptions    TSDB settings; their external labels are replaced per tenant
     * @param externalLabels labels of every tenant's data besides the tenant label
     * @param tenantLabel    the label naming the tenant ({@code tenant_id})
     * @param bucket         where blocks are shipped; null to keep them local
     */
    public TenantStorage(Path root, DbOptions baseOptions, Labels externalLabels, String tenantLabel, Bucket bucket) throws IOException {
        this.root = Objects.requireNonNull(root, "root");
        this.baseOptions = Objects.requireNonNull(baseOptions, "baseOptions");
        this.externalLabels = Objects.requireNonNull(externalLabels, "externalLabels");
        if (tenantLabel == null || tenantLabel.isEmpty()) {
            throw new IllegalArgumentException("the tenant label name is required");
        }
        this.tenantLabel = tenantLabel;
        this.bucket = bucket;
        Files.createDirectories(root);
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p) && TENANT.matcher(name).matches() && holdsTsdb(p)) {
                    tenant(name);
                }
            }
        }
    }

    /**
     * True when a directory holds a tenant's TSDB (a WAL or a block): other directories that share the
     * root, such as the OSGi cache or a filesystem bucket when --tsdb.path is the data directory, are
     * not tenants.
     */
    private static boolean holdsTsdb(Path dir) throws IOException {
        if (Files.isDirectory(dir.resolve("wal"))) {
            return true;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> Files.isRegularFile(p.resolve("meta.json")));
        }
    }

    /** True when the name may be a tenant (it becomes a directory name). */
    public static boolean validTenant(String id) {
        return id != null && TENANT.matcher(id).matches() && !id.equals(".") && !id.equals("..");
    }

    public String tenantLabel() {
        return tenantLabel;
    }

    /** The tenant's storage, opened (and created) when needed. */
    public Tenant tenant(String id) throws IOException {
        Tenant t = tenants.get(id);
        if (t != null) {
            return t;
        }
        if (!validTenant(id)) {
            throw new IllegalArgumentException("invalid tenant name \"" + id + "\": expected 1 to 128 of [A-Za-z0-9_.-]");
        }
        synchronized (tenants) {
            t = tenants.get(id);
            if (t != null) {
                return t;
            }
            if (closed) {
                throw new IOException("the storage is closed");
            }
            Labels labels = externalLabels.toBuilder().set(tenantLabel, id).build();
            Map<String, String> ext = new TreeMap<>(labels.toMap());
            DbOptions o = baseOptions;
            DbOptions options = new DbOptions(o.blockDuration(), o.retentionTime(), o.retentionSize(), o.outOfOrderWindow(), o.walSegmentSize(),
                    o.samplesPerChunk(), o.headChunkFileSize(), o.chunkSegmentSize(), ext);
            Path dir = root.resolve(id);
            Db db = Db.open(dir, options);
            Shipper shipper = bucket == null ? null : new Shipper(bucket, dir);
            t = new Tenant(id, db, labels, shipper);
            tenants.put(id, t);
            LOG.info("opened TSDB of tenant {} in {} ({} blocks, {} head series)", id, dir, db.blocks().size(), db.head().numSeries());
            return t;
        }
    }

    public Collection<Tenant> tenants() {
        return List.copyOf(tenants.values());
    }

    /** The number of series in the tenant's head; 0 for a tenant not seen yet. */
    public int headSeries(String id) {
        Tenant t = tenants.get(id);
        return t == null ? 0 : t.db().head().numSeries();
    }

    /**
     * Appends the batch's samples to the tenant's TSDB and commits them. Refused samples (out of
     * order, duplicate, out of bounds, too old) are counted as conflicts; the others are stored.
     */
    public void append(String tenantId, WriteBatch batch, WriteOutcome outcome) throws IOException {
        Db db = tenant(tenantId).db();
        Appender app = db.appender();
        long written = 0;
        boolean committed = false;
        try {
            for (int i = 0, n = batch.seriesCount(); i < n; i++) {
                Labels labels = batch.labels(i);
                long ref = 0;
                int start = batch.sampleStart(i);
                int end = start + batch.sampleCount(i);
                for (int s = start; s < end; s++) {
                    try {
                        ref = app.append(ref, labels, batch.timestamp(s), batch.value(s));
                        written++;
                    } catch (AppendException e) {
                        switch (e.reason()) {
                            case INVALID_LABELS -> outcome.fail(WriteOutcome.Failure.BAD_REQUEST, e.getMessage() + " for series " + labels);
                            case LIMIT -> outcome.fail(WriteOutcome.Failure.TOO_MANY_SERIES, e.getMessage() + " for series " + labels);
                            default -> outcome.addConflict(e.getMessage() + " for series " + labels);
                        }
                    }
                }
            }
            app.commit();
            committed = true;
            outcome.addWritten(written);
        } finally {
            if (!committed) {
                app.rollback();
            }
        }
    }

    /** The time range of all tenants' data, for the Info service. */
    public StoreApiServer.TimeRange timeRange() {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Tenant t : tenants.values()) {
            for (Block b : t.db().blocks()) {
                min = Math.min(min, b.minTime());
                max = Math.max(max, b.maxTime());
            }
            if (!t.db().head().isEmpty()) {
                min = Math.min(min, t.db().head().minTime());
                max = Math.max(max, t.db().head().maxTime());
            }
        }
        return min > max ? StoreApiServer.TimeRange.EMPTY : new StoreApiServer.TimeRange(min, max);
    }

    /** Cuts due blocks out of every head, applies retention and ships new blocks. */
    public void compactAndShip() {
        for (Tenant t : tenants.values()) {
            try {
                int n = t.db().compact();
                if (n > 0) {
                    LOG.info("tenant {}: cut {} block(s) from the head", t.id(), n);
                }
                ship(t);
            } catch (IOException | RuntimeException e) {
                LOG.error("tenant {}: compaction or upload failed: {}", t.id(), e.toString());
            }
        }
    }

    private static void ship(Tenant t) throws IOException {
        if (t.shipper() != null) {
            t.shipper().sync(t.db().blocks());
        }
    }

    /** Flushes every head into blocks, ships them and closes the TSDBs. */
    @Override
    public void close() {
        List<Tenant> all;
        synchronized (tenants) {
            closed = true;
            all = new ArrayList<>(tenants.values());
            tenants.clear();
        }
        for (Tenant t : all) {
            try {
                int n = t.db().flushHead();
                LOG.info("tenant {}: flushed the head into {} block(s)", t.id(), n);
                ship(t);
            } catch (IOException | RuntimeException e) {
                LOG.error("tenant {}: flushing or shipping the head at shutdown failed: {}", t.id(), e.toString());
            }
            try {
                t.db().close();
            } catch (RuntimeException e) {
                LOG.error("tenant {}: closing the TSDB failed: {}", t.id(), e.toString());
            }
        }
    }
}
