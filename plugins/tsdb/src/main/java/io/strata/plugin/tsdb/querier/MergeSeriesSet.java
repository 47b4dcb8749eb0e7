package io.strata.plugin.tsdb.querier;

import io.strata.api.labels.Labels;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.SeriesSet;
import io.strata.plugin.tsdb.internal.Utf8Order;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges label-sorted chunk series sets; series with equal labels in several sets become one
 * {@link MergedChunkSeries} (overlapping chunks are merged, identical samples deduplicated).
 */
public final class MergeSeriesSet implements SeriesSet<ChunkSeries> {
    private final List<SeriesSet<ChunkSeries>> sets;
    private final boolean[] live;
    private boolean started;
    private ChunkSeries current;
    private Exception err;

    public MergeSeriesSet(List<SeriesSet<ChunkSeries>> sets) {
        this.sets = List.copyOf(sets);
        this.live = new boolean[sets.size()];
    }

    /** One set as it is, several merged. */
    public static SeriesSet<ChunkSeries> of(List<SeriesSet<ChunkSeries>> sets) {
        if (sets.isEmpty()) {
            return SeriesSet.empty();
        }
        return sets.size() == 1 ? sets.get(0) : new MergeSeriesSet(sets);
    }

    @Override
    public boolean next() {
        if (!started) {
            started = true;
            for (int i = 0; i < sets.size(); i++) {
                live[i] = advance(i);
            }
        }
        if (err != null) {
            return false;
        }
        Labels min = null;
        for (int i = 0; i < sets.size(); i++) {
            if (live[i]) {
                Labels l = sets.get(i).at().labels();
                if (min == null || Utf8Order.compare(l, min) < 0) {
                    min = l;
                }
            }
        }
        if (min == null) {
            return false;
        }
        List<ChunkSeries> same = new ArrayList<>(2);
        for (int i = 0; i < sets.size(); i++) {
            if (live[i] && sets.get(i).at().labels().equals(min)) {
                same.add(sets.get(i).at());
                live[i] = advance(i);
            }
        }
        current = same.size() == 1 ? same.get(0) : new MergedChunkSeries(min, same);
        return true;
    }

    private boolean advance(int i) {
        SeriesSet<ChunkSeries> s = sets.get(i);
        if (s.next()) {
            return true;
        }
        if (s.err() != null && err == null) {
            err = s.err();
        }
        return false;
    }

    @Override
    public ChunkSeries at() {
        return current;
    }

    @Override
    public Exception err() {
        return err;
    }

    @Override
    public List<String> warnings() {
        List<String> w = new ArrayList<>();
        for (SeriesSet<ChunkSeries> s : sets) {
            w.addAll(s.warnings());
        }
        return w;
    }
}
