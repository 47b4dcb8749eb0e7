package io.strata.plugin.receive.internal;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The Thanos {@code thanos.WriteableStore/RemoteWrite} gRPC method, through which routers forward
 * series to ingesters. Requests travel as raw bytes and are decoded like remote-write bodies, with
 * no message objects; the status codes follow Thanos (AlreadyExists for conflicts, InvalidArgument,
 * ResourceExhausted, Unavailable).
 */
public final class WriteableStoreService {
    /** The wire name of the method, as in Thanos's rpc.proto. */
    public static final String SERVICE = "thanos.WriteableStore";
    public static final MethodDescriptor<byte[], byte[]> REMOTE_WRITE = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "RemoteWrite"))
            .setRequestMarshaller(BytesMarshaller.INSTANCE)
            .setResponseMarshaller(BytesMarshaller.INSTANCE)
            .build();
    private static final byte[] EMPTY = new byte[0];

    /** Passes bytes through unchanged. */
    public enum BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final SeriesWriter writer;
    private final String defaultTenant;
    private final BooleanSupplier ready;
    private final ThreadLocal<RemoteWriteDecoder> decoders;
    private final ThreadLocal<WriteBatch> batches = ThreadLocal.withInitial(WriteBatch::new);

    public WriteableStoreService(SeriesWriter writer, String defaultTenant, int maxLabelNameLength, int maxLabelValueLength,
                                 BooleanSupplier ready) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.defaultTenant = Objects.requireNonNull(defaultTenant, "defaultTenant");
        this.ready = Objects.requireNonNull(ready, "ready");
        this.decoders = ThreadLocal.withInitial(() -> new RemoteWriteDecoder(maxLabelNameLength, maxLabelValueLength));
    }

    /** The service definition to register on a gRPC server. */
    public ServerServiceDefinition definition() {
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(REMOTE_WRITE, ServerCalls.asyncUnaryCall(this::remoteWrite))
                .build();
    }

    private void remoteWrite(byte[] request, StreamObserver<byte[]> response) {
        Status status = write(request);
        if (status.isOk()) {
            response.onNext(EMPTY);
            response.onCompleted();
        } else {
            response.onError(status.asRuntimeException());
        }
    }

    /** Decodes and writes one request; the gRPC status to answer. */
    Status write(byte[] request) {
        if (!ready.getAsBoolean()) {
            return Status.UNAVAILABLE.withDescription("the receiver is not ready");
        }
        WriteBatch batch = batches.get();
        try {
            decoders.get().decodeV1(request, 0, request.length, batch);
            String tenant = batch.tenant().isEmpty() ? defaultTenant : batch.tenant();
            if (!TenantStorage.validTenant(tenant)) {
                return Status.INVALID_ARGUMENT.withDescription("invalid tenant \"" + tenant + "\"");
            }
            WriteOutcome outcome = new WriteOutcome();
            if (batch.seriesCount() > 0) {
                writer.write(tenant, batch, batch.replica(), outcome);
            }
            return switch (outcome.failure()) {
                case NONE -> Status.OK;
                case BAD_REQUEST -> Status.INVALID_ARGUMENT.withDescription(outcome.message());
                case CONFLICT -> Status.ALREADY_EXISTS.withDescription(outcome.message());
                case TOO_MANY_SERIES -> Status.RESOURCE_EXHAUSTED.withDescription(outcome.message());
                case NOT_READY, UNAVAILABLE -> Status.UNAVAILABLE.withDescription(outcome.message());
            };
        } catch (RemoteWriteException e) {
            return Status.INVALID_ARGUMENT.withDescription(e.getMessage());
        } catch (Exception e) {
            return Status.INTERNAL.withDescription(e.toString());
        } finally {
            batch.clear();
        }
    }
}
