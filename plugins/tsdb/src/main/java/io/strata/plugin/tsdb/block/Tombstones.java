package io.strata.plugin.tsdb.block;

import io.strata.plugin.tsdb.CorruptionException;
import io.strata.plugin.tsdb.internal.Decbuf;
import io.strata.plugin.tsdb.internal.Encbuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deleted time intervals per series ID (inclusive bounds), the content of a block's
 * {@code tombstones} file. Immutable once read.
 */
public final class Tombstones {
    public static final String FILE_NAME = "tombstones";
    public static final int MAGIC = 0x0130BA30;
    public static final int VERSION = 1;
    public static final Tombstones EMPTY = new Tombstones(new TreeMap<>());

    /** Series ID to sorted, merged intervals as [min0, max0, min1, max1, ...]. */
    private final TreeMap<Long, long[]> intervals;

    private Tombstones(TreeMap<Long, long[]> intervals) {
        this.intervals = intervals;
    }

    /** Builds tombstones from a map of series ID to intervals (pairs of inclusive bounds). */
    public static Tombstones of(Map<Long, long[]> intervals) {
        TreeMap<Long, long[]> m = new TreeMap<>();
        intervals.forEach((k, v) -> m.put(k, normalise(v)));
        return new Tombstones(m);
    }

    private static long[] normalise(long[] pairs) {
        int n = pairs.length / 2;
        long[][] iv = new long[n][];
        for (int i = 0; i < n; i++) {
            iv[i] = new long[]{pairs[2 * i], pairs[2 * i + 1]};
        }
        Arrays.sort(iv, (a, b) -> Long.compare(a[0], b[0]));
        long[] out = new long[pairs.length];
        int k = 0;
        for (long[] x : iv) {
            if (k > 0 && x[0] <= out[k - 1] + 1) {
                out[k - 1] = Math.max(out[k - 1], x[1]);
            } else {
                out[k++] = x[0];
                out[k++] = x[1];
            }
        }
        return Arrays.copyOf(out, k);
    }

    public boolean isEmpty() {
        return intervals.isEmpty();
    }

    /** Number of intervals in all series. */
    public int count() {
        int n = 0;
        for (long[] v : intervals.values()) {
            n += v.length / 2;
        }
        return n;
    }

    /** Intervals of a series as [min, max] pairs, empty when none. */
    public long[] get(long seriesId) {
        long[] v = intervals.get(seriesId);
        return v == null ? EMPTY_INTERVALS : v;
    }

    public Map<Long, long[]> asMap() {
        return Collections.unmodifiableMap(intervals);
    }

    private static final long[] EMPTY_INTERVALS = new long[0];

    /** True when {@code t} lies in one of the intervals. */
    public static boolean isDeleted(long[] intervals, long t) {
        for (int i = 0; i < intervals.length; i += 2) {
            if (t >= intervals[i] && t <= intervals[i + 1]) {
                return true;
            }
        }
        return false;
    }

    public static Tombstones read(Path blockDir) throws IOException {
        Path f = blockDir.resolve(FILE_NAME);
        byte[] b;
        try {
            b = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return EMPTY;
        }
        if (b.length < 9) {
            throw new CorruptionException(f, 0, "tombstones file of " + b.length + " bytes is shorter than 9");
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        if (buf.getInt(0) != MAGIC) {
            throw new CorruptionException(f, 0, "bad tombstones magic 0x" + Integer.toHexString(buf.getInt(0)) + ", want 0x130ba30");
        }
        if (b[4] != VERSION) {
            throw new CorruptionException(f, 4, "unsupported tombstones version " + b[4] + ", want 1");
        }
        Decbuf d = new Decbuf(buf, f, 4, b.length);
        // Prometheus's CRC covers the entries only (not the magic, not the version byte).
        d.checkCrc(5, b.length - 4, "tombstones");
        d.limit(b.length - 4);
        d.u8();
        TreeMap<Long, long[]> raw = new TreeMap<>();
        while (d.remaining() > 0) {
            long ref = d.uvarint();
            long mint = d.varint();
            long maxt = d.varint();
            long[] prev = raw.get(ref);
            long[] next = prev == null ? new long[2] : Arrays.copyOf(prev, prev.length + 2);
            next[next.length - 2] = mint;
            next[next.length - 1] = maxt;
            raw.put(ref, next);
        }
        return of(raw);
    }

    /** Writes the tombstones file (entries in series ID order). */
    public void write(Path blockDir) throws IOException {
        Encbuf e = new Encbuf(64);
        e.be32(MAGIC).u8(VERSION);
        for (Map.Entry<Long, long[]> en : intervals.entrySet()) {
            long[] v = en.getValue();
            for (int i = 0; i < v.length; i += 2) {
                e.uvarint(en.getKey()).varint(v[i]).varint(v[i + 1]);
            }
        }
        e.be32(e.crc32c(5, e.length()));
        Files.write(blockDir.resolve(FILE_NAME), e.toByteArray());
    }
}
