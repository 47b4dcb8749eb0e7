package io.strata.plugin.storeapi.internal;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.strata.api.labels.Labels;
import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkQuerier;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.SeriesSet;
import io.strata.proto.thanos.store.AggrChunk;
import io.strata.proto.thanos.store.Chunk;
import io.strata.proto.thanos.store.Series;
import io.strata.proto.thanos.store.SeriesBatch;
import io.strata.proto.thanos.store.SeriesResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Answers one {@code Series} call: reads series from a chunk querier, turns them into frames and
 * writes them as fast as the client takes them (gRPC flow control: a frame is produced only when the
 * stream is ready). Chunk bytes are copied as they are, never re-encoded.
 *
 * <p>When labels change on the way (external labels added, replica labels removed) the order of the
 * source no longer holds, so the series are collected and sorted before the first frame.
 */
public final class SeriesStream {
    private final ChunkQuerier querier;
    private final SeriesSet<ChunkSeries> set;
    private final ServerCallStreamObserver<SeriesResponse> out;
    private final ExternalLabels external;
    private final Collection<String> withoutLabels;
    private final long minTime;
    private final long maxTime;
    private final boolean skipChunks;
    private final long limit;
    private final int batchSize;
    private final boolean reorders;
    private List<Series> sorted;
    private int sortedNext;
    private long sent;
    private ChunkIterator reuse;
    private Labels lastLabels;
    private boolean finished;

    public SeriesStream(ChunkQuerier querier, SeriesSet<ChunkSeries> set, ServerCallStreamObserver<SeriesResponse> out,
                        ExternalLabels external, Collection<String> withoutLabels, long minTime, long maxTime,
                        boolean skipChunks, long limit, long batchSize) {
        this.querier = querier;
        this.set = set;
        this.out = out;
        this.external = external;
        this.withoutLabels = withoutLabels;
        this.minTime = minTime;
        this.maxTime = maxTime;
        this.skipChunks = skipChunks;
        this.limit = limit <= 0 ? Long.MAX_VALUE : limit;
        this.batchSize = (int) Math.max(1, Math.min(batchSize, 4096));
        this.reorders = !external.isEmpty() || !withoutLabels.isEmpty();
    }

    /** Starts streaming; call from the service method. */
    public void start() {
        out.setOnCancelHandler(this::finish);
        out.setOnReadyHandler(this::pump);
        pump();
    }

    private synchronized void pump() {
        if (finished) {
            return;
        }
        try {
            if (reorders && sorted == null) {
                sorted = collectSorted();
                if (sorted == null) {
                    return;
                }
            }
            while (out.isReady()) {
                SeriesResponse frame = nextFrame();
                if (frame == null) {
                    if (set.err() != null) {
                        fail(set.err());
                        return;
                    }
                    for (String w : set.warnings()) {
                        out.onNext(SeriesResponse.newBuilder().setWarning(w).build());
                    }
                    finish();
                    out.onCompleted();
                    return;
                }
                out.onNext(frame);
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private SeriesResponse nextFrame() {
        if (batchSize == 1) {
            Series s = nextSeries();
            return s == null ? null : SeriesResponse.newBuilder().setSeries(s).build();
        }
        SeriesBatch.Builder batch = SeriesBatch.newBuilder();
        for (int i = 0; i < batchSize; i++) {
            Series s = nextSeries();
            if (s == null) {
                break;
            }
            batch.addSeries(s);
        }
        return batch.getSeriesCount() == 0 ? null : SeriesResponse.newBuilder().setBatch(batch).build();
    }

    private Series nextSeries() {
        if (sent >= limit) {
            return null;
        }
        Series s;
        if (sorted != null) {
            s = sortedNext < sorted.size() ? sorted.get(sortedNext++) : null;
        } else {
            s = readSeries();
        }
        if (s != null) {
            sent++;
        }
        return s;
    }

    /** All remaining series, sorted by their final labels; null when the stream already failed. */
    private List<Series> collectSorted() {
        List<Labels> labels = new ArrayList<>();
        List<Series> all = new ArrayList<>();
        Series s;
        while ((s = readSeries()) != null) {
            labels.add(lastLabels);
            all.add(s);
        }
        if (set.err() != null) {
            fail(set.err());
            return null;
        }
        Integer[] order = new Integer[all.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Utf8Order.compare(labels.get(a), labels.get(b)));
        List<Series> out = new ArrayList<>(order.length);
        for (Integer i : order) {
            out.add(all.get(i));
        }
        return out;
    }

    /** The next series of the source with at least one chunk in range, as a message; null at the end. */
    private Series readSeries() {
        while (set.next()) {
            ChunkSeries cs = set.at();
            Series.Builder b = Series.newBuilder();
            ChunkIterator it = cs.chunks(reuse);
            reuse = it;
            boolean any = false;
            while (it.next()) {
                if (it.maxTime() < minTime || it.minTime() > maxTime) {
                    continue;
                }
                any = true;
                if (skipChunks) {
                    break;
                }
                int encoding = ProtoConversions.thanosEncoding(it.encoding());
                if (encoding < 0) {
                    throw new IllegalStateException("series " + cs.labels() + ": chunk encoding " + it.encoding() + " has no StoreAPI number");
                }
                ByteBuffer bytes = it.bytes();
                b.addChunks(AggrChunk.newBuilder().setMinTime(it.minTime()).setMaxTime(it.maxTime())
                        .setRaw(Chunk.newBuilder().setTypeValue(encoding).setData(ByteString.copyFrom(bytes.duplicate()))));
            }
            if (it.err() != null) {
                throw new IllegalStateException("series " + cs.labels() + ": " + it.err().getMessage(), it.err());
            }
            if (!any) {
                continue;
            }
            Labels labels = external.extend(cs.labels()).without(withoutLabels);
            ProtoConversions.addLabels(labels, b::addLabels);
            lastLabels = labels;
            return b.build();
        }
        return null;
    }

    private void fail(Exception e) {
        finish();
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        try {
            out.onError(Status.INTERNAL.withDescription("reading series: " + message).withCause(e).asRuntimeException());
        } catch (RuntimeException alreadyClosed) {
            // The call was cancelled or completed meanwhile; nobody is left to tell.
        }
    }

    private synchronized void finish() {
        if (!finished) {
            finished = true;
            querier.close();
        }
    }
}
