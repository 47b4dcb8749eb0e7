package io.strata.plugin.storeapi.internal;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.ChunkQuerier;
import io.strata.api.storage.ChunkQueryable;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.LabelHints;
import io.strata.api.storage.SelectHints;
import io.strata.api.storage.SeriesSet;
import io.strata.proto.thanos.store.LabelNamesRequest;
import io.strata.proto.thanos.store.LabelNamesResponse;
import io.strata.proto.thanos.store.LabelValuesRequest;
import io.strata.proto.thanos.store.LabelValuesResponse;
import io.strata.proto.thanos.store.QueryHints;
import io.strata.proto.thanos.store.SeriesRequest;
import io.strata.proto.thanos.store.SeriesResponse;
import io.strata.proto.thanos.store.StoreGrpc;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The {@code thanos.Store} service over a chunk source. */
public final class StoreService implements StoreGrpc.AsyncService, BindableService {
    /** Selects every series; used when all matchers were on external labels. */
    private static final Matcher MATCH_ALL = Matcher.regex(io.strata.api.labels.Labels.METRIC_NAME, ".*");

    private final ChunkQueryable source;
    private final ExternalLabels external;

    public StoreService(ChunkQueryable source, ExternalLabels external) {
        this.source = source;
        this.external = external;
    }

    /**
     * The service with {@code Series} answering in frames that {@link SeriesWire} encodes; the other
     * methods, the service's name and its schema (for reflection) are the generated ones.
     */
    @Override
    public ServerServiceDefinition bindService() {
        ServerServiceDefinition generated = StoreGrpc.bindService(this);
        MethodDescriptor<SeriesRequest, SeriesResponse> seriesMethod = StoreGrpc.getSeriesMethod();
        MethodDescriptor<SeriesRequest, SeriesWire.EncodedFrame> encoded = seriesMethod.toBuilder(seriesMethod.getRequestMarshaller(), SeriesWire.ENCODED).build();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(StoreGrpc.SERVICE_NAME)
                .setSchemaDescriptor(generated.getServiceDescriptor().getSchemaDescriptor());
        for (MethodDescriptor<?, ?> m : generated.getServiceDescriptor().getMethods()) {
            descriptor.addMethod(m.getFullMethodName().equals(seriesMethod.getFullMethodName()) ? encoded : m);
        }
        ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(descriptor.build());
        for (ServerMethodDefinition<?, ?> m : generated.getMethods()) {
            if (!m.getMethodDescriptor().getFullMethodName().equals(seriesMethod.getFullMethodName())) {
                b.addMethod(m);
            }
        }
        b.addMethod(encoded, ServerCalls.asyncServerStreamingCall(this::seriesEncoded));
        return b.build();
    }

    private void seriesEncoded(SeriesRequest request, StreamObserver<SeriesWire.EncodedFrame> responseObserver) {
        ServerCallStreamObserver<SeriesWire.EncodedFrame> out = (ServerCallStreamObserver<SeriesWire.EncodedFrame>) responseObserver;
        Matcher[] matchers;
        try {
            checkRange(request.getMinTime(), request.getMaxTime(), "min_time", "max_time");
            if (request.getMatchersCount() == 0) {
                throw new IllegalArgumentException("no matchers specified");
            }
            matchers = ProtoConversions.matchers(request.getMatchersList());
        } catch (IllegalArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        Matcher[] residual = external.residual(matchers);
        if (residual == null) {
            out.onCompleted();
            return;
        }
        if (residual.length == 0) {
            residual = new Matcher[]{MATCH_ALL};
        }
        long min = request.getMinTime();
        long max = request.getMaxTime();
        ChunkQuerier querier;
        SeriesSet<ChunkSeries> set;
        try {
            querier = source.chunkQuerier(min, max);
        } catch (RuntimeException e) {
            out.onError(Status.INTERNAL.withDescription("opening a querier: " + e.getMessage()).withCause(e).asRuntimeException());
            return;
        }
        try {
            set = querier.select(true, hints(request), residual);
        } catch (RuntimeException e) {
            querier.close();
            out.onError(Status.INTERNAL.withDescription("selecting series: " + e.getMessage()).withCause(e).asRuntimeException());
            return;
        }
        Set<String> without = new HashSet<>(request.getWithoutReplicaLabelsList());
        SeriesStream.Ordering ordering;
        try {
            ordering = ordering(querier, without);
        } catch (RuntimeException e) {
            querier.close();
            out.onError(Status.INTERNAL.withDescription("reading label names: " + e.getMessage()).withCause(e).asRuntimeException());
            return;
        }
        new SeriesStream(querier, set, out, external, without, min, max,
                request.getSkipChunks(), request.getLimit(), request.getResponseBatchSize(), ordering).start();
    }

    /**
     * How much sorting the changed labels need: none when labels stay as they are, sorting of prefix
     * runs when the source has none of the added or removed names, a full sort otherwise.
     */
    private SeriesStream.Ordering ordering(ChunkQuerier querier, Set<String> without) {
        if (external.isEmpty() && without.isEmpty()) {
            return SeriesStream.Ordering.AS_READ;
        }
        Set<String> touched = new HashSet<>(without);
        touched.addAll(external.labels().names());
        for (String name : querier.labelNames(LabelHints.NONE)) {
            if (touched.contains(name)) {
                return SeriesStream.Ordering.ALL;
            }
        }
        return SeriesStream.Ordering.PREFIX_RUNS;
    }

    private static SelectHints hints(SeriesRequest request) {
        QueryHints q = request.getQueryHints();
        long step = q.getStepMillis() > 0 ? q.getStepMillis() : Math.max(0, request.getStep());
        long range = q.getRange().getMillis() > 0 ? q.getRange().getMillis() : Math.max(0, request.getRange());
        int limit = (int) Math.min(Integer.MAX_VALUE, Math.max(0, request.getLimit()));
        return new SelectHints(request.getMinTime(), request.getMaxTime(), step, q.getFunc().getName(),
                q.getGrouping().getLabelsList(), q.getGrouping().getBy(), range, limit);
    }

    private static void checkRange(long start, long end, String startName, String endName) {
        if (end < start) {
            throw new IllegalArgumentException(endName + " " + end + " is before " + startName + " " + start);
        }
    }

    @Override
    public void labelNames(LabelNamesRequest request, StreamObserver<LabelNamesResponse> out) {
        try {
            checkRange(request.getStart(), request.getEnd(), "start", "end");
            Matcher[] residual = external.residual(ProtoConversions.matchers(request.getMatchersList()));
            LabelNamesResponse.Builder response = LabelNamesResponse.newBuilder();
            if (residual != null) {
                Set<String> without = new HashSet<>(request.getWithoutReplicaLabelsList());
                TreeSet<String> names = new TreeSet<String>(Labels::compareUtf8);
                try (ChunkQuerier q = source.chunkQuerier(request.getStart(), request.getEnd())) {
                    names.addAll(q.labelNames(LabelHints.NONE, residual));
                }
                if (!names.isEmpty()) {
                    names.addAll(external.labels().names());
                }
                names.removeAll(without);
                response.addAllNames(limited(names, request.getLimit()));
            }
            out.onNext(response.build());
            out.onCompleted();
        } catch (IllegalArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        } catch (RuntimeException e) {
            out.onError(Status.INTERNAL.withDescription("label names: " + e.getMessage()).withCause(e).asRuntimeException());
        }
    }

    @Override
    public void labelValues(LabelValuesRequest request, StreamObserver<LabelValuesResponse> out) {
        try {
            checkRange(request.getStart(), request.getEnd(), "start", "end");
            String name = request.getLabel();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("label name parameter cannot be empty");
            }
            Matcher[] residual = external.residual(ProtoConversions.matchers(request.getMatchersList()));
            LabelValuesResponse.Builder response = LabelValuesResponse.newBuilder();
            if (residual != null && !request.getWithoutReplicaLabelsList().contains(name)) {
                try (ChunkQuerier q = source.chunkQuerier(request.getStart(), request.getEnd())) {
                    if (external.has(name)) {
                        // Every series of this store carries the external value, if there is any series.
                        if (!q.labelNames(new LabelHints(1), residual).isEmpty()) {
                            response.addValues(external.labels().get(name));
                        }
                    } else {
                        TreeSet<String> values = new TreeSet<String>(Labels::compareUtf8);
                        values.addAll(q.labelValues(name, LabelHints.NONE, residual));
                        response.addAllValues(limited(values, request.getLimit()));
                    }
                }
            }
            out.onNext(response.build());
            out.onCompleted();
        } catch (IllegalArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        } catch (RuntimeException e) {
            out.onError(Status.INTERNAL.withDescription("label values: " + e.getMessage()).withCause(e).asRuntimeException());
        }
    }

    private static List<String> limited(TreeSet<String> values, long limit) {
        List<String> out = new ArrayList<>(values);
        return limit > 0 && out.size() > limit ? out.subList(0, (int) limit) : out;
    }
}
