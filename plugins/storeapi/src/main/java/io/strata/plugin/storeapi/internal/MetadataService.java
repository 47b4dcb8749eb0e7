package io.strata.plugin.storeapi.internal;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.strata.plugin.storeapi.MetricMetadata;
import io.strata.plugin.storeapi.MetricMetadataSource;
import io.strata.proto.thanos.metadata.Meta;
import io.strata.proto.thanos.metadata.MetadataGrpc;
import io.strata.proto.thanos.metadata.MetricMetadataEntry;
import io.strata.proto.thanos.metadata.MetricMetadataRequest;
import io.strata.proto.thanos.metadata.MetricMetadataResponse;
import java.util.List;
import java.util.Map;

/** The {@code thanos.Metadata} service: one answer with the source's metadata. */
public final class MetadataService extends MetadataGrpc.MetadataImplBase {
    private final MetricMetadataSource source;

    public MetadataService(MetricMetadataSource source) {
        this.source = source;
    }

    @Override
    public void metricMetadata(MetricMetadataRequest request, StreamObserver<MetricMetadataResponse> out) {
        Map<String, List<MetricMetadata>> found;
        try {
            found = source.metricMetadata(request.getMetric(), request.getLimit());
        } catch (Exception e) {
            out.onError(Status.UNAVAILABLE.withDescription("metric metadata: " + (e.getMessage() == null ? e : e.getMessage()))
                    .withCause(e).asRuntimeException());
            return;
        }
        io.strata.proto.thanos.metadata.MetricMetadata.Builder all = io.strata.proto.thanos.metadata.MetricMetadata.newBuilder();
        found.forEach((name, metas) -> {
            MetricMetadataEntry.Builder entry = MetricMetadataEntry.newBuilder();
            for (MetricMetadata m : metas) {
                entry.addMetas(Meta.newBuilder().setType(m.type()).setHelp(m.help()).setUnit(m.unit()));
            }
            all.putMetadata(name, entry.build());
        });
        out.onNext(MetricMetadataResponse.newBuilder().setMetadata(all).build());
        out.onCompleted();
    }
}
