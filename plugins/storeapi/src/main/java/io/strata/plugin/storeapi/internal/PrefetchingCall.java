package io.strata.plugin.storeapi.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The responses of a server-streaming call as a blocking iterator that keeps {@code prefetch}
 * messages asked for ahead of the reader. gRPC's own blocking iterator asks for one message at a
 * time, so every message costs a round of thread wake-ups between reader and transport; here the
 * messages are decoded on the channel's executor while the reader works on earlier ones.
 */
public final class PrefetchingCall<Q, R> implements Iterator<R> {
    /** Marks the end of the stream in the queue; the status is kept in {@link #end}. */
    private static final Object CLOSED = new Object();

    private final ClientCall<Q, R> call;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile Status end;
    private Object next;
    private boolean finished;

    private PrefetchingCall(ClientCall<Q, R> call) {
        this.call = call;
    }

    /**
     * Starts the call (in the current gRPC context, whose cancellation cancels it) and asks for the
     * first {@code prefetch} responses.
     */
    public static <Q, R> PrefetchingCall<Q, R> start(Channel channel, MethodDescriptor<Q, R> method, CallOptions options,
                                                     Q request, int prefetch) {
        PrefetchingCall<Q, R> c = new PrefetchingCall<>(channel.newCall(method, options));
        c.call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(R message) {
                c.queue.add(message);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                c.end = status;
                c.queue.add(CLOSED);
            }
        }, new Metadata());
        try {
            c.call.sendMessage(request);
            c.call.halfClose();
            c.call.request(prefetch);
        } catch (RuntimeException | Error e) {
            c.call.cancel("failed to start", e);
            throw e;
        }
        return c;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !finished) {
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                call.cancel("interrupted", e);
                throw Status.CANCELLED.withDescription("interrupted while reading").withCause(e).asRuntimeException();
            }
            if (next == CLOSED) {
                finished = true;
                next = null;
                if (!end.isOk()) {
                    throw new StatusRuntimeException(end);
                }
            }
        }
        return next != null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public R next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        R r = (R) next;
        next = null;
        // one taken, one more asked for: the window of messages in flight stays the same
        call.request(1);
        return r;
    }

    /** Stops the call if it is still running. */
    public void cancel() {
        if (!finished) {
            call.cancel("the reader stopped", null);
        }
    }
}
