package io.strata.plugin.storeapi.internal;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.strata.api.labels.Labels;
import io.strata.plugin.storeapi.Exemplar;
import io.strata.plugin.storeapi.ExemplarSource;
import io.strata.plugin.storeapi.SeriesExemplars;
import io.strata.proto.thanos.exemplars.ExemplarData;
import io.strata.proto.thanos.exemplars.ExemplarsGrpc;
import io.strata.proto.thanos.exemplars.ExemplarsRequest;
import io.strata.proto.thanos.exemplars.ExemplarsResponse;
import io.strata.proto.thanos.store.LabelSet;
import java.util.List;

/** The {@code thanos.Exemplars} service: the source's exemplars, one frame a series, external labels added. */
public final class ExemplarsService extends ExemplarsGrpc.ExemplarsImplBase {
    private final ExemplarSource source;
    private final ExternalLabels external;

    public ExemplarsService(ExemplarSource source, ExternalLabels external) {
        this.source = source;
        this.external = external;
    }

    @Override
    public void exemplars(ExemplarsRequest request, StreamObserver<ExemplarsResponse> out) {
        List<SeriesExemplars> found;
        try {
            found = source.exemplars(request.getQuery(), request.getStart(), request.getEnd());
        } catch (IllegalArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (Exception e) {
            out.onError(Status.UNAVAILABLE.withDescription("exemplars: " + (e.getMessage() == null ? e : e.getMessage()))
                    .withCause(e).asRuntimeException());
            return;
        }
        for (SeriesExemplars s : found) {
            ExemplarData.Builder data = ExemplarData.newBuilder().setSeriesLabels(labelSet(external.extend(s.seriesLabels())));
            for (Exemplar e : s.exemplars()) {
                data.addExemplars(io.strata.proto.thanos.exemplars.Exemplar.newBuilder()
                        .setLabels(labelSet(e.labels())).setValue(e.value()).setTs(e.timestampMillis()));
            }
            out.onNext(ExemplarsResponse.newBuilder().setData(data).build());
        }
        out.onCompleted();
    }

    private static LabelSet labelSet(Labels labels) {
        LabelSet.Builder b = LabelSet.newBuilder();
        ProtoConversions.addLabels(labels, b::addLabels);
        return b.build();
    }
}
