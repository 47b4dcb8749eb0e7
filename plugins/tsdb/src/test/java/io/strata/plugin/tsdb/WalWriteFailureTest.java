package io.strata.plugin.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.api.labels.Labels;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.Appender;
import io.strata.plugin.tsdb.wal.WalWriteException;
import io.strata.plugin.tsdb.wal.WalWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A WAL write that fails (as on a full disk) fails the commit clearly and loses nothing committed before. */
class WalWriteFailureTest {

    /** A file channel that writes at most {@code budget} more bytes (negative: unlimited), then fails like a full disk. */
    static final class FullDiskChannel extends FileChannel {
        private final FileChannel real;
        private final AtomicLong budget;

        FullDiskChannel(FileChannel real, AtomicLong budget) {
            this.real = real;
            this.budget = budget;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            long left = budget.get();
            if (left < 0) {
                return real.write(src);
            }
            if (left == 0) {
                throw new IOException("No space left on device");
            }
            int n = (int) Math.min(left, src.remaining());
            ByteBuffer part = src.duplicate().limit(src.position() + n);
            int w = real.write(part);
            src.position(src.position() + w);
            budget.addAndGet(-w);
            return w;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                total += write(srcs[i]);
            }
            return total;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            throw new IOException("positional writes are not used by the WAL");
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            real.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            throw new IOException("transferFrom is not used by the WAL");
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return real.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }

    static Labels series(int i) {
        return Labels.of("__name__", "m", "s", Integer.toString(i));
    }

    static void append(Db db, int from, int to, long t) {
        Appender a = db.appender();
        for (int i = from; i < to; i++) {
            a.append(0, series(i), t, t + i);
        }
        a.commit();
    }

    static long[] all(Db db) {
        return DbTest.scan(db.querier(Long.MIN_VALUE, Long.MAX_VALUE), Matcher.equal("__name__", "m"));
    }

    @Test
    void failedCommitIsInvisibleAndEarlierAndLaterCommitsSurviveReopen(@TempDir Path dir) throws Exception {
        AtomicLong budget = new AtomicLong(-1);
        WalWriter.SegmentOpener opener = p -> new FullDiskChannel(WalWriter.SegmentOpener.FILES.open(p), budget);
        long[] committed;
        try (Db db = Db.open(dir, DbTest.options(), opener)) {
            append(db, 0, 50, 1000);
            append(db, 0, 50, 2000);
            committed = all(db);
            assertEquals(100, committed[1]);

            // The disk fills up part-way through the next batch: 30 new series and 80 samples.
            budget.set(200);
            WalWriteException e = assertThrows(WalWriteException.class, () -> append(db, 20, 100, 3000));
            assertTrue(e.getMessage().contains(e.segment().toString()), e.getMessage());
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
            assertTrue(e.getMessage().contains("80 samples was not committed"), e.getMessage());
            assertEquals(0, budget.get(), "part of the batch reached the segment before the failure");
            assertEquals(1, db.head().walWriteFailures());
            // The failed batch is not visible.
            assertEquals(committed[1], all(db)[1]);
            assertEquals(committed[2], all(db)[2]);

            // Still full: the next commit fails too, cleanly.
            assertThrows(WalWriteException.class, () -> append(db, 0, 1, 3500));

            // Space again: appends resume, including to series the failed batch created.
            budget.set(-1);
            append(db, 0, 100, 4000);
            assertEquals(200, all(db)[1]);
        }
        try (Db db = Db.open(dir, DbTest.options())) {
            long[] after = all(db);
            assertEquals(100, after[0], "series");
            assertEquals(200, after[1], "samples: 100 committed before the failure, 100 after");
            var ss = db.querier(0, Long.MAX_VALUE).select(true, null, Matcher.equal("s", "99"));
            assertTrue(ss.next());
            var it = ss.at().iterator(null);
            assertTrue(it.next());
            assertEquals(4000, it.atT(), "the failed batch's sample at 3000 is gone");
            assertTrue(!it.next());
        }
        assertTrue(Files.isDirectory(dir.resolve("wal")));
    }
}
