package io.strata.plugin.storeapi.internal;

import io.strata.api.labels.Labels;
import io.strata.api.storage.ChunkIterator;
import io.strata.api.storage.ChunkSeries;
import io.strata.proto.thanos.store.AggrChunk;
import java.nio.ByteBuffer;
import java.util.List;

/** A series received from a StoreAPI endpoint; chunk bytes are read in place from the message. */
public final class RemoteChunkSeries implements ChunkSeries {
    private final Labels labels;
    private final List<AggrChunk> chunks;

    public RemoteChunkSeries(Labels labels, List<AggrChunk> chunks) {
        this.labels = labels;
        this.chunks = chunks;
    }

    @Override
    public Labels labels() {
        return labels;
    }

    /** The received chunks, sorted by min time. */
    public List<AggrChunk> aggrChunks() {
        return chunks;
    }

    @Override
    public ChunkIterator chunks(ChunkIterator reuse) {
        RawChunkIterator it = reuse instanceof RawChunkIterator r ? r : new RawChunkIterator();
        return it.reset(chunks);
    }

    /** Iterates the raw chunks of a list of aggregate chunks (chunks without raw data are skipped). */
    public static final class RawChunkIterator implements ChunkIterator {
        private List<AggrChunk> chunks = List.of();
        private int i;
        private int encoding;
        private Exception err;

        public RawChunkIterator reset(List<AggrChunk> chunks) {
            this.chunks = chunks;
            this.i = -1;
            this.err = null;
            return this;
        }

        @Override
        public boolean next() {
            while (++i < chunks.size()) {
                AggrChunk c = chunks.get(i);
                if (!c.hasRaw()) {
                    continue;
                }
                encoding = ProtoConversions.prometheusEncoding(c.getRaw().getTypeValue());
                if (encoding < 0) {
                    err = new IllegalStateException("unknown StoreAPI chunk encoding " + c.getRaw().getTypeValue());
                    i = chunks.size();
                    return false;
                }
                return true;
            }
            return false;
        }

        @Override
        public long minTime() {
            return chunks.get(i).getMinTime();
        }

        @Override
        public long maxTime() {
            return chunks.get(i).getMaxTime();
        }

        @Override
        public int encoding() {
            return encoding;
        }

        @Override
        public ByteBuffer bytes() {
            return chunks.get(i).getRaw().getData().asReadOnlyByteBuffer();
        }

        @Override
        public Exception err() {
            return err;
        }
    }
}
