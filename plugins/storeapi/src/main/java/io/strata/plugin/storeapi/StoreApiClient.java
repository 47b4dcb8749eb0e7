package io.strata.plugin.storeapi;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
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
import io.strata.plugin.storeapi.internal.ChunkSampleIterator;
import io.strata.plugin.storeapi.internal.PrefetchingCall;
import io.strata.plugin.storeapi.internal.ProtoConversions;
import io.strata.plugin.storeapi.internal.RemoteSeriesSet;
import io.strata.plugin.storeapi.internal.SeriesWire;
import io.strata.proto.thanos.info.InfoGrpc;
import io.strata.proto.thanos.info.InfoRequest;
import io.strata.proto.thanos.info.InfoResponse;
import io.strata.proto.thanos.exemplars.ExemplarsGrpc;
import io.strata.proto.thanos.exemplars.ExemplarsRequest;
import io.strata.proto.thanos.exemplars.ExemplarsResponse;
import io.strata.proto.thanos.metadata.Meta;
import io.strata.proto.thanos.metadata.MetadataGrpc;
import io.strata.proto.thanos.metadata.MetricMetadataRequest;
import io.strata.proto.thanos.metadata.MetricMetadataResponse;
import io.strata.proto.thanos.store.Func;
import io.strata.proto.thanos.store.Grouping;
import io.strata.proto.thanos.store.LabelNamesRequest;
import io.strata.proto.thanos.store.LabelValuesRequest;
import io.strata.proto.thanos.store.PartialResponseStrategy;
import io.strata.proto.thanos.store.QueryHints;
import io.strata.proto.thanos.store.Range;
import io.strata.proto.thanos.store.SeriesRequest;
import io.strata.proto.thanos.store.StoreGrpc;
import io.strata.proto.thanos.store.ZLabelSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The api read interfaces ({@link ChunkQueryable}, {@link Queryable}) over a remote Thanos StoreAPI
 * endpoint, plus its {@link #info()}. Chunks arrive as they were stored and the sample view decodes
 * them with reusable iterators. A failing endpoint shows as {@link SeriesSet#err()} (a
 * {@link StoreApiException} naming the address) for series, and as a thrown {@link StoreApiException}
 * for label names, values and Info. Thread-safe; queriers are not shared between threads.
 */
public final class StoreApiClient implements ChunkQueryable, Queryable, AutoCloseable {
    private final String address;
    private final Channel channel;
    private final ManagedChannel ownedChannel;
    private final Duration timeout;

    /**
     * A client over a channel the caller owns (and closes).
     *
     * @param address how to name the endpoint in errors and warnings, usually {@code host:port}
     * @param timeout deadline of every call; {@link Duration#ZERO} for none
     */
    public StoreApiClient(String address, Channel channel, Duration timeout) {
        this(address, channel, null, timeout);
    }

    private StoreApiClient(String address, Channel channel, ManagedChannel owned, Duration timeout) {
        Objects.requireNonNull(address, "address");
        if (address.isBlank()) {
            throw new IllegalArgumentException("store address must not be blank");
        }
        this.address = address;
        this.channel = Objects.requireNonNull(channel, "channel");
        this.ownedChannel = owned;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
    }

    /**
     * Connects to {@code host:port} over plaintext gRPC through the kernel's Netty transport.
     * {@link #close()} shuts the channel down.
     *
     * @param flowControlWindowBytes the HTTP/2 window: how much the store may send ahead of reading.
     *                               gRPC's default of 1 MiB holds a fast store back every megabyte.
     */
    public static StoreApiClient connect(String address, Duration timeout, int maxMessageBytes, int flowControlWindowBytes) {
        Objects.requireNonNull(address, "address");
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("max message size must be positive: " + maxMessageBytes);
        }
        if (flowControlWindowBytes <= 0) {
            throw new IllegalArgumentException("flow-control window must be positive: " + flowControlWindowBytes);
        }
        // Responses are decoded and handed over on the transport's thread: the listener only queues
        // them (PrefetchingCall), so a hop through an executor would only add a thread wake-up per
        // message.
        ManagedChannel ch = NettyChannelBuilder.forTarget(address).usePlaintext().maxInboundMessageSize(maxMessageBytes)
                .flowControlWindow(flowControlWindowBytes).directExecutor().build();
        return new StoreApiClient(address, ch, ch, timeout);
    }

    /** Connects with no call deadline, a 64 MiB message limit and a 16 MiB window (for tools and tests). */
    public static StoreApiClient connect(String address) {
        return connect(address, Duration.ZERO, 64 << 20, 16 << 20);
    }

    public String address() {
        return address;
    }

    /** Response frames asked for ahead of the reader (each up to a batch of series). */
    private static final int PREFETCH_FRAMES = 16;

    private CallOptions callOptions() {
        return timeout.isZero() ? CallOptions.DEFAULT : CallOptions.DEFAULT.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The stub with the call deadline, when there is one. */
    private <S extends io.grpc.stub.AbstractStub<S>> S withTimeout(S stub) {
        return timeout.isZero() ? stub : stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private StoreGrpc.StoreBlockingStub store() {
        return withTimeout(StoreGrpc.newBlockingStub(channel));
    }

    /** Asks the endpoint's Info service what it serves. */
    public EndpointInfo info() {
        InfoGrpc.InfoBlockingStub stub = withTimeout(InfoGrpc.newBlockingStub(channel));
        InfoResponse r;
        try {
            r = stub.info(InfoRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            throw new StoreApiException(address, e.getStatus(), e);
        }
        List<Labels> sets = new ArrayList<>(r.getLabelSetsCount());
        for (ZLabelSet s : r.getLabelSetsList()) {
            sets.add(ProtoConversions.labels(s.getLabelsList()));
        }
        return new EndpointInfo(r.getComponentType(), sets, r.hasStore(), r.getStore().getMinTime(), r.getStore().getMaxTime(),
                r.getStore().getSupportsWithoutReplicaLabels(), r.getStore().getSupportsSharding(), r.hasMetricMetadata(),
                r.hasExemplars());
    }

    /**
     * The endpoint's exemplars (Thanos {@code Exemplars.Exemplars}) of the series the query's selectors
     * select, in [startMillis, endMillis]; series labels as the endpoint gives them (external labels included).
     */
    public List<SeriesExemplars> exemplars(String query, long startMillis, long endMillis) {
        ExemplarsGrpc.ExemplarsBlockingStub stub = withTimeout(ExemplarsGrpc.newBlockingStub(channel));
        List<SeriesExemplars> out = new ArrayList<>();
        try {
            Iterator<ExemplarsResponse> answer = stub.exemplars(ExemplarsRequest.newBuilder()
                    .setQuery(query).setStart(startMillis).setEnd(endMillis).build());
            while (answer.hasNext()) {
                ExemplarsResponse r = answer.next();
                if (!r.hasData()) {
                    continue;
                }
                List<Exemplar> exemplars = new ArrayList<>(r.getData().getExemplarsCount());
                for (io.strata.proto.thanos.exemplars.Exemplar e : r.getData().getExemplarsList()) {
                    exemplars.add(new Exemplar(ProtoConversions.labels(e.getLabels().getLabelsList()), e.getValue(), e.getTs()));
                }
                out.add(new SeriesExemplars(ProtoConversions.labels(r.getData().getSeriesLabels().getLabelsList()), exemplars));
            }
        } catch (StatusRuntimeException e) {
            throw new StoreApiException(address, e.getStatus(), e);
        }
        return out;
    }

    /**
     * The endpoint's metric metadata (Thanos {@code Metadata.MetricMetadata}), merged over its
     * answer's frames; {@code metric} empty for all, {@code limit} 0 for no limit.
     */
    public Map<String, List<MetricMetadata>> metricMetadata(String metric, int limit) {
        MetadataGrpc.MetadataBlockingStub stub = withTimeout(MetadataGrpc.newBlockingStub(channel));
        Map<String, List<MetricMetadata>> out = new java.util.TreeMap<>();
        try {
            Iterator<MetricMetadataResponse> answer = stub.metricMetadata(MetricMetadataRequest.newBuilder()
                    .setMetric(metric).setLimit(limit).build());
            while (answer.hasNext()) {
                MetricMetadataResponse r = answer.next();
                r.getMetadata().getMetadataMap().forEach((name, entry) -> {
                    List<MetricMetadata> metas = out.computeIfAbsent(name, k -> new ArrayList<>());
                    for (Meta m : entry.getMetasList()) {
                        MetricMetadata mm = new MetricMetadata(m.getType(), m.getHelp(), m.getUnit());
                        if (!metas.contains(mm)) {
                            metas.add(mm);
                        }
                    }
                });
            }
        } catch (StatusRuntimeException e) {
            throw new StoreApiException(address, e.getStatus(), e);
        }
        return out;
    }

    /**
     * Streams the series matching {@code matchers} in [minTime, maxTime] (narrowed by the hints'
     * range), sorted by labels. The call ends when the set is read to its end (or fails, or the
     * timeout passes); to stop reading early, select through {@link #chunkQuerier} instead, whose
     * {@code close()} cancels its calls.
     */
    public SeriesSet<ChunkSeries> series(long minTime, long maxTime, SelectHints hints, SeriesOptions options, Matcher... matchers) {
        return startSeries(minTime, maxTime, hints, options, matchers);
    }

    private RemoteSeriesSet startSeries(long minTime, long maxTime, SelectHints hints, SeriesOptions options, Matcher... matchers) {
        Objects.requireNonNull(options, "options");
        long lo = hints == null ? minTime : Math.max(minTime, hints.start());
        long hi = hints == null ? maxTime : Math.min(maxTime, hints.end());
        if (hi < lo) {
            return RemoteSeriesSet.empty(address);
        }
        SeriesRequest.Builder req = SeriesRequest.newBuilder().setMinTime(lo).setMaxTime(hi)
                .setSkipChunks(options.skipChunks())
                .addAllWithoutReplicaLabels(options.withoutReplicaLabels())
                .setResponseBatchSize(options.responseBatchSize())
                .setPartialResponseStrategy(options.abortOnPartialResponse() ? PartialResponseStrategy.ABORT : PartialResponseStrategy.WARN)
                .setPartialResponseDisabled(options.abortOnPartialResponse());
        for (Matcher m : matchers) {
            req.addMatchers(ProtoConversions.matcher(m));
        }
        if (hints != null) {
            QueryHints.Builder q = QueryHints.newBuilder().setStepMillis(hints.step());
            if (!hints.function().isEmpty()) {
                q.setFunc(Func.newBuilder().setName(hints.function()));
            }
            if (hints.by() || !hints.grouping().isEmpty()) {
                q.setGrouping(Grouping.newBuilder().setBy(hints.by()).addAllLabels(hints.grouping()));
            }
            if (hints.range() > 0) {
                q.setRange(Range.newBuilder().setMillis(hints.range()));
            }
            req.setQueryHints(q).setLimit(hints.limit());
        }
        Context.CancellableContext context = Context.current().withCancellation();
        try {
            SeriesRequest request = req.build();
            // each call decodes with a SeriesWire decoder of its own, on the transport thread as frames arrive
            MethodDescriptor<SeriesRequest, SeriesWire.Frame> method = StoreGrpc.getSeriesMethod()
                    .toBuilder(StoreGrpc.getSeriesMethod().getRequestMarshaller(), SeriesWire.decoder()).build();
            Iterator<SeriesWire.Frame> frames = context.call(() -> PrefetchingCall.start(channel, method, callOptions(), request,
                    PREFETCH_FRAMES));
            return new RemoteSeriesSet(address, context, frames);
        } catch (Exception e) {
            context.cancel(e);
            return RemoteSeriesSet.failed(address, new StoreApiException(address, Status.fromThrowable(e), e));
        }
    }

    /** Label names of the series matching the matchers in [start, end]. */
    public List<String> labelNames(long start, long end, LabelHints hints, SeriesOptions options, Matcher... matchers) {
        LabelNamesRequest.Builder req = LabelNamesRequest.newBuilder().setStart(start).setEnd(end)
                .setLimit(hints == null ? 0 : hints.limit())
                .addAllWithoutReplicaLabels(options.withoutReplicaLabels())
                .setPartialResponseStrategy(options.abortOnPartialResponse() ? PartialResponseStrategy.ABORT : PartialResponseStrategy.WARN);
        for (Matcher m : matchers) {
            req.addMatchers(ProtoConversions.matcher(m));
        }
        try {
            return store().labelNames(req.build()).getNamesList();
        } catch (StatusRuntimeException e) {
            throw new StoreApiException(address, e.getStatus(), e);
        }
    }

    /** Values of label {@code name} among the series matching the matchers in [start, end]. */
    public List<String> labelValues(long start, long end, String name, LabelHints hints, SeriesOptions options, Matcher... matchers) {
        LabelValuesRequest.Builder req = LabelValuesRequest.newBuilder().setLabel(name).setStart(start).setEnd(end)
                .setLimit(hints == null ? 0 : hints.limit())
                .addAllWithoutReplicaLabels(options.withoutReplicaLabels())
                .setPartialResponseStrategy(options.abortOnPartialResponse() ? PartialResponseStrategy.ABORT : PartialResponseStrategy.WARN);
        for (Matcher m : matchers) {
            req.addMatchers(ProtoConversions.matcher(m));
        }
        try {
            return store().labelValues(req.build()).getValuesList();
        } catch (StatusRuntimeException e) {
            throw new StoreApiException(address, e.getStatus(), e);
        }
    }

    @Override
    public ChunkQuerier chunkQuerier(long minTime, long maxTime) {
        return new RemoteChunkQuerier(minTime, maxTime, SeriesOptions.DEFAULT);
    }

    /** A chunk querier whose requests carry {@code options}. */
    public ChunkQuerier chunkQuerier(long minTime, long maxTime, SeriesOptions options) {
        return new RemoteChunkQuerier(minTime, maxTime, options);
    }

    @Override
    public Querier querier(long minTime, long maxTime) {
        return querier(minTime, maxTime, SeriesOptions.DEFAULT);
    }

    /** A sample querier whose requests carry {@code options} (chunks are always asked for). */
    public Querier querier(long minTime, long maxTime, SeriesOptions options) {
        SeriesOptions withChunks = new SeriesOptions(false, options.withoutReplicaLabels(), options.abortOnPartialResponse(),
                options.responseBatchSize());
        return new RemoteQuerier(new RemoteChunkQuerier(minTime, maxTime, withChunks));
    }

    /** Shuts the channel down when this client opened it. */
    @Override
    public void close() {
        if (ownedChannel != null) {
            ownedChannel.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "StoreApiClient[" + address + "]";
    }

    private final class RemoteChunkQuerier implements ChunkQuerier {
        private final long minTime;
        private final long maxTime;
        private final SeriesOptions options;
        private final List<RemoteSeriesSet> open = new ArrayList<>();

        RemoteChunkQuerier(long minTime, long maxTime, SeriesOptions options) {
            if (maxTime < minTime) {
                throw new IllegalArgumentException("querier maxTime " + maxTime + " before minTime " + minTime);
            }
            this.minTime = minTime;
            this.maxTime = maxTime;
            this.options = Objects.requireNonNull(options, "options");
        }

        @Override
        public SeriesSet<ChunkSeries> select(boolean sorted, SelectHints hints, Matcher... matchers) {
            RemoteSeriesSet set = startSeries(minTime, maxTime, hints, options, matchers);
            synchronized (open) {
                open.add(set);
            }
            return set;
        }

        long lo(SelectHints hints) {
            return hints == null ? minTime : Math.max(minTime, hints.start());
        }

        long hi(SelectHints hints) {
            return hints == null ? maxTime : Math.min(maxTime, hints.end());
        }

        @Override
        public List<String> labelValues(String name, LabelHints hints, Matcher... matchers) {
            return StoreApiClient.this.labelValues(minTime, maxTime, name, hints, options, matchers);
        }

        @Override
        public List<String> labelNames(LabelHints hints, Matcher... matchers) {
            return StoreApiClient.this.labelNames(minTime, maxTime, hints, options, matchers);
        }

        @Override
        public void close() {
            synchronized (open) {
                for (RemoteSeriesSet s : open) {
                    s.close();
                }
                open.clear();
            }
        }
    }

    private static final class RemoteQuerier implements Querier {
        private final RemoteChunkQuerier chunks;

        RemoteQuerier(RemoteChunkQuerier chunks) {
            this.chunks = chunks;
        }

        @Override
        public SeriesSet<Series> select(boolean sorted, SelectHints hints, Matcher... matchers) {
            SeriesSet<ChunkSeries> set = chunks.select(sorted, hints, matchers);
            long lo = chunks.lo(hints);
            long hi = chunks.hi(hints);
            return SeriesSet.map(set, cs -> new Series() {
                @Override
                public Labels labels() {
                    return cs.labels();
                }

                @Override
                public SampleIterator iterator(SampleIterator reuse) {
                    ChunkSampleIterator it = reuse instanceof ChunkSampleIterator c ? c : new ChunkSampleIterator();
                    return it.reset(cs.chunks(it.chunks()), lo, hi);
                }
            });
        }

        @Override
        public List<String> labelValues(String name, LabelHints hints, Matcher... matchers) {
            return chunks.labelValues(name, hints, matchers);
        }

        @Override
        public List<String> labelNames(LabelHints hints, Matcher... matchers) {
            return chunks.labelNames(hints, matchers);
        }

        @Override
        public void close() {
            chunks.close();
        }
    }
}
