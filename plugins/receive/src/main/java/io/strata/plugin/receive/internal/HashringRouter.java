package io.strata.plugin.receive.internal;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router: places every series of a request on the hashring's endpoints (one per replica),
 * writes the local endpoint's share to the local TSDBs and forwards the rest to the peers over
 * {@code thanos.WriteableStore/RemoteWrite}, each forward carrying its 1-based replica number.
 * A series succeeds when its write quorum is met (1 for a replication factor of 2, else
 * {@code floor(RF / 2) + 1}); a request succeeds when every series does. A request that was already
 * replicated (replica number set) is written locally only. The hashring file is re-read while
 * running; an invalid file keeps the last good ring.
 */
public final class HashringRouter implements SeriesWriter, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HashringRouter.class);

    private final String file;
    private final Hashring.Algorithm defaultAlgorithm;
    private final int replicationFactor;
    private final int quorum;
    private final String localEndpoint;
    private final SeriesWriter local;
    private final Duration forwardTimeout;
    private final ConcurrentHashMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watcher;
    private final ThreadLocal<Hashring.KeyBuffer> keys = ThreadLocal.withInitial(Hashring.KeyBuffer::new);
    private final ThreadLocal<LabelBlocks> labelBlocks = ThreadLocal.withInitial(LabelBlocks::new);
    private volatile List<Hashring> rings;
    private volatile String lastContent;

    /**
     * @param file             the hashring file, or "" when {@code inline} holds the rings
     * @param inline           the rings as JSON, used when {@code file} is ""
     * @param localEndpoint    this process's endpoint in the ring, or "" for a router only
     * @param local            the local writer, or null for a router only
     */
    public HashringRouter(String file, String inline, String algorithm, int replicationFactor, String localEndpoint,
                          SeriesWriter local, Duration forwardTimeout, Duration refreshInterval) {
        this.file = Objects.requireNonNull(file, "file");
        this.defaultAlgorithm = Hashring.Algorithm.parse(algorithm);
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1, got " + replicationFactor);
        }
        this.replicationFactor = replicationFactor;
        this.quorum = writeQuorum(replicationFactor);
        this.localEndpoint = localEndpoint == null ? "" : localEndpoint;
        this.local = local;
        if (!this.localEndpoint.isEmpty() && local == null) {
            throw new IllegalArgumentException("a local endpoint needs a local writer");
        }
        this.forwardTimeout = Objects.requireNonNull(forwardTimeout, "forwardTimeout");
        if (file.isEmpty()) {
            this.rings = HashringConfig.parse(Objects.requireNonNull(inline, "inline"), defaultAlgorithm, replicationFactor);
            this.watcher = null;
        } else {
            this.rings = List.of();
            reload();
            if (rings.isEmpty()) {
                LOG.warn("no valid hashring yet in {}: requests get 503 until it holds one", file);
            }
            this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "hashring-watcher");
                t.setDaemon(true);
                return t;
            });
            long ms = Math.max(100, refreshInterval.toMillis());
            watcher.scheduleWithFixedDelay(this::reload, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /** Thanos's write quorum: 1 for a replication factor of 2, else a majority. */
    public static int writeQuorum(int replicationFactor) {
        return replicationFactor == 2 ? 1 : replicationFactor / 2 + 1;
    }

    /** Re-reads the file; keeps the current rings when it is unreadable or invalid. */
    void reload() {
        String content;
        try {
            content = Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (Exception e) {
            if (lastContent == null || !lastContent.equals("<unreadable>")) {
                LOG.error("cannot read hashring file {}: {}; keeping the current hashring", file, e.toString());
            }
            lastContent = "<unreadable>";
            return;
        }
        if (content.equals(lastContent)) {
            return;
        }
        lastContent = content;
        try {
            List<Hashring> parsed = HashringConfig.parse(content, defaultAlgorithm, replicationFactor);
            rings = parsed;
            List<String> all = new ArrayList<>();
            for (Hashring r : parsed) {
                all.addAll(r.addresses());
            }
            LOG.info("loaded hashring file {}: {} hashring(s), endpoints {}", file, parsed.size(), all);
        } catch (IllegalArgumentException e) {
            LOG.error("invalid hashring file {}: {}; keeping the current hashring", file, e.getMessage());
        }
    }

    List<Hashring> rings() {
        return rings;
    }

    private Hashring ring(String tenant) {
        for (Hashring r : rings) {
            if (r.matches(tenant)) {
                return r;
            }
        }
        return null;
    }

    @Override
    public void write(String tenant, WriteBatch batch, long replica, WriteOutcome outcome) throws Exception {
        if (replica > 0) {
            if (replica > replicationFactor) {
                outcome.fail(WriteOutcome.Failure.BAD_REQUEST, "replica " + replica + " above the replication factor " + replicationFactor);
                return;
            }
            if (local == null) {
                outcome.fail(WriteOutcome.Failure.BAD_REQUEST, "a replicated request reached a router without a local endpoint");
                return;
            }
            local.write(tenant, batch, replica, outcome);
            return;
        }
        if (rings.isEmpty()) {
            outcome.fail(WriteOutcome.Failure.NOT_READY, "no hashring loaded");
            return;
        }
        Hashring ring = ring(tenant);
        if (ring == null) {
            outcome.fail(WriteOutcome.Failure.UNAVAILABLE, "no matching hashring for tenant " + tenant);
            return;
        }
        int seriesCount = batch.seriesCount();
        // group series by (endpoint, replica): group g = endpoint index * RF + replica; one index
        // array per group and request, nothing allocated per series
        List<Hashring.Endpoint> endpoints = ring.endpoints();
        int groupCount = endpoints.size() * replicationFactor;
        int[][] all = new int[groupCount][];
        int[] allSizes = new int[groupCount];
        Hashring.KeyBuffer kb = keys.get();
        LabelBlocks blocks = labelBlocks.get();
        blocks.clear();
        for (int i = 0; i < seriesCount; i++) {
            long key = Hashring.seriesKey(tenant, batch.labels(i), kb, blocks);
            for (int n = 0; n < replicationFactor; n++) {
                int g = ring.endpointIndex(key, n) * replicationFactor + n;
                int[] idx = all[g];
                int size = allSizes[g];
                if (idx == null) {
                    idx = new int[Math.min(seriesCount, 16)];
                    all[g] = idx;
                } else if (size == idx.length) {
                    idx = java.util.Arrays.copyOf(idx, Math.min(seriesCount, size * 2));
                    all[g] = idx;
                }
                idx[size] = i;
                allSizes[g] = size + 1;
            }
        }
        int used = 0;
        for (int g = 0; g < groupCount; g++) {
            if (allSizes[g] > 0) {
                used++;
            }
        }
        String[] names = new String[used];
        long[] replicas = new long[used];
        int[][] groups = new int[used][];
        int[] sizes = new int[used];
        for (int g = 0, k = 0; g < groupCount; g++) {
            if (allSizes[g] > 0) {
                names[k] = endpoints.get(g / replicationFactor).address();
                replicas[k] = g % replicationFactor + 1;
                groups[k] = all[g];
                sizes[k] = allSizes[g];
                k++;
            }
        }
        List<ListenableFuture<byte[]>> futures = new ArrayList<>(used);
        WriteOutcome.Failure[] results = new WriteOutcome.Failure[used];
        String[] messages = new String[used];
        int localGroup = -1;
        for (int k = 0; k < used; k++) {
            String endpoint = names[k];
            if (!localEndpoint.isEmpty() && endpoint.equals(localEndpoint)) {
                localGroup = k;
                futures.add(null);
                continue;
            }
            byte[] body = ForwardEncoder.encode(batch, blocks, groups[k], sizes[k], tenant, replicas[k]);
            try {
                futures.add(ClientCalls.futureUnaryCall(channel(endpoint).newCall(WriteableStoreService.REMOTE_WRITE,
                        CallOptions.DEFAULT.withDeadlineAfter(forwardTimeout.toMillis(), TimeUnit.MILLISECONDS)), body));
            } catch (RuntimeException e) {
                futures.add(null);
                results[k] = WriteOutcome.Failure.UNAVAILABLE;
                messages[k] = "forwarding to " + endpoint + " failed: " + e;
            }
        }
        if (localGroup >= 0) {
            WriteBatch sub = subBatch(batch, groups[localGroup], sizes[localGroup]);
            WriteOutcome o = new WriteOutcome();
            try {
                local.write(tenant, sub, replicas[localGroup], o);
                results[localGroup] = o.failure();
                messages[localGroup] = o.message();
            } catch (Exception e) {
                results[localGroup] = WriteOutcome.Failure.UNAVAILABLE;
                messages[localGroup] = "local write failed: " + e;
            }
        }
        long deadline = System.nanoTime() + forwardTimeout.toNanos();
        for (int k = 0; k < used; k++) {
            ListenableFuture<byte[]> f = futures.get(k);
            if (f == null) {
                continue;
            }
            String endpoint = names[k];
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                results[k] = WriteOutcome.Failure.NONE;
            } catch (ExecutionException e) {
                Status s = Status.fromThrowable(e.getCause());
                results[k] = switch (s.getCode()) {
                    case ALREADY_EXISTS -> WriteOutcome.Failure.CONFLICT;
                    case INVALID_ARGUMENT -> WriteOutcome.Failure.BAD_REQUEST;
                    case RESOURCE_EXHAUSTED -> WriteOutcome.Failure.TOO_MANY_SERIES;
                    default -> WriteOutcome.Failure.UNAVAILABLE;
                };
                messages[k] = "forwarding to " + endpoint + ": " + s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
            } catch (TimeoutException e) {
                f.cancel(true);
                results[k] = WriteOutcome.Failure.UNAVAILABLE;
                messages[k] = "forwarding to " + endpoint + " timed out after " + forwardTimeout;
            }
        }
        decide(batch, names, groups, sizes, results, messages, outcome);
    }

    /** Counts successes and failures per series and sets the outcome as Thanos decides it. */
    private void decide(WriteBatch batch, String[] names, int[][] groups, int[] sizes, WriteOutcome.Failure[] results, String[] messages,
                        WriteOutcome outcome) {
        int n = batch.seriesCount();
        int kinds = WriteOutcome.Failure.values().length;
        int[] counts = new int[n * kinds];
        String[] firstMessage = new String[kinds];
        for (int k = 0; k < names.length; k++) {
            WriteOutcome.Failure r = results[k] == null ? WriteOutcome.Failure.UNAVAILABLE : results[k];
            if (r != WriteOutcome.Failure.NONE && firstMessage[r.ordinal()] == null) {
                firstMessage[r.ordinal()] = messages[k];
            }
            int[] idx = groups[k];
            for (int j = 0, m = sizes[k]; j < m; j++) {
                counts[idx[j] * kinds + r.ordinal()]++;
            }
        }
        int threshold = replicationFactor - quorum + 1;
        long written = 0;
        for (int i = 0; i < n; i++) {
            int ok = counts[i * kinds];
            if (ok >= quorum) {
                written += batch.sampleCount(i);
                continue;
            }
            WriteOutcome.Failure dominant = WriteOutcome.Failure.UNAVAILABLE;
            int best = 0;
            int errors = 0;
            for (int f = 1; f < kinds; f++) {
                int c = counts[i * kinds + f];
                errors += c;
                if (c > best) {
                    best = c;
                    dominant = WriteOutcome.Failure.values()[f];
                }
            }
            WriteOutcome.Failure failure = best >= threshold ? dominant : WriteOutcome.Failure.UNAVAILABLE;
            String msg = firstMessage[failure.ordinal()];
            if (msg == null) {
                msg = "quorum of " + quorum + " not reached for series " + batch.labels(i) + " (" + ok + " of " + replicationFactor
                        + " writes succeeded, " + errors + " failed)";
            }
            outcome.fail(failure, msg);
        }
        outcome.addWritten(written);
    }

    private static WriteBatch subBatch(WriteBatch batch, int[] idx, int count) {
        WriteBatch sub = new WriteBatch();
        for (int k = 0; k < count; k++) {
            int i = idx[k];
            sub.addSeries(batch.labels(i));
            int start = batch.sampleStart(i);
            for (int s = start, end = start + batch.sampleCount(i); s < end; s++) {
                sub.addSample(batch.timestamp(s), batch.value(s));
            }
        }
        return sub;
    }

    private ManagedChannel channel(String endpoint) {
        return channels.computeIfAbsent(endpoint, e -> ManagedChannelBuilder.forTarget(e).usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024).build());
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
        for (ManagedChannel c : channels.values()) {
            c.shutdownNow();
        }
        channels.clear();
    }
}
