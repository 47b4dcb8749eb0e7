package io.strata.plugin.storeapi.internal;

import io.grpc.Context;
import io.grpc.Status;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.SeriesSet;
import io.strata.plugin.storeapi.StoreApiException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The series of one {@code Series} call, read as the client pulls (gRPC flow control holds the server
 * back). Consecutive frames of the same series are joined; warning frames are collected for
 * {@link #warnings()}; a failure becomes {@link #err()} naming the endpoint.
 */
public final class RemoteSeriesSet implements SeriesSet<ChunkSeries> {
    private final String address;
    private final Context.CancellableContext context;
    private final Iterator<SeriesWire.Frame> frames;
    private final List<String> warnings = new ArrayList<>();
    private List<DecodedSeries> batch = List.of();
    private int batchNext;
    private DecodedSeries lookahead;
    private ChunkSeries current;
    private Exception err;
    private boolean done;

    /** {@code frames} must have been started inside {@code context}, which this set cancels when it ends early. */
    public RemoteSeriesSet(String address, Context.CancellableContext context, Iterator<SeriesWire.Frame> frames) {
        this.address = address;
        this.context = context;
        this.frames = frames;
    }

    /** A set without series, for a request that cannot match anything (no call is made). */
    public static RemoteSeriesSet empty(String address) {
        RemoteSeriesSet s = new RemoteSeriesSet(address, null, null);
        s.done = true;
        return s;
    }

    /** A set that failed before the call started. */
    public static RemoteSeriesSet failed(String address, Exception err) {
        RemoteSeriesSet s = new RemoteSeriesSet(address, null, null);
        s.err = err;
        s.done = true;
        return s;
    }

    @Override
    public boolean next() {
        if (done) {
            return false;
        }
        try {
            DecodedSeries s = lookahead != null ? lookahead : read();
            lookahead = null;
            if (s == null) {
                finish();
                return false;
            }
            DecodedSeries following = read();
            while (following != null && following.labels().equals(s.labels())) {
                // a series split over several messages (Thanos stores send long series in parts)
                s.append(following);
                following = read();
            }
            lookahead = following;
            current = s;
            return true;
        } catch (io.grpc.StatusRuntimeException e) {
            err = new StoreApiException(address, e.getStatus(), e);
        } catch (RuntimeException e) {
            err = new StoreApiException(address, Status.fromThrowable(e), e);
        }
        finish();
        return false;
    }

    /** The next series message, from the current frame or the next one; null at the end of the stream. */
    private DecodedSeries read() {
        while (true) {
            if (batchNext < batch.size()) {
                return batch.get(batchNext++);
            }
            if (!frames.hasNext()) {
                return null;
            }
            SeriesWire.Frame f = frames.next();
            if (f.warning() != null) {
                warnings.add(address + ": " + f.warning());
            }
            // frames of kinds this client does not know (hints) carry no series and nothing it needs
            batch = f.series();
            batchNext = 0;
        }
    }

    private void finish() {
        done = true;
        if (context != null) {
            context.cancel(null);
        }
    }

    /** Stops the call if it is still running. */
    public void close() {
        if (!done) {
            finish();
        }
    }

    @Override
    public ChunkSeries at() {
        return current;
    }

    @Override
    public Exception err() {
        return err;
    }

    @Override
    public List<String> warnings() {
        return warnings;
    }
}
