package io.strata.plugin.tsdb.head;

import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.AppendException;
import io.strata.api.storage.Appendable;
import io.strata.api.storage.Appender;
import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.SeriesSet;
import io.strata.plugin.tsdb.block.BlockMeta;
import io.strata.plugin.tsdb.block.BlockWriter;
import io.strata.plugin.tsdb.chunkenc.XorChunkBuilder;
import io.strata.plugin.tsdb.chunks.ChunkSegmentFormat;
import io.strata.plugin.tsdb.chunks.EncodedChunks;
import io.strata.plugin.tsdb.index.Postings;
import io.strata.plugin.tsdb.index.PostingsForMatchers;
import io.strata.plugin.tsdb.internal.Encbuf;
import io.strata.plugin.tsdb.internal.Utf8Order;
import io.strata.plugin.tsdb.querier.ChunkSeriesSource;
import io.strata.plugin.tsdb.querier.ListChunkSeries;
import io.strata.plugin.tsdb.querier.MergedChunkSeries;
import io.strata.plugin.tsdb.wal.WalReader;
import io.strata.plugin.tsdb.wal.WalRecords;
import io.strata.plugin.tsdb.wal.WalSegments;
import io.strata.plugin.tsdb.wal.WalWriteException;
import io.strata.plugin.tsdb.wal.WalWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory head of a TSDB: series with their open and memory-mapped chunks, an inverted index,
 * and the write-ahead log that makes appends durable. Appends go through {@link #appender()}.
 * Series lookups use concurrent maps; each series has its own lock.
 */
public final class Head implements ChunkSeriesSource, Appendable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Head.class);

    private final HeadOptions options;
    private final Path walDir;
    private final WalWriter wal;
    private final Object walLock = new Object();
    /** Series created in memory whose series record a failed WAL batch lost; logged by the next batch. Guarded by walLock. */
    private final List<MemSeries> unloggedSeries = new ArrayList<>();
    private final AtomicLong walWriteFailures = new AtomicLong();
    private final HeadChunkStore chunkStore;
    private final ConcurrentHashMap<Labels, MemSeries> byLabels = new ConcurrentHashMap<>();
    private volatile MemSeries[] byRef = new MemSeries[1024];
    private final Object refLock = new Object();
    private final MemPostings postings = new MemPostings();
    private final AtomicLong nextRef = new AtomicLong(1);
    private final AtomicLong minTime = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong maxTime = new AtomicLong(Long.MIN_VALUE);
    private volatile long minValidTime;
    private final AtomicLong outOfOrderRejected = new AtomicLong();

    /**
     * Opens a head whose WAL lives in {@code dataDir/wal} and head chunks in
     * {@code dataDir/chunks_head}, replaying the WAL (checkpoint first). {@code minValidTime} is the
     * end of the newest persisted block (samples before it are refused).
     */
    public static Head open(Path dataDir, HeadOptions options, long minValidTime) throws IOException {
        return new Head(dataDir, options, minValidTime, WalWriter.SegmentOpener.FILES);
    }

    /** Like {@link #open(Path, HeadOptions, long)}, opening WAL segments through {@code walOpener} (fault injection). */
    public static Head open(Path dataDir, HeadOptions options, long minValidTime, WalWriter.SegmentOpener walOpener) throws IOException {
        return new Head(dataDir, options, minValidTime, walOpener);
    }

    private Head(Path dataDir, HeadOptions options, long minValidTime, WalWriter.SegmentOpener walOpener) throws IOException {
        this.options = options;
        this.minValidTime = minValidTime;
        this.walDir = dataDir.resolve("wal");
        this.chunkStore = new HeadChunkStore(dataDir.resolve("chunks_head"), options.headChunkFileSize());
        Files.createDirectories(walDir);
        replay();
        this.wal = new WalWriter(walDir, options.walSegmentSize(), walOpener);
    }

    public HeadOptions options() {
        return options;
    }

    // ---- series registry ------------------------------------------------------------------

    MemSeries series(long ref) {
        MemSeries[] a = byRef;
        return ref > 0 && ref < a.length ? a[(int) ref] : null;
    }

    private void putRef(MemSeries s) {
        synchronized (refLock) {
            MemSeries[] a = byRef;
            if (s.ref >= a.length) {
                a = Arrays.copyOf(a, (int) Math.max(s.ref + 1, a.length * 2L));
            }
            a[(int) s.ref] = s;
            byRef = a;
        }
    }

    /** Returns the series for the labels, creating it with a new ref; {@code created} gets new ones. */
    MemSeries getOrCreate(Labels labels, List<MemSeries> created) {
        MemSeries s = byLabels.get(labels);
        if (s != null) {
            return s;
        }
        synchronized (refLock) {
            s = byLabels.get(labels);
            if (s != null) {
                return s;
            }
            Labels shared = postings.canonical(labels);
            s = new MemSeries(nextRef.getAndIncrement(), shared);
            putRef(s);
            byLabels.put(shared, s);
            postings.add(s.ref, shared);
        }
        if (created != null) {
            created.add(s);
        }
        return s;
    }

    private MemSeries createWithRef(long ref, Labels labels) {
        MemSeries existing = byLabels.get(labels);
        if (existing != null) {
            return existing;
        }
        Labels shared = postings.canonical(labels);
        MemSeries s = new MemSeries(ref, shared);
        putRef(s);
        byLabels.put(shared, s);
        postings.add(ref, shared);
        nextRef.accumulateAndGet(ref + 1, Math::max);
        return s;
    }

    public int numSeries() {
        return byLabels.size();
    }

    /** Smallest sample time in the head, or Long.MAX_VALUE when empty. */
    @Override
    public long minTime() {
        return minTime.get();
    }

    /** Largest sample time in the head, or Long.MIN_VALUE when empty. */
    @Override
    public long maxTime() {
        return maxTime.get();
    }

    /** Smallest timestamp of any data in the head, out-of-order samples included; Long.MAX_VALUE when empty. */
    public long dataMinTime() {
        long m = Long.MAX_VALUE;
        for (MemSeries s : byLabels.values()) {
            synchronized (s) {
                m = Math.min(m, s.minTime());
            }
        }
        return m;
    }

    public boolean isEmpty() {
        return maxTime.get() == Long.MIN_VALUE;
    }

    /** Samples before this time are refused as out of bounds. */
    public long appendableMinValidTime() {
        long mv = minValidTime;
        long max = maxTime.get();
        if (max == Long.MIN_VALUE) {
            return mv;
        }
        return Math.max(mv, max - options.chunkRange() / 2);
    }

    /** Samples refused at commit time because they arrived out of order within one batch. */
    public long outOfOrderRejectedAtCommit() {
        return outOfOrderRejected.get();
    }

    private void updateTimes(long t) {
        minTime.accumulateAndGet(t, Math::min);
        maxTime.accumulateAndGet(t, Math::max);
    }

    // ---- appending ---------------------------------------------------------------------------

    @Override
    public Appender appender() {
        return new HeadAppender(this);
    }

    /** Buffers samples; commit writes series and samples to the WAL, then into memory. */
    private static final class HeadAppender implements Appender {
        private final Head head;
        private final List<MemSeries> created = new ArrayList<>();
        private long[] refs = new long[64];
        private long[] ts = new long[64];
        private double[] vs = new double[64];
        private MemSeries[] series = new MemSeries[64];
        private int n;
        private final Encbuf buf = new Encbuf(4096);
        private long minValid = Long.MIN_VALUE;
        private boolean minValidSet;

        HeadAppender(Head head) {
            this.head = head;
        }

        @Override
        public long append(long ref, Labels labels, long t, double v) {
            if (!minValidSet) {
                minValid = head.appendableMinValidTime();
                minValidSet = true;
            }
            if (t < minValid) {
                long window = head.options.outOfOrderWindow();
                long max = head.maxTime.get();
                if (window == 0 || max == Long.MIN_VALUE || t < max - window) {
                    throw new AppendException(AppendException.Reason.OUT_OF_BOUNDS, "sample at " + t + " before " + minValid);
                }
            }
            MemSeries s = ref != 0 ? head.series(ref) : null;
            if (s == null || (labels != null && !labels.isEmpty() && !s.labels.equals(labels))) {
                if (labels == null || labels.isEmpty()) {
                    throw new AppendException(AppendException.Reason.INVALID_LABELS, "empty label set");
                }
                s = head.getOrCreate(labels, created);
            }
            synchronized (s) {
                s.checkAppendable(t, v, head.options.outOfOrderWindow(), head.maxTime.get());
            }
            if (n == refs.length) {
                int m = n * 2;
                refs = Arrays.copyOf(refs, m);
                ts = Arrays.copyOf(ts, m);
                vs = Arrays.copyOf(vs, m);
                series = Arrays.copyOf(series, m);
            }
            refs[n] = s.ref;
            ts[n] = t;
            vs[n] = v;
            series[n] = s;
            n++;
            return s.ref;
        }

        /** Logs the series this appender created and those an earlier failed batch lost. Caller holds walLock. */
        private void logSeries() throws IOException {
            List<MemSeries> lost = head.unloggedSeries;
            if (!created.isEmpty() || !lost.isEmpty()) {
                WalRecords.beginSeries(buf);
                for (MemSeries s : lost) {
                    WalRecords.addSeries(buf, s.ref, s.labels);
                }
                for (MemSeries s : created) {
                    WalRecords.addSeries(buf, s.ref, s.labels);
                }
                head.logRecord(buf);
            }
        }

        /** Writes the batch's records as one unit; on failure the WAL is cut back and the batch's series are kept for the next batch. */
        private void writeBatch(boolean withSamples) {
            synchronized (head.walLock) {
                try {
                    head.wal.beginBatch();
                    logSeries();
                    if (withSamples && n > 0) {
                        WalRecords.samples(buf, refs, ts, vs, n);
                        head.logRecord(buf);
                    }
                    head.wal.flush();
                    head.unloggedSeries.clear();
                    created.clear();
                } catch (IOException e) {
                    Path segment = head.wal.segmentPath();
                    IOException repair = head.wal.abortBatch();
                    head.unloggedSeries.addAll(created);
                    created.clear();
                    head.walWriteFailures.incrementAndGet();
                    WalWriteException ex = new WalWriteException(segment, withSamples
                            ? "the batch of " + n + " samples was not committed (samples committed before are kept)"
                            : "series records of a rolled-back batch will be written with the next batch", e);
                    if (repair != null) {
                        ex.addSuppressed(new IOException("cutting the WAL back to the last committed batch failed; retried on the next append",
                                repair));
                    }
                    throw ex;
                }
            }
        }

        @Override
        public void commit() {
            try {
                writeBatch(true);
                for (int i = 0; i < n; i++) {
                    head.applySample(series[i], ts[i], vs[i]);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("writing head chunks in " + head.walDir.resolveSibling("chunks_head") + " failed", e);
            } finally {
                clear();
            }
        }

        @Override
        public void rollback() {
            try {
                // Series were created in memory; log them so refs stay consistent with the WAL.
                writeBatch(false);
            } catch (WalWriteException e) {
                LOG.warn("rollback: {}", e.getMessage());
            } finally {
                clear();
            }
        }

        private void clear() {
            Arrays.fill(series, 0, n, null);
            n = 0;
            minValidSet = false;
        }
    }

    private void logRecord(Encbuf rec) throws IOException {
        wal.log(rec.array(), rec.length());
    }

    private void applySample(MemSeries s, long t, double v) throws IOException {
        int r;
        synchronized (s) {
            r = s.append(t, v, options.chunkRange(), options.samplesPerChunk(), options.outOfOrderWindow(), maxTime.get(),
                    t < appendableMinValidTime(), chunkStore);
        }
        if (r < 0) {
            outOfOrderRejected.incrementAndGet();
        } else if (r != MemSeries.DUPLICATE_IGNORED) {
            updateTimes(t);
        }
    }

    // ---- WAL replay --------------------------------------------------------------------------

    private void replay() throws IOException {
        Path checkpoint = WalSegments.lastCheckpoint(walDir);
        int after = -1;
        if (checkpoint != null) {
            after = WalSegments.checkpointIndex(checkpoint);
            List<Path> segs = new ArrayList<>();
            for (int k : WalSegments.list(checkpoint)) {
                segs.add(checkpoint.resolve(io.strata.plugin.tsdb.wal.WalFormat.segmentName(k)));
            }
            WalReader r = new WalReader(segs);
            replayRecords(r);
            if (r.err() != null) {
                throw new IOException("corrupt WAL checkpoint " + checkpoint + ": " + r.err().getMessage(), r.err());
            }
        }
        List<Path> segs = new ArrayList<>();
        for (int k : WalSegments.list(walDir)) {
            if (k > after) {
                segs.add(walDir.resolve(io.strata.plugin.tsdb.wal.WalFormat.segmentName(k)));
            }
        }
        WalReader r = new WalReader(segs);
        replayRecords(r);
        if (r.err() != null) {
            int bad = Math.max(0, r.lastGoodSegment());
            Path keep = segs.get(bad);
            LOG.warn("WAL corruption, truncating {} at offset {} and deleting later segments: {}", keep, r.lastGoodOffset(),
                    r.err().getMessage());
            try (FileChannel ch = FileChannel.open(keep, StandardOpenOption.WRITE)) {
                ch.truncate(r.lastGoodOffset());
            }
            for (int i = bad + 1; i < segs.size(); i++) {
                Files.deleteIfExists(segs.get(i));
            }
        }
    }

    private void replayRecords(WalReader r) throws IOException {
        Map<Long, MemSeries> refMap = new HashMap<>();
        IOException[] failure = new IOException[1];
        while (r.next()) {
            byte[] rec = r.record();
            int len = r.length();
            switch (WalRecords.type(rec, len)) {
                case WalRecords.SERIES -> WalRecords.decodeSeries(rec, len, (ref, labels) -> refMap.put(ref, createWithRef(ref, labels)));
                case WalRecords.SAMPLES -> WalRecords.decodeSamples(rec, len, (ref, t, v) -> {
                    MemSeries s = refMap.get(ref);
                    if (s == null) {
                        s = series(ref);
                    }
                    if (s == null || t < minValidTime) {
                        return;
                    }
                    try {
                        applySample(s, t, v);
                    } catch (IOException e) {
                        failure[0] = e;
                    }
                });
                default -> {
                    // Tombstones, exemplars, metadata and other records are not kept in the head.
                }
            }
            if (failure[0] != null) {
                throw failure[0];
            }
        }
    }

    // ---- reading -----------------------------------------------------------------------------

    private static final class Snapshot {
        final MemSeries series;
        final long[] mins;
        final long[] maxs;
        final ByteBuffer[] data;
        final int n;
        final ByteBuffer ooo;
        final long oooMin;
        final long oooMax;

        Snapshot(MemSeries series, long[] mins, long[] maxs, ByteBuffer[] data, int n, ByteBuffer ooo, long oooMin, long oooMax) {
            this.series = series;
            this.mins = mins;
            this.maxs = maxs;
            this.data = data;
            this.n = n;
            this.ooo = ooo;
            this.oooMin = oooMin;
            this.oooMax = oooMax;
        }
    }

    /** Copies the chunks of a series overlapping [mint, maxt]; null when there are none. */
    private Snapshot snapshot(MemSeries s, long mint, long maxt) {
        synchronized (s) {
            int cap = s.mmCount + 1;
            long[] mins = new long[cap];
            long[] maxs = new long[cap];
            ByteBuffer[] data = new ByteBuffer[cap];
            int n = 0;
            for (int i = 0; i < s.mmCount; i++) {
                if (s.mmMax[i] >= mint && s.mmMin[i] <= maxt) {
                    mins[n] = s.mmMin[i];
                    maxs[n] = s.mmMax[i];
                    data[n] = chunkStore.chunk(s.mmRef[i]);
                    n++;
                }
            }
            if (s.open != null && s.open.numSamples() > 0 && s.open.maxTime() >= mint && s.open.minTime() <= maxt) {
                mins[n] = s.open.minTime();
                maxs[n] = s.open.maxTime();
                data[n] = ByteBuffer.wrap(s.open.toByteArray());
                n++;
            }
            ByteBuffer ooo = null;
            long oooMin = 0;
            long oooMax = 0;
            if (s.oooN > 0) {
                XorChunkBuilder b = new XorChunkBuilder();
                for (int i = 0; i < s.oooN; i++) {
                    if (s.oooT[i] >= mint && s.oooT[i] <= maxt) {
                        b.append(s.oooT[i], s.oooV[i]);
                    }
                }
                if (b.numSamples() > 0) {
                    ooo = ByteBuffer.wrap(b.toByteArray());
                    oooMin = b.minTime();
                    oooMax = b.maxTime();
                }
            }
            if (n == 0 && ooo == null) {
                return null;
            }
            return new Snapshot(s, mins, maxs, data, n, ooo, oooMin, oooMax);
        }
    }

    private static ChunkSeries toChunkSeries(Snapshot snap) {
        ChunkSeries inOrder = ListChunkSeries.ofBuffers(snap.series.labels, snap.mins, snap.maxs, snap.data, snap.n);
        if (snap.ooo == null) {
            return inOrder;
        }
        ChunkSeries ooo = ListChunkSeries.ofBuffers(snap.series.labels, new long[]{snap.oooMin}, new long[]{snap.oooMax},
                new ByteBuffer[]{snap.ooo}, 1);
        return snap.n == 0 ? ooo : new MergedChunkSeries(snap.series.labels, List.of(inOrder, ooo));
    }

    private List<MemSeries> matching(Matcher... matchers) {
        Postings p = PostingsForMatchers.select(postings, matchers);
        List<MemSeries> out = new ArrayList<>();
        while (p.next()) {
            MemSeries s = series(p.at());
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public SeriesSet<ChunkSeries> select(long mint, long maxt, Matcher... matchers) {
        List<MemSeries> found = matching(matchers);
        found.sort((a, b) -> Utf8Order.compare(a.labels, b.labels));
        return new SeriesSet<>() {
            private int i = -1;
            private ChunkSeries current;

            @Override
            public boolean next() {
                while (++i < found.size()) {
                    Snapshot snap = snapshot(found.get(i), mint, maxt);
                    if (snap != null) {
                        current = toChunkSeries(snap);
                        return true;
                    }
                }
                return false;
            }

            @Override
            public ChunkSeries at() {
                return current;
            }
        };
    }

    @Override
    public List<String> labelValues(String name, Matcher... matchers) {
        if (matchers.length == 0) {
            return postings.labelValues(name);
        }
        TreeSet<String> out = new TreeSet<>(Utf8Order.STRINGS);
        for (MemSeries s : matching(matchers)) {
            String v = s.labels.get(name);
            if (!v.isEmpty()) {
                out.add(v);
            }
        }
        return new ArrayList<>(out);
    }

    @Override
    public List<String> labelNames(Matcher... matchers) {
        if (matchers.length == 0) {
            return postings.labelNames();
        }
        TreeSet<String> out = new TreeSet<>(Utf8Order.STRINGS);
        for (MemSeries s : matching(matchers)) {
            s.labels.forEach((k, v) -> out.add(k));
        }
        return new ArrayList<>(out);
    }

    // ---- compaction and truncation -----------------------------------------------------------

    /**
     * Writes the head's samples in [mint, maxt) into a new level-1 block under {@code parentDir};
     * returns null when the range holds no samples.
     */
    public Path writeBlock(Path parentDir, long mint, long maxt, BlockMeta.Thanos thanos) throws IOException {
        List<MemSeries> all = new ArrayList<>(byLabels.values());
        all.sort((a, b) -> Utf8Order.compare(a.labels, b.labels));
        List<ChunkSeries> series = new ArrayList<>();
        Set<String> symbols = new HashSet<>();
        for (MemSeries s : all) {
            Snapshot snap = snapshot(s, mint, maxt - 1);
            if (snap == null) {
                continue;
            }
            series.add(toChunkSeries(snap));
            s.labels.forEach((k, v) -> {
                symbols.add(k);
                symbols.add(v);
            });
        }
        if (series.isEmpty()) {
            return null;
        }
        String ulid = io.strata.plugin.tsdb.block.Ulid.generate();
        try (BlockWriter w = new BlockWriter(parentDir, ulid, symbols, ChunkSegmentFormat.DEFAULT_MAX_SEGMENT_SIZE)) {
            EncodedChunks enc = new EncodedChunks();
            XorChunkBuilder trim = new XorChunkBuilder();
            io.strata.plugin.tsdb.chunkenc.XorIterator it = new io.strata.plugin.tsdb.chunkenc.XorIterator();
            for (ChunkSeries cs : series) {
                enc.clear();
                ChunkIterator ci = cs.chunks(null);
                while (ci.next()) {
                    if (ci.minTime() >= mint && ci.maxTime() < maxt) {
                        enc.add(ci.minTime(), ci.maxTime(), ci.encoding(), ci.bytes());
                        continue;
                    }
                    // Chunks reaching outside the range (out-of-order merges) are cut to it.
                    trim.reset();
                    it.reset(ci.bytes());
                    while (it.next()) {
                        if (it.atT() >= mint && it.atT() < maxt) {
                            trim.append(it.atT(), it.atV());
                        }
                    }
                    if (trim.numSamples() > 0) {
                        enc.add(trim.minTime(), trim.maxTime(), ChunkIterator.ENCODING_XOR, ByteBuffer.wrap(trim.toByteArray()));
                    }
                }
                w.addSeries(cs.labels(), enc);
            }
            if (w.stats().numSeries() == 0) {
                return null;
            }
            return w.commit(mint, maxt, BlockMeta.Compaction.level1(ulid), thanos);
        }
    }

    /**
     * Drops all data before {@code mint}, removes empty series, deletes old head chunk files and
     * checkpoints the WAL so that only segments written after the truncation remain besides the
     * checkpoint.
     */
    public void truncate(long mint) throws IOException {
        if (mint > minValidTime) {
            minValidTime = mint;
        }
        Set<Long> dropped = new HashSet<>();
        Map<Long, Labels> droppedLabels = new HashMap<>();
        for (MemSeries s : byLabels.values()) {
            boolean empty;
            synchronized (s) {
                empty = s.truncateBefore(mint);
            }
            if (empty) {
                dropped.add(s.ref);
                droppedLabels.put(s.ref, s.labels);
            }
        }
        if (!dropped.isEmpty()) {
            synchronized (refLock) {
                for (Long ref : dropped) {
                    MemSeries s = byRef[(int) (long) ref];
                    synchronized (s) {
                        if (!s.isEmpty()) {
                            droppedLabels.remove(ref);
                            continue;
                        }
                    }
                    byLabels.remove(s.labels);
                    byRef[(int) (long) ref] = null;
                }
            }
            dropped.retainAll(droppedLabels.keySet());
            postings.delete(dropped, droppedLabels);
        }
        long newMin = Long.MAX_VALUE;
        for (MemSeries s : byLabels.values()) {
            synchronized (s) {
                newMin = Math.min(newMin, s.minTime());
            }
        }
        // Like Prometheus, the head now starts at the truncation point (the next block's aligned start).
        long oldMin = minTime.get();
        minTime.set(newMin == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(mint, oldMin == Long.MAX_VALUE ? mint : oldMin));
        if (byLabels.isEmpty() || newMin == Long.MAX_VALUE) {
            minTime.set(Long.MAX_VALUE);
            maxTime.set(Long.MIN_VALUE);
        }
        chunkStore.truncateBefore(mint);
        checkpoint(mint);
    }

    /** Writes checkpoint.N for all segments before the current one, then deletes them. */
    private void checkpoint(long mint) throws IOException {
        int last;
        synchronized (walLock) {
            last = wal.nextSegment() - 1;
        }
        List<Integer> segs = WalSegments.list(walDir);
        Path previous = WalSegments.lastCheckpoint(walDir);
        List<Path> inputs = new ArrayList<>();
        if (previous != null) {
            for (int k : WalSegments.list(previous)) {
                inputs.add(previous.resolve(io.strata.plugin.tsdb.wal.WalFormat.segmentName(k)));
            }
        }
        for (int k : segs) {
            if (k <= last && (previous == null || k > WalSegments.checkpointIndex(previous))) {
                inputs.add(walDir.resolve(io.strata.plugin.tsdb.wal.WalFormat.segmentName(k)));
            }
        }
        Path tmp = walDir.resolve(String.format("checkpoint.%08d.tmp", last));
        BlockWriter.delete(tmp);
        try (WalWriter out = new WalWriter(tmp, options.walSegmentSize())) {
            Encbuf e = new Encbuf(1 << 16);
            WalRecords.beginSeries(e);
            int count = 0;
            for (MemSeries s : byLabels.values()) {
                WalRecords.addSeries(e, s.ref, s.labels);
                if (++count % 1000 == 0) {
                    out.log(e.array(), e.length());
                    WalRecords.beginSeries(e);
                }
            }
            if (e.length() > 1) {
                out.log(e.array(), e.length());
            }
            WalReader r = new WalReader(inputs);
            long[] refs = new long[1024];
            long[] ts = new long[1024];
            double[] vs = new double[1024];
            int[] n = new int[1];
            Encbuf se = new Encbuf(1 << 16);
            while (r.next()) {
                if (WalRecords.type(r.record(), r.length()) != WalRecords.SAMPLES) {
                    continue;
                }
                n[0] = 0;
                long[][] grow = {refs, ts};
                double[][] growV = {vs};
                WalRecords.decodeSamples(r.record(), r.length(), (ref, t, v) -> {
                    if (t < mint || series(ref) == null) {
                        return;
                    }
                    if (n[0] == grow[0].length) {
                        grow[0] = Arrays.copyOf(grow[0], n[0] * 2);
                        grow[1] = Arrays.copyOf(grow[1], n[0] * 2);
                        growV[0] = Arrays.copyOf(growV[0], n[0] * 2);
                    }
                    grow[0][n[0]] = ref;
                    grow[1][n[0]] = t;
                    growV[0][n[0]] = v;
                    n[0]++;
                });
                refs = grow[0];
                ts = grow[1];
                vs = growV[0];
                if (n[0] > 0) {
                    WalRecords.samples(se, refs, ts, vs, n[0]);
                    out.log(se.array(), se.length());
                }
            }
            if (r.err() != null) {
                LOG.warn("WAL checkpoint stopped at a corrupt record: {}", r.err().getMessage());
            }
        }
        Path dst = walDir.resolve(String.format("checkpoint.%08d", last));
        BlockWriter.delete(dst);
        Files.move(tmp, dst, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        for (int k : segs) {
            if (k <= last) {
                Files.deleteIfExists(walDir.resolve(io.strata.plugin.tsdb.wal.WalFormat.segmentName(k)));
            }
        }
        if (previous != null && !previous.equals(dst)) {
            BlockWriter.delete(previous);
        }
    }

    /** Commits (and rollbacks) whose WAL write failed since open, for a counter. */
    public long walWriteFailures() {
        return walWriteFailures.get();
    }

    /** Number of memory-mapped head chunk files. */
    public int headChunkFiles() {
        return chunkStore.fileCount();
    }

    @Override
    public void close() throws IOException {
        synchronized (walLock) {
            wal.close();
        }
        chunkStore.close();
    }
}
