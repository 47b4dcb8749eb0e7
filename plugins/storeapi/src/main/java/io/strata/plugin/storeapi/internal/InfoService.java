package io.strata.plugin.storeapi.internal;

import io.grpc.stub.StreamObserver;
import io.strata.proto.thanos.info.InfoGrpc;
import io.strata.proto.thanos.info.InfoRequest;
import io.strata.proto.thanos.info.InfoResponse;
import java.util.function.Supplier;

/** The {@code thanos.info.Info} service: answers with what the supplier describes at the time of the call. */
public final class InfoService extends InfoGrpc.InfoImplBase {
    private final Supplier<InfoResponse> info;

    public InfoService(Supplier<InfoResponse> info) {
        this.info = info;
    }

    @Override
    public void info(InfoRequest request, StreamObserver<InfoResponse> out) {
        out.onNext(info.get());
        out.onCompleted();
    }
}
