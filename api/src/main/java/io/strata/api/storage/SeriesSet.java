package io.strata.api.storage;

import java.util.List;
import java.util.function.Function;

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

    /**
     * The series of {@code source}, each turned by {@code f} once, when {@link #next()} reaches it;
     * errors and warnings are the source's.
     */
    static <A, B> SeriesSet<B> map(SeriesSet<A> source, Function<? super A, ? extends B> f) {
        return new SeriesSet<>() {
            private B current;

            @Override
            public boolean next() {
                if (!source.next()) {
                    current = null;
                    return false;
                }
                current = f.apply(source.at());
                return true;
            }

            @Override
            public B at() {
                return current;
            }

            @Override
            public Exception err() {
                return source.err();
            }

            @Override
            public List<String> warnings() {
                return source.warnings();
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
