package io.strata.plugin.tsdb.head;

import io.strata.api.labels.Labels;
import io.strata.plugin.tsdb.index.IndexLookup;
import io.strata.plugin.tsdb.index.Postings;
import io.strata.plugin.tsdb.index.PostingsLists;
import io.strata.plugin.tsdb.internal.Utf8Order;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The head's inverted index: label pair to ascending series refs. Lists only grow at the end (refs
 * rise), so readers take a snapshot (array, length) under the read lock and iterate without it.
 */
final class MemPostings implements IndexLookup {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, TreeMap<String, RefList>> index = new HashMap<>();
    /** Each label name once, so series share one instance of it (guarded by the lock, like the index). */
    private final Map<String, String> names = new HashMap<>();
    private final RefList all = new RefList(null);

    /** The refs of one label pair, and the pair's value: the instance series of the head share. */
    private static final class RefList {
        final String value;
        long[] a = new long[4];
        int n;

        RefList(String value) {
            this.value = value;
        }

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            if (n > 0 && a[n - 1] > v) {
                // Refs normally arrive ascending; keep the list sorted when they do not (WAL replay).
                int i = Arrays.binarySearch(a, 0, n, v);
                i = i < 0 ? -i - 1 : i;
                System.arraycopy(a, i, a, i + 1, n - i);
                a[i] = v;
                n++;
                return;
            }
            a[n++] = v;
        }
    }

    void add(long ref, Labels labels) {
        lock.writeLock().lock();
        try {
            all.add(ref);
            for (int i = 0; i < labels.size(); i++) {
                names.putIfAbsent(labels.name(i), labels.name(i));
                index.computeIfAbsent(labels.name(i), k -> new TreeMap<>(Utf8Order.STRINGS))
                        .computeIfAbsent(labels.value(i), RefList::new).add(ref);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The labels with every name and value replaced by the instance the index already holds, so
     * that the series of the head share their strings; {@code labels} itself when nothing changes.
     */
    Labels canonical(Labels labels) {
        lock.readLock().lock();
        try {
            String[] pairs = null;
            for (int i = 0; i < labels.size(); i++) {
                String name = labels.name(i);
                String value = labels.value(i);
                String cn = names.get(name);
                TreeMap<String, RefList> values = index.get(name);
                RefList list = values == null ? null : values.get(value);
                String cv = list == null ? value : list.value;
                if (cn == null) {
                    cn = name;
                }
                if (cn != name || cv != value) {
                    if (pairs == null) {
                        pairs = labels.toArray();
                    }
                    pairs[2 * i] = cn;
                    pairs[2 * i + 1] = cv;
                }
            }
            return pairs == null ? labels : Labels.wrapSorted(pairs);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Removes series; lists are rebuilt so snapshots held by readers stay intact. */
    void delete(Set<Long> refs, Map<Long, Labels> labels) {
        lock.writeLock().lock();
        try {
            rebuild(all, refs);
            for (Long ref : refs) {
                Labels l = labels.get(ref);
                for (int i = 0; i < l.size(); i++) {
                    TreeMap<String, RefList> values = index.get(l.name(i));
                    if (values == null) {
                        continue;
                    }
                    RefList list = values.get(l.value(i));
                    if (list == null) {
                        continue;
                    }
                    rebuild(list, refs);
                    if (list.n == 0) {
                        values.remove(l.value(i));
                        if (values.isEmpty()) {
                            index.remove(l.name(i));
                            names.remove(l.name(i));
                        }
                    }
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static void rebuild(RefList list, Set<Long> drop) {
        long[] b = new long[Math.max(4, list.n)];
        int m = 0;
        for (int i = 0; i < list.n; i++) {
            if (!drop.contains(list.a[i])) {
                b[m++] = list.a[i];
            }
        }
        list.a = b;
        list.n = m;
    }

    @Override
    public Postings postings(String name, String value) {
        lock.readLock().lock();
        try {
            TreeMap<String, RefList> values = index.get(name);
            RefList l = values == null ? null : values.get(value);
            return l == null || l.n == 0 ? PostingsLists.EMPTY : PostingsLists.of(l.a, l.n);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Postings allPostings() {
        lock.readLock().lock();
        try {
            return PostingsLists.of(all.a, all.n);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<String> labelValues(String name) {
        lock.readLock().lock();
        try {
            TreeMap<String, RefList> values = index.get(name);
            return values == null ? List.of() : new ArrayList<>(values.keySet());
        } finally {
            lock.readLock().unlock();
        }
    }

    List<String> labelNames() {
        lock.readLock().lock();
        try {
            List<String> names = new ArrayList<>(index.keySet());
            names.sort(Utf8Order.STRINGS);
            return names;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Postings count per label pair, for analysis. */
    int count(String name, String value) {
        lock.readLock().lock();
        try {
            TreeMap<String, RefList> values = index.get(name);
            RefList l = values == null ? null : values.get(value);
            return l == null ? 0 : l.n;
        } finally {
            lock.readLock().unlock();
        }
    }
}
