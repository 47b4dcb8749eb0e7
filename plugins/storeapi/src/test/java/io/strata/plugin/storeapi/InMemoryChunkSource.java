package io.strata.plugin.storeapi;

import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkQuerier;
import io.strata.api.storage.ChunkQueryable;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.LabelHints;
import io.strata.api.storage.SelectHints;
import io.strata.api.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A chunk source over series held in memory, for tests: selects by matchers (a missing label matches
 * as "") and by chunk overlap with the time range, sorted in UTF-8 label order. It records the hints of
 * every select so tests can see what a server passed down.
 */
public final class InMemoryChunkSource implements ChunkQueryable {
    private final List<ChunkSeries> series;
    private final List<SelectHints> selectHints = new CopyOnWriteArrayList<>();

    public InMemoryChunkSource(List<ChunkSeries> series) {
        List<ChunkSeries> sorted = new ArrayList<>(series);
        sorted.sort((a, b) -> a.labels().compareTo(b.labels()));
        this.series = List.copyOf(sorted);
    }

    /** The hints of every select so far, oldest first. */
    public List<SelectHints> selectHints() {
        return selectHints;
    }

    private static boolean matches(Labels l, Matcher... matchers) {
        for (Matcher m : matchers) {
            if (!m.matches(l.get(m.name()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean overlaps(ChunkSeries s, long min, long max) {
        ChunkIterator it = s.chunks(null);
        while (it.next()) {
            if (it.maxTime() >= min && it.minTime() <= max) {
                return true;
            }
        }
        return false;
    }

    @Override
    public ChunkQuerier chunkQuerier(long minTime, long maxTime) {
        return new ChunkQuerier() {
            @Override
            public SeriesSet<ChunkSeries> select(boolean sorted, SelectHints hints, Matcher... matchers) {
                if (hints != null) {
                    selectHints.add(hints);
                }
                long lo = hints == null ? minTime : Math.max(minTime, hints.start());
                long hi = hints == null ? maxTime : Math.min(maxTime, hints.end());
                List<ChunkSeries> out = new ArrayList<>();
                for (ChunkSeries s : series) {
                    if (matches(s.labels(), matchers) && overlaps(s, lo, hi)) {
                        out.add(s);
                    }
                }
                return SeriesSet.of(out);
            }

            @Override
            public List<String> labelValues(String name, LabelHints hints, Matcher... matchers) {
                TreeSet<String> out = new TreeSet<String>(Labels::compareUtf8);
                for (ChunkSeries s : series) {
                    if (matches(s.labels(), matchers) && overlaps(s, minTime, maxTime) && s.labels().has(name)) {
                        out.add(s.labels().get(name));
                    }
                }
                return limit(out, hints);
            }

            @Override
            public List<String> labelNames(LabelHints hints, Matcher... matchers) {
                TreeSet<String> out = new TreeSet<String>(Labels::compareUtf8);
                for (ChunkSeries s : series) {
                    if (matches(s.labels(), matchers) && overlaps(s, minTime, maxTime)) {
                        out.addAll(s.labels().names());
                    }
                }
                return limit(out, hints);
            }

            @Override
            public void close() {
            }
        };
    }

    private static List<String> limit(TreeSet<String> values, LabelHints hints) {
        List<String> l = new ArrayList<>(values);
        return hints != null && hints.limit() > 0 && l.size() > hints.limit() ? l.subList(0, hints.limit()) : l;
    }
}
