package io.strata.plugin.query;

import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkQuerier;
import io.strata.api.storage.ChunkQueryable;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.LabelHints;
import io.strata.api.storage.Querier;
import io.strata.api.storage.Queryable;
import io.strata.api.storage.SampleIterator;
import io.strata.api.storage.SelectHints;
import io.strata.api.storage.Series;
import io.strata.api.storage.SeriesSet;
import io.strata.plugin.tsdb.chunkenc.XorChunkBuilder;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Turns a sample-level {@link Queryable} (the querier's merged, deduplicated view) into chunks
 * again, so the querier can serve StoreAPI and queriers can stack. Samples are cut into XOR
 * chunks of at most {@code samplesPerChunk}, one reused builder per series iteration.
 */
final class ChunkEncodingQueryable implements ChunkQueryable {
    private final Queryable source;
    private final int samplesPerChunk;

    ChunkEncodingQueryable(Queryable source, int samplesPerChunk) {
        if (samplesPerChunk <= 0 || samplesPerChunk > XorChunkBuilder.MAX_SAMPLES) {
            throw new IllegalArgumentException("samples per chunk must be in 1.." + XorChunkBuilder.MAX_SAMPLES + ", got " + samplesPerChunk);
        }
        this.source = source;
        this.samplesPerChunk = samplesPerChunk;
    }

    @Override
    public ChunkQuerier chunkQuerier(long minTime, long maxTime) {
        Querier q = source.querier(minTime, maxTime);
        return new ChunkQuerier() {
            @Override
            public SeriesSet<ChunkSeries> select(boolean sorted, SelectHints hints, Matcher... matchers) {
                SeriesSet<Series> set = q.select(sorted, hints, matchers);
                long start = hints == null ? minTime : hints.start();
                long end = hints == null ? maxTime : hints.end();
                return SeriesSet.map(set, s -> new ChunkSeries() {
                    @Override
                    public Labels labels() {
                        return s.labels();
                    }

                    @Override
                    public ChunkIterator chunks(ChunkIterator reuse) {
                        return new Encoder(s.iterator(null), start, end, samplesPerChunk);
                    }
                });
            }

            @Override
            public List<String> labelValues(String name, LabelHints hints, Matcher... matchers) {
                return q.labelValues(name, hints, matchers);
            }

            @Override
            public List<String> labelNames(LabelHints hints, Matcher... matchers) {
                return q.labelNames(hints, matchers);
            }

            @Override
            public void close() {
                q.close();
            }
        };
    }

    /** Encodes the samples of one series within [start, end] into consecutive XOR chunks. */
    private static final class Encoder implements ChunkIterator {
        private final SampleIterator samples;
        private final long end;
        private final int limit;
        private final XorChunkBuilder builder = new XorChunkBuilder();
        private boolean pending;
        private boolean exhausted;

        Encoder(SampleIterator samples, long start, long end, int limit) {
            this.samples = samples;
            this.end = end;
            this.limit = limit;
            this.pending = samples.seek(start) && samples.atT() <= end;
            this.exhausted = !pending;
        }

        @Override
        public boolean next() {
            if (exhausted) {
                return false;
            }
            builder.reset();
            while (pending && builder.numSamples() < limit) {
                builder.append(samples.atT(), samples.atV());
                pending = samples.next() && samples.atT() <= end;
            }
            exhausted = !pending;
            return builder.numSamples() > 0;
        }

        @Override
        public long minTime() {
            return builder.minTime();
        }

        @Override
        public long maxTime() {
            return builder.maxTime();
        }

        @Override
        public int encoding() {
            return ENCODING_XOR;
        }

        @Override
        public ByteBuffer bytes() {
            return builder.bytes();
        }

        @Override
        public Exception err() {
            return samples.err();
        }
    }
}
