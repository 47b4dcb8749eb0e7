package io.strata.plugin.sidecar.internal;

import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkQuerier;
import io.strata.api.storage.ChunkQueryable;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.LabelHints;
import io.strata.api.storage.SelectHints;
import io.strata.api.storage.SeriesSet;
import io.strata.plugin.tsdb.chunkenc.XorChunkBuilder;
import io.strata.proto.prometheus.Chunk;
import io.strata.proto.prometheus.ChunkedReadResponse;
import io.strata.proto.prometheus.ChunkedSeries;
import io.strata.proto.prometheus.Label;
import io.strata.proto.prometheus.LabelMatcher;
import io.strata.proto.prometheus.Query;
import io.strata.proto.prometheus.QueryResult;
import io.strata.proto.prometheus.ReadHints;
import io.strata.proto.prometheus.ReadRequest;
import io.strata.proto.prometheus.ReadResponse;
import io.strata.proto.prometheus.Sample;
import io.strata.proto.prometheus.TimeSeries;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.xerial.snappy.Snappy;

/**
 * The series of a running Prometheus as chunks, read through its remote read API. It asks for
 * STREAMED_XOR_CHUNKS and passes the chunk bytes through unchanged; when the server answers with
 * SAMPLES instead (or SAMPLES is configured), the samples are encoded into XOR chunks of 120
 * samples, as Prometheus cuts them. Label names and values come from the HTTP API.
 */
final class RemoteReadChunkSource implements ChunkQueryable {
    /** What to ask Prometheus for. */
    enum ResponseType { STREAMED_XOR_CHUNKS, SAMPLES }

    private static final int SAMPLES_PER_CHUNK = 120;
    private final PrometheusClient client;
    private final ResponseType responseType;
    private final LongSupplier minTimeLimit;
    private final int maxFrameBytes;

    /**
     * @param minTimeLimit  the earliest time served (the {@code --min-time} setting), asked per query
     * @param maxFrameBytes the largest streamed frame accepted
     */
    RemoteReadChunkSource(PrometheusClient client, ResponseType responseType, LongSupplier minTimeLimit, int maxFrameBytes) {
        this.client = Objects.requireNonNull(client, "client");
        this.responseType = Objects.requireNonNull(responseType, "responseType");
        this.minTimeLimit = Objects.requireNonNull(minTimeLimit, "minTimeLimit");
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes must be positive, got " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public ChunkQuerier chunkQuerier(long minTime, long maxTime) {
        return new RemoteReadQuerier(Math.max(minTime, minTimeLimit.getAsLong()), maxTime);
    }

    private final class RemoteReadQuerier implements ChunkQuerier {
        private final long minTime;
        private final long maxTime;
        private final List<AutoCloseable> open = new ArrayList<>();

        RemoteReadQuerier(long minTime, long maxTime) {
            this.minTime = minTime;
            this.maxTime = maxTime;
        }

        @Override
        public SeriesSet<ChunkSeries> select(boolean sorted, SelectHints hints, Matcher... matchers) {
            if (maxTime < minTime) {
                return SeriesSet.empty();
            }
            Query.Builder query = Query.newBuilder().setStartTimestampMs(minTime).setEndTimestampMs(maxTime);
            for (Matcher m : matchers) {
                query.addMatchers(LabelMatcher.newBuilder().setType(type(m)).setName(m.name()).setValue(m.value()));
            }
            if (hints != null) {
                query.setHints(ReadHints.newBuilder().setStartMs(Math.max(hints.start(), minTime)).setEndMs(Math.min(hints.end(), maxTime))
                        .setStepMs(hints.step()).setRangeMs(hints.range()).addAllGrouping(hints.grouping()).setBy(hints.by()));
            }
            ReadRequest.Builder request = ReadRequest.newBuilder().addQueries(query);
            request.addAcceptedResponseTypes(responseType == ResponseType.STREAMED_XOR_CHUNKS
                    ? ReadRequest.ResponseType.STREAMED_XOR_CHUNKS : ReadRequest.ResponseType.SAMPLES);
            PrometheusClient.ReadAnswer answer;
            try {
                answer = client.read(request.build());
            } catch (IOException e) {
                throw new UncheckedIOException("remote read from Prometheus at " + client.baseUrl() + ": " + e.getMessage(), e);
            }
            try {
                if (answer.contentType().startsWith(PrometheusClient.STREAMED_CONTENT_TYPE)) {
                    ChunkedReadFrames frames = new ChunkedReadFrames(answer.body(), maxFrameBytes);
                    open.add(frames);
                    return new StreamedSeriesSet(frames);
                }
                try (InputStream body = answer.body()) {
                    return samplesSeriesSet(ReadResponse.parseFrom(Snappy.uncompress(body.readAllBytes())));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("remote read from Prometheus at " + client.baseUrl() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public List<String> labelValues(String name, LabelHints hints, Matcher... matchers) {
            try {
                return limited(client.labelValues(name, minTime, maxTime, matchers), hints);
            } catch (IOException e) {
                throw new UncheckedIOException("label values from Prometheus at " + client.baseUrl() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public List<String> labelNames(LabelHints hints, Matcher... matchers) {
            try {
                return limited(client.labelNames(minTime, maxTime, matchers), hints);
            } catch (IOException e) {
                throw new UncheckedIOException("label names from Prometheus at " + client.baseUrl() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // the answer stream is abandoned either way
                }
            }
            open.clear();
        }
    }

    private static List<String> limited(List<String> values, LabelHints hints) {
        int limit = hints == null ? 0 : hints.limit();
        return limit > 0 && values.size() > limit ? values.subList(0, limit) : values;
    }

    private static LabelMatcher.Type type(Matcher m) {
        return switch (m.type()) {
            case EQUAL -> LabelMatcher.Type.EQ;
            case NOT_EQUAL -> LabelMatcher.Type.NEQ;
            case REGEX -> LabelMatcher.Type.RE;
            case NOT_REGEX -> LabelMatcher.Type.NRE;
        };
    }

    private static Labels labels(List<Label> proto) {
        Labels.Builder b = new Labels.Builder();
        for (Label l : proto) {
            b.set(l.getName(), l.getValue());
        }
        return b.build();
    }

    /** The series of a streamed answer; a series split over several frames is joined again. */
    private static final class StreamedSeriesSet implements SeriesSet<ChunkSeries> {
        private final ChunkedReadFrames frames;
        private List<ChunkedSeries> frame = List.of();
        private int index;
        private ChunkedSeries pending;
        private PassedThroughSeries current;
        private Exception error;

        StreamedSeriesSet(ChunkedReadFrames frames) {
            this.frames = frames;
        }

        private ChunkedSeries pull() throws IOException {
            while (index >= frame.size()) {
                ChunkedReadResponse r = frames.next();
                if (r == null) {
                    return null;
                }
                frame = r.getChunkedSeriesList();
                index = 0;
            }
            return frame.get(index++);
        }

        @Override
        public boolean next() {
            if (error != null) {
                return false;
            }
            try {
                ChunkedSeries first = pending != null ? pending : pull();
                pending = null;
                if (first == null) {
                    current = null;
                    return false;
                }
                List<Chunk> chunks = new ArrayList<>(first.getChunksList());
                ChunkedSeries following;
                while ((following = pull()) != null) {
                    if (following.getLabelsList().equals(first.getLabelsList())) {
                        chunks.addAll(following.getChunksList());
                    } else {
                        pending = following;
                        break;
                    }
                }
                current = new PassedThroughSeries(labels(first.getLabelsList()), chunks);
                return true;
            } catch (IOException | RuntimeException e) {
                error = e;
                current = null;
                return false;
            }
        }

        @Override
        public ChunkSeries at() {
            return current;
        }

        @Override
        public Exception err() {
            return error;
        }
    }

    /** A series with the chunks as Prometheus sent them. */
    private record PassedThroughSeries(Labels labels, List<Chunk> chunkList) implements ChunkSeries {
        @Override
        public ChunkIterator chunks(ChunkIterator reuse) {
            return new ChunkIterator() {
                private int i = -1;

                @Override
                public boolean next() {
                    return ++i < chunkList.size();
                }

                @Override
                public long minTime() {
                    return chunkList.get(i).getMinTimeMs();
                }

                @Override
                public long maxTime() {
                    return chunkList.get(i).getMaxTimeMs();
                }

                @Override
                public int encoding() {
                    return chunkList.get(i).getTypeValue();
                }

                @Override
                public ByteBuffer bytes() {
                    return chunkList.get(i).getData().asReadOnlyByteBuffer();
                }
            };
        }
    }

    /** The series of a SAMPLES answer, each encoded into XOR chunks. */
    private static SeriesSet<ChunkSeries> samplesSeriesSet(ReadResponse response) {
        List<ChunkSeries> out = new ArrayList<>();
        XorChunkBuilder builder = new XorChunkBuilder();
        for (QueryResult result : response.getResultsList()) {
            for (TimeSeries ts : result.getTimeseriesList()) {
                if (ts.getSamplesCount() == 0) {
                    continue;
                }
                List<Chunk> chunks = new ArrayList<>((ts.getSamplesCount() + SAMPLES_PER_CHUNK - 1) / SAMPLES_PER_CHUNK);
                builder.reset();
                for (Sample s : ts.getSamplesList()) {
                    if (builder.numSamples() == SAMPLES_PER_CHUNK) {
                        chunks.add(encoded(builder));
                        builder.reset();
                    }
                    builder.append(s.getTimestamp(), s.getValue());
                }
                chunks.add(encoded(builder));
                out.add(new PassedThroughSeries(labels(ts.getLabelsList()), chunks));
            }
        }
        out.sort((a, b) -> a.labels().compareTo(b.labels()));
        return SeriesSet.of(out);
    }

    private static Chunk encoded(XorChunkBuilder builder) {
        return Chunk.newBuilder().setMinTimeMs(builder.minTime()).setMaxTimeMs(builder.maxTime()).setType(Chunk.Encoding.XOR)
                .setData(com.google.protobuf.ByteString.copyFrom(builder.array(), 0, builder.length())).build();
    }
}
