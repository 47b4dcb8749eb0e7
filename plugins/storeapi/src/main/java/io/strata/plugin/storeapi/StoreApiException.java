package io.strata.plugin.storeapi;

import io.grpc.Status;
import java.util.Objects;

/** A StoreAPI call to one endpoint failed; the message names the endpoint and the gRPC status. */
public final class StoreApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String address;
    private final Status.Code code;

    public StoreApiException(String address, Status status, Throwable cause) {
        super("store " + address + ": " + Objects.requireNonNull(status, "status").getCode()
                + (status.getDescription() == null ? "" : ": " + status.getDescription()), cause);
        this.address = Objects.requireNonNull(address, "address");
        this.code = status.getCode();
    }

    /** The endpoint, as the client was given it ({@code host:port}). */
    public String address() {
        return address;
    }

    /** The gRPC status code of the failure. */
    public Status.Code code() {
        return code;
    }
}
