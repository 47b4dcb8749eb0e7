package io.strata.api.storage;

import java.util.List;

/**
 * A pull iterator over series ({@link Series} or {@link ChunkSeries}), sorted by labels when
 * the caller asked for sorting.
 */
public interface SeriesSet<S> {
    boolean next();

    S at();

    /** The error that ended iteration early, or null. */
    default Exception err() {
        return null;
    }

    /**
     * Non-fatal problems met while producing the set (for example an unreachable store). A set that
     * streams learns of them as it goes: the list is complete once {@link #next()} has returned false.
     */
    default List<String> warnings() {
        return List.of();
    }

    static <S> SeriesSet<S> empty() {
        return new SeriesSet<>() {
            @Override
            public boolean next() {
                return false;
            }

            @Override
            public S at() {
                throw new IllegalStateException("empty series set");
            }
        };
    }

    static <S> SeriesSet<S> of(List<S> series) {
        return new SeriesSet<>() {
            private int i = -1;

            @Override
            public boolean next() {
                return ++i < series.size();
            }

            @Override
            public S at() {
                return series.get(i);
            }
        };
    }
}
