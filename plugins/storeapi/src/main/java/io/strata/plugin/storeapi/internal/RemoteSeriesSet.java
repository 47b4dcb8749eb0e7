package io.strata.plugin.storeapi.internal;

import io.grpc.Context;
import io.grpc.Status;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.SeriesSet;
import io.strata.plugin.storeapi.StoreApiException;
import io.strata.proto.thanos.store.Series;
import io.strata.proto.thanos.store.SeriesResponse;
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
    private final Iterator<SeriesResponse> frames;
    private final List<String> warnings = new ArrayList<>();
    private List<Series> batch = List.of();
    private int batchNext;
    private Series lookahead;
    private ChunkSeries current;
    private Exception err;
    private boolean done;

    /** {@code frames} must have been started inside {@code context}, which this set cancels when it ends early. */
    public RemoteSeriesSet(String address, Context.CancellableContext context, Iterator<SeriesResponse> frames) {
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
            Series s = lookahead != null ? lookahead : read();
            lookahead = null;
            if (s == null) {
                finish();
                return false;
            }
            Series following = read();
            if (following != null && following.getLabelsList().equals(s.getLabelsList())) {
                Series.Builder joined = s.toBuilder();
                while (following != null && following.getLabelsList().equals(s.getLabelsList())) {
                    joined.addAllChunks(following.getChunksList());
                    following = read();
                }
                s = joined.build();
            }
            lookahead = following;
            current = new RemoteChunkSeries(ProtoConversions.labels(s.getLabelsList()), s.getChunksList());
            return true;
        } catch (io.grpc.StatusRuntimeException e) {
            err = new StoreApiException(address, e.getStatus(), e);
        } catch (RuntimeException e) {
            err = new StoreApiException(address, Status.fromThrowable(e), e);
        }
        finish();
        return false;
    }

    /** The next series message, from the current batch or the next frame; null at the end of the stream. */
    private Series read() {
        while (true) {
            if (batchNext < batch.size()) {
                return batch.get(batchNext++);
            }
            if (!frames.hasNext()) {
                return null;
            }
            SeriesResponse r = frames.next();
            switch (r.getResultCase()) {
                case SERIES -> {
                    return r.getSeries();
                }
                case WARNING -> warnings.add(address + ": " + r.getWarning());
                case BATCH -> {
                    batch = r.getBatch().getSeriesList();
                    batchNext = 0;
                }
                default -> {
                    // Hints and frames of kinds this client does not know carry nothing it needs.
                }
            }
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
