package io.strata.plugin.tsdb.index;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Postings implementations and lazy combinators (intersection, union, difference). */
public final class PostingsLists {
    private PostingsLists() {
    }

    public static final Postings EMPTY = new Postings() {
        @Override
        public boolean next() {
            return false;
        }

        @Override
        public boolean seek(long v) {
            return false;
        }

        @Override
        public long at() {
            throw new IllegalStateException("empty postings");
        }
    };

    /** Postings over the first {@code n} entries of a sorted array (not copied). */
    public static Postings of(long[] sorted, int n) {
        return new ArrayPostings(sorted, n);
    }

    public static Postings of(long... sorted) {
        return new ArrayPostings(sorted, sorted.length);
    }

    /** Postings over {@code count} BE32 IDs starting at {@code offset} of a buffer. */
    public static Postings be32(ByteBuffer buf, int offset, int count) {
        return new BigEndianPostings(buf, offset, count);
    }

    /** Drains postings into a sorted array. */
    public static long[] toArray(Postings p) {
        long[] out = new long[16];
        int n = 0;
        while (p.next()) {
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = p.at();
        }
        return Arrays.copyOf(out, n);
    }

    public static Postings intersect(List<Postings> ps) {
        if (ps.isEmpty()) {
            return EMPTY;
        }
        if (ps.size() == 1) {
            return ps.get(0);
        }
        for (Postings p : ps) {
            if (p == EMPTY) {
                return EMPTY;
            }
        }
        return new Intersection(ps.toArray(new Postings[0]));
    }

    public static Postings merge(List<Postings> ps) {
        List<Postings> live = new ArrayList<>(ps.size());
        for (Postings p : ps) {
            if (p != EMPTY) {
                live.add(p);
            }
        }
        if (live.isEmpty()) {
            return EMPTY;
        }
        if (live.size() == 1) {
            return live.get(0);
        }
        return new Union(live.toArray(new Postings[0]));
    }

    /** The references of {@code full} that are not in {@code drop}. */
    public static Postings without(Postings full, Postings drop) {
        if (full == EMPTY || drop == EMPTY) {
            return full;
        }
        return new Difference(full, drop);
    }

    private static final class ArrayPostings implements Postings {
        private final long[] a;
        private final int n;
        private int i = -1;

        ArrayPostings(long[] a, int n) {
            this.a = a;
            this.n = n;
        }

        @Override
        public boolean next() {
            if (i < n) {
                i++;
            }
            return i < n;
        }

        @Override
        public boolean seek(long v) {
            if (i < 0) {
                i = 0;
            }
            if (i >= n) {
                return false;
            }
            if (a[i] >= v) {
                return true;
            }
            int lo = i + 1;
            int hi = n - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (a[mid] < v) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            i = lo;
            return i < n;
        }

        @Override
        public long at() {
            return a[i];
        }
    }

    private static final class BigEndianPostings implements Postings {
        private final ByteBuffer b;
        private final int base;
        private final int n;
        private int i = -1;
        private long cur;

        BigEndianPostings(ByteBuffer b, int base, int n) {
            this.b = b;
            this.base = base;
            this.n = n;
        }

        private long get(int k) {
            return b.getInt(base + (k << 2)) & 0xFFFFFFFFL;
        }

        @Override
        public boolean next() {
            if (i < n) {
                i++;
            }
            if (i < n) {
                cur = get(i);
                return true;
            }
            return false;
        }

        @Override
        public boolean seek(long v) {
            if (i < 0) {
                i = 0;
            }
            if (i >= n) {
                return false;
            }
            cur = get(i);
            if (cur >= v) {
                return true;
            }
            int lo = i + 1;
            int hi = n - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (get(mid) < v) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            i = lo;
            if (i < n) {
                cur = get(i);
                return true;
            }
            return false;
        }

        @Override
        public long at() {
            return cur;
        }
    }

    private static final class Intersection implements Postings {
        private final Postings[] ps;
        private long cur;

        Intersection(Postings[] ps) {
            this.ps = ps;
        }

        @Override
        public boolean next() {
            if (!ps[0].next()) {
                return false;
            }
            return align(ps[0].at());
        }

        @Override
        public boolean seek(long v) {
            if (!ps[0].seek(v)) {
                return false;
            }
            return align(ps[0].at());
        }

        private boolean align(long target) {
            while (true) {
                boolean moved = false;
                for (Postings p : ps) {
                    if (!p.seek(target)) {
                        return false;
                    }
                    if (p.at() > target) {
                        target = p.at();
                        moved = true;
                    }
                }
                if (!moved) {
                    cur = target;
                    return true;
                }
            }
        }

        @Override
        public long at() {
            return cur;
        }

        @Override
        public Exception err() {
            for (Postings p : ps) {
                if (p.err() != null) {
                    return p.err();
                }
            }
            return null;
        }
    }

    /** K-way union over a binary min-heap of the live postings. */
    private static final class Union implements Postings {
        private final Postings[] all;
        private final Postings[] heap;
        private int size;
        private boolean started;
        private long cur;

        Union(Postings[] ps) {
            this.all = ps;
            this.heap = new Postings[ps.length];
        }

        private void init() {
            started = true;
            for (Postings p : all) {
                if (p.next()) {
                    heap[size++] = p;
                }
            }
            for (int i = size / 2 - 1; i >= 0; i--) {
                down(i);
            }
        }

        private void down(int i) {
            while (true) {
                int l = 2 * i + 1;
                if (l >= size) {
                    return;
                }
                int m = l;
                if (l + 1 < size && heap[l + 1].at() < heap[l].at()) {
                    m = l + 1;
                }
                if (heap[m].at() >= heap[i].at()) {
                    return;
                }
                Postings t = heap[m];
                heap[m] = heap[i];
                heap[i] = t;
                i = m;
            }
        }

        @Override
        public boolean next() {
            if (!started) {
                init();
                if (size == 0) {
                    return false;
                }
                cur = heap[0].at();
                return true;
            }
            while (size > 0 && heap[0].at() <= cur) {
                if (heap[0].next()) {
                    down(0);
                } else {
                    heap[0] = heap[--size];
                    down(0);
                }
            }
            if (size == 0) {
                return false;
            }
            cur = heap[0].at();
            return true;
        }

        @Override
        public boolean seek(long v) {
            if (!started) {
                init();
                if (size == 0) {
                    return false;
                }
                cur = heap[0].at();
            }
            if (size == 0) {
                return false;
            }
            if (cur >= v) {
                return true;
            }
            int w = 0;
            for (int i = 0; i < size; i++) {
                if (heap[i].seek(v)) {
                    heap[w++] = heap[i];
                }
            }
            size = w;
            for (int i = size / 2 - 1; i >= 0; i--) {
                down(i);
            }
            if (size == 0) {
                return false;
            }
            cur = heap[0].at();
            return true;
        }

        @Override
        public long at() {
            return cur;
        }

        @Override
        public Exception err() {
            for (Postings p : all) {
                if (p.err() != null) {
                    return p.err();
                }
            }
            return null;
        }
    }

    private static final class Difference implements Postings {
        private final Postings full;
        private final Postings drop;
        private boolean dropLive = true;
        private boolean dropStarted;
        private long cur;

        Difference(Postings full, Postings drop) {
            this.full = full;
            this.drop = drop;
        }

        private boolean skipDropped() {
            while (true) {
                long v = full.at();
                if (dropLive) {
                    if (!dropStarted || drop.at() < v) {
                        dropStarted = true;
                        dropLive = drop.seek(v);
                    }
                }
                if (dropLive && drop.at() == v) {
                    if (!full.next()) {
                        return false;
                    }
                    continue;
                }
                cur = v;
                return true;
            }
        }

        @Override
        public boolean next() {
            if (!full.next()) {
                return false;
            }
            return skipDropped();
        }

        @Override
        public boolean seek(long v) {
            if (!full.seek(v)) {
                return false;
            }
            return skipDropped();
        }

        @Override
        public long at() {
            return cur;
        }

        @Override
        public Exception err() {
            return full.err() != null ? full.err() : drop.err();
        }
    }
}
