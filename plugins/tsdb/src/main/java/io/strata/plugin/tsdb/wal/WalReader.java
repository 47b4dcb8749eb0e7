package io.strata.plugin.tsdb.wal;

import io.strata.plugin.tsdb.internal.MappedFile;
import io.strata.plugin.tsdb.internal.Snappy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads the records of a sequence of WAL segment files, reassembling fragments, checking CRCs and
 * decompressing snappy records. On a torn or corrupt tail, {@link #next()} returns false and
 * {@link #err()} describes the problem; {@link #lastGoodSegment()}/{@link #lastGoodOffset()} say where the
 * last complete record ended so the log can be truncated there.
 */
public final class WalReader {
    private final List<Path> segments;
    private int segIdx = -1;
    private ByteBuffer cur;
    private int pos;
    private byte[] rec = new byte[4096];
    private int recLen;
    private byte[] out;
    private int outLen;
    private final CRC32C crc = new CRC32C();
    private Exception err;
    private int goodSegment = -1;
    private long goodOffset;

    public WalReader(List<Path> segments) {
        this.segments = List.copyOf(segments);
    }

    /** Index (into the given list) of the segment holding the end of the last complete record. */
    public int lastGoodSegment() {
        return goodSegment;
    }

    public long lastGoodOffset() {
        return goodOffset;
    }

    public Exception err() {
        return err;
    }

    /** The current record's bytes (valid up to {@link #length()}, overwritten by the next call). */
    public byte[] record() {
        return out;
    }

    public int length() {
        return outLen;
    }

    private boolean nextSegment() throws IOException {
        segIdx++;
        if (segIdx >= segments.size()) {
            return false;
        }
        cur = MappedFile.map(segments.get(segIdx));
        pos = 0;
        goodSegment = segIdx;
        goodOffset = 0;
        return true;
    }

    public boolean next() {
        if (err != null) {
            return false;
        }
        try {
            return readRecord();
        } catch (IOException e) {
            err = e;
            return false;
        }
    }

    private IOException corrupt(String what) {
        return new IOException("WAL segment " + segments.get(segIdx) + " at offset " + pos + ": " + what);
    }

    private boolean readRecord() throws IOException {
        recLen = 0;
        boolean inRecord = false;
        boolean compressed = false;
        while (true) {
            if (cur == null || pos >= cur.limit()) {
                if (inRecord) {
                    throw corrupt("record fragment sequence ends with the segment (torn write)");
                }
                if (!nextSegment()) {
                    return false;
                }
                continue;
            }
            int pageLeft = WalFormat.PAGE_SIZE - (pos % WalFormat.PAGE_SIZE);
            if (pageLeft < WalFormat.HEADER_SIZE) {
                pos += pageLeft;
                continue;
            }
            int typeByte = cur.get(pos) & 0xFF;
            int type = typeByte & 0x07;
            if (type == WalFormat.TYPE_PAGE_TERM) {
                // The rest of the page must be zeros.
                int end = Math.min(cur.limit(), pos + pageLeft);
                for (int i = pos; i < end; i++) {
                    if (cur.get(i) != 0) {
                        throw corrupt("non-zero byte in page padding at offset " + i);
                    }
                }
                pos = end;
                continue;
            }
            if (pos + WalFormat.HEADER_SIZE > cur.limit()) {
                throw corrupt("truncated fragment header");
            }
            int len = ((cur.get(pos + 1) & 0xFF) << 8) | (cur.get(pos + 2) & 0xFF);
            int want = cur.getInt(pos + 3);
            if (len > pageLeft - WalFormat.HEADER_SIZE) {
                throw corrupt("fragment of " + len + " bytes crosses the page boundary");
            }
            int dataAt = pos + WalFormat.HEADER_SIZE;
            if (dataAt + len > cur.limit()) {
                throw corrupt("truncated fragment (torn write)");
            }
            if (type > WalFormat.TYPE_LAST) {
                throw corrupt("unknown fragment type " + typeByte);
            }
            if ((typeByte & WalFormat.FLAG_ZSTD) != 0) {
                throw corrupt("zstd-compressed records are not supported");
            }
            if (recLen + len > rec.length) {
                rec = Arrays.copyOf(rec, Math.max(recLen + len, rec.length * 2));
            }
            cur.get(dataAt, rec, recLen, len);
            crc.reset();
            crc.update(rec, recLen, len);
            if ((int) crc.getValue() != want) {
                throw corrupt("fragment checksum mismatch");
            }
            boolean first = type == WalFormat.TYPE_FULL || type == WalFormat.TYPE_FIRST;
            if (first == inRecord) {
                throw corrupt(inRecord ? "new record starts inside a record" : "record continues without a start");
            }
            if (first) {
                compressed = (typeByte & WalFormat.FLAG_SNAPPY) != 0;
            }
            inRecord = true;
            recLen += len;
            pos = dataAt + len;
            if (type == WalFormat.TYPE_FULL || type == WalFormat.TYPE_LAST) {
                goodSegment = segIdx;
                goodOffset = pos;
                if (compressed) {
                    out = Snappy.decompress(rec, 0, recLen);
                    outLen = out.length;
                } else {
                    out = rec;
                    outLen = recLen;
                }
                return true;
            }
        }
    }
}
