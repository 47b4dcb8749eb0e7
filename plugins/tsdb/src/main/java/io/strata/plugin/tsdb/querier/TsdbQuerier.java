package io.strata.plugin.tsdb.querier;

import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.ChunkQuerier;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.LabelHints;
import io.strata.api.storage.Querier;
import io.strata.api.storage.SampleIterator;
import io.strata.api.storage.SelectHints;
import io.strata.api.storage.Series;
import io.strata.api.storage.SeriesSet;
import io.strata.plugin.tsdb.internal.Utf8Order;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A querier over several sources (blocks, the head) for [mint, maxt] (inclusive). Sources outside
 * the range (or outside the hints' range) are skipped; series present in several sources are
 * merged. The sample view trims samples to the range; the chunk view returns whole chunks.
 */
public final class TsdbQuerier implements AutoCloseable {
    private final List<ChunkSeriesSource> sources;
    private final long mint;
    private final long maxt;
    private final Runnable onClose;

    public TsdbQuerier(List<? extends ChunkSeriesSource> sources, long mint, long maxt, Runnable onClose) {
        if (maxt < mint) {
            throw new IllegalArgumentException("querier maxt " + maxt + " before mint " + mint);
        }
        this.sources = List.copyOf(sources);
        this.mint = mint;
        this.maxt = maxt;
        this.onClose = onClose;
    }

    private long lo(SelectHints hints) {
        return hints == null ? mint : Math.max(mint, hints.start());
    }

    private long hi(SelectHints hints) {
        return hints == null ? maxt : Math.min(maxt, hints.end());
    }

    private SeriesSet<ChunkSeries> selectChunks(long lo, long hi, int limit, Matcher... matchers) {
        if (hi < lo) {
            return SeriesSet.empty();
        }
        List<SeriesSet<ChunkSeries>> sets = new ArrayList<>();
        for (ChunkSeriesSource s : sources) {
            if (s.maxTime() >= lo && s.minTime() <= hi) {
                sets.add(s.select(lo, hi, matchers));
            }
        }
        SeriesSet<ChunkSeries> merged = MergeSeriesSet.of(sets);
        return limit > 0 ? limited(merged, limit) : merged;
    }

    private static <S> SeriesSet<S> limited(SeriesSet<S> in, int limit) {
        return new SeriesSet<>() {
            private int n;

            @Override
            public boolean next() {
                return n++ < limit && in.next();
            }

            @Override
            public S at() {
                return in.at();
            }

            @Override
            public Exception err() {
                return in.err();
            }

            @Override
            public List<String> warnings() {
                return in.warnings();
            }
        };
    }

    /** Chunk series; always sorted. */
    public SeriesSet<ChunkSeries> selectChunks(boolean sorted, SelectHints hints, Matcher... matchers) {
        return selectChunks(lo(hints), hi(hints), hints == null ? 0 : hints.limit(), matchers);
    }

    /** The sample view (Querier). */
    public Querier samples() {
        TsdbQuerier self = this;
        return new Querier() {
            @Override
            public SeriesSet<Series> select(boolean sorted, SelectHints hints, Matcher... matchers) {
                long lo = lo(hints);
                long hi = hi(hints);
                SeriesSet<ChunkSeries> cs = selectChunks(lo, hi, hints == null ? 0 : hints.limit(), matchers);
                return SeriesSet.map(cs, c -> new TrimmedSeries(c, lo, hi));
            }

            @Override
            public List<String> labelValues(String name, LabelHints hints, Matcher... matchers) {
                return self.labelValues(name, hints, matchers);
            }

            @Override
            public List<String> labelNames(LabelHints hints, Matcher... matchers) {
                return self.labelNames(hints, matchers);
            }

            @Override
            public void close() {
                self.close();
            }
        };
    }

    /** The chunk view (ChunkQuerier). */
    public ChunkQuerier chunks() {
        TsdbQuerier self = this;
        return new ChunkQuerier() {
            @Override
            public SeriesSet<ChunkSeries> select(boolean sorted, SelectHints hints, Matcher... matchers) {
                return selectChunks(sorted, hints, matchers);
            }

            @Override
            public List<String> labelValues(String name, LabelHints hints, Matcher... matchers) {
                return self.labelValues(name, hints, matchers);
            }

            @Override
            public List<String> labelNames(LabelHints hints, Matcher... matchers) {
                return self.labelNames(hints, matchers);
            }

            @Override
            public void close() {
                self.close();
            }
        };
    }

    /** A series whose samples are trimmed to [lo, hi]. */
    private static final class TrimmedSeries implements Series {
        private final ChunkSeries chunks;
        private final long lo;
        private final long hi;

        TrimmedSeries(ChunkSeries chunks, long lo, long hi) {
            this.chunks = chunks;
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        public Labels labels() {
            return chunks.labels();
        }

        @Override
        public SampleIterator iterator(SampleIterator reuse) {
            ChunkSeriesIterator it = reuse instanceof ChunkSeriesIterator c ? c : new ChunkSeriesIterator();
            return it.reset(chunks.chunks(null), lo, hi);
        }
    }

    public List<String> labelValues(String name, LabelHints hints, Matcher... matchers) {
        TreeSet<String> out = new TreeSet<>(Utf8Order.STRINGS);
        for (ChunkSeriesSource s : sources) {
            if (s.maxTime() >= mint && s.minTime() <= maxt) {
                out.addAll(s.labelValues(name, matchers));
            }
        }
        return limit(out, hints);
    }

    public List<String> labelNames(LabelHints hints, Matcher... matchers) {
        TreeSet<String> out = new TreeSet<>(Utf8Order.STRINGS);
        for (ChunkSeriesSource s : sources) {
            if (s.maxTime() >= mint && s.minTime() <= maxt) {
                out.addAll(s.labelNames(matchers));
            }
        }
        return limit(out, hints);
    }

    private static List<String> limit(TreeSet<String> values, LabelHints hints) {
        List<String> l = new ArrayList<>(values);
        if (hints != null && hints.limit() > 0 && l.size() > hints.limit()) {
            return new ArrayList<>(l.subList(0, hints.limit()));
        }
        return l;
    }

    @Override
    public void close() {
        if (onClose != null) {
            onClose.run();
        }
    }
}
