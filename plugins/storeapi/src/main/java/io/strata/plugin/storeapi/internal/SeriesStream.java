package io.strata.plugin.storeapi.internal;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.strata.api.labels.Labels;
import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkQuerier;
import io.strata.api.storage.ChunkSeries;
import io.strata.api.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Answers one {@code Series} call: reads series from a chunk querier, turns them into frames and
 * writes them as fast as the client takes them (gRPC flow control: a frame is produced only when the
 * stream is ready). Chunk bytes are copied as they are, never re-encoding them.
 *
 * <p>Adding external labels or removing replica labels can change the order of the source's series.
 * When the source has none of those label names, the order can only change among a series and the
 * series right after it that extend its labels (a "prefix run": {@code {a="1"}} then
 * {@code {a="1",b="2"}}), so only such runs are held back and sorted; everything else streams as it is
 * read. When the source does have such labels (external labels then replace the source's values), all
 * series are collected and sorted before the first frame.
 */
public final class SeriesStream {
    /** How the final order is obtained. */
    public enum Ordering {
        /** Labels are not changed: the source's order holds. */
        AS_READ,
        /** Labels only gain or lose names the source does not have: sort runs of series sharing a prefix. */
        PREFIX_RUNS,
        /** Anything else: sort everything. */
        ALL
    }

    /** An encoded series message with its final labels and the labels it had in the source. */
    private record Entry(Labels source, Labels labels, byte[] series) {
    }

    /** Bytes the stream may have queued before it waits for the client: a few batches of series. */
    private static final int READY_THRESHOLD_BYTES = 1 << 20;

    private final ChunkQuerier querier;
    private final SeriesSet<ChunkSeries> set;
    private final ServerCallStreamObserver<SeriesWire.EncodedFrame> out;
    private final ExternalLabels external;
    private final Collection<String> withoutLabels;
    private final long minTime;
    private final long maxTime;
    private final boolean skipChunks;
    private final long limit;
    private final int batchSize;
    private final Ordering ordering;
    private final List<Entry> ready = new ArrayList<>();
    private int readyNext;
    private Entry lookahead;
    private boolean sourceDone;
    private long sent;
    private ChunkIterator reuse;
    private final SeriesWire.Encoder encoder = new SeriesWire.Encoder();
    private final SeriesWire.FrameBuilder frame = new SeriesWire.FrameBuilder();
    /** Returned by {@link #readSeries} when the series went straight into {@link #frame}. */
    private static final Entry IN_FRAME = new Entry(Labels.EMPTY, Labels.EMPTY, new byte[0]);
    private boolean finished;

    public SeriesStream(ChunkQuerier querier, SeriesSet<ChunkSeries> set, ServerCallStreamObserver<SeriesWire.EncodedFrame> out,
                        ExternalLabels external, Collection<String> withoutLabels, long minTime, long maxTime,
                        boolean skipChunks, long limit, long batchSize, Ordering ordering) {
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
        this.ordering = ordering;
    }

    /** Starts streaming; call from the service method. */
    public void start() {
        // gRPC's default 32 KiB would hand the stream back to the event loop every frame or two
        out.setOnReadyThreshold(READY_THRESHOLD_BYTES);
        out.setOnCancelHandler(this::finish);
        out.setOnReadyHandler(this::pump);
        pump();
    }

    private synchronized void pump() {
        if (finished) {
            return;
        }
        try {
            while (out.isReady()) {
                SeriesWire.EncodedFrame frame = nextFrame();
                if (frame == null) {
                    if (set.err() != null) {
                        fail(set.err());
                        return;
                    }
                    for (String w : set.warnings()) {
                        out.onNext(SeriesWire.EncodedFrame.of(SeriesWire.Encoder.warning(w)));
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

    private SeriesWire.EncodedFrame nextFrame() {
        while (frame.count() < batchSize && sent < limit && nextSeries()) {
            sent++;
        }
        return frame.count() == 0 ? null : frame.build(batchSize > 1);
    }

    /** Adds the next series to {@code frame}; false at the end. */
    private boolean nextSeries() {
        if (ordering == Ordering.AS_READ) {
            // nothing to sort: the series goes from the encoder straight into the frame
            return readSeries(true) != null;
        }
        if (readyNext == ready.size()) {
            ready.clear();
            readyNext = 0;
            fill();
            if (ready.isEmpty()) {
                return false;
            }
        }
        byte[] body = ready.get(readyNext++).series();
        frame.add(body, 0, body.length);
        return true;
    }

    /** Puts the next series (or sorted run of series) into {@code ready}. */
    private void fill() {
        switch (ordering) {
            case AS_READ -> throw new IllegalStateException("series read as they are go straight into the frame");
            case ALL -> {
                Entry e;
                while ((e = readSeries(false)) != null) {
                    ready.add(e);
                }
                sortReady();
            }
            case PREFIX_RUNS -> {
                Entry root = lookahead != null ? lookahead : readSeries(false);
                lookahead = null;
                if (root == null) {
                    return;
                }
                ready.add(root);
                Entry e;
                while ((e = readSeries(false)) != null) {
                    if (!isPrefix(root.source(), e.source())) {
                        lookahead = e;
                        break;
                    }
                    ready.add(e);
                }
                if (ready.size() > 1) {
                    sortReady();
                }
            }
            default -> throw new IllegalStateException("unknown ordering " + ordering);
        }
    }

    private void sortReady() {
        ready.sort((a, b) -> a.labels().compareTo(b.labels()));
    }

    /** True when every label of {@code prefix} is, at the same position, a label of {@code labels}. */
    private static boolean isPrefix(Labels prefix, Labels labels) {
        if (prefix.size() > labels.size()) {
            return false;
        }
        for (int i = 0; i < prefix.size(); i++) {
            if (!prefix.name(i).equals(labels.name(i)) || !prefix.value(i).equals(labels.value(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The next series of the source with at least one chunk in range; null at the end. With
     * {@code intoFrame} it is added to {@link #frame} and {@link #IN_FRAME} returned.
     */
    private Entry readSeries(boolean intoFrame) {
        if (sourceDone) {
            return null;
        }
        while (set.next()) {
            if (out.isCancelled()) {
                // The client is gone: stop reading (a full sort would otherwise read everything first).
                break;
            }
            ChunkSeries cs = set.at();
            Labels source = cs.labels();
            Labels labels = external.extend(source).without(withoutLabels);
            encoder.startSeries(labels);
            ChunkIterator it = cs.chunks(reuse);
            reuse = it;
            if (!SeriesWire.chunks(encoder, it, minTime, maxTime, skipChunks, source)) {
                continue;
            }
            if (intoFrame) {
                encoder.endSeries(frame);
                return IN_FRAME;
            }
            return new Entry(source, labels, encoder.endSeries());
        }
        sourceDone = true;
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
