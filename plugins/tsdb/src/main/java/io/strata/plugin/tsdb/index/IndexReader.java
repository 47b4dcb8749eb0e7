package io.strata.plugin.tsdb.index;

import io.strata.api.labels.Labels;
import io.strata.plugin.tsdb.CorruptionException;
import io.strata.plugin.tsdb.internal.Decbuf;
import io.strata.plugin.tsdb.internal.MappedFile;
import io.strata.plugin.tsdb.internal.Utf8Order;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an index file (format 2) through a memory mapping. Symbols and the postings offset table are
 * loaded on open; series and postings lists are decoded from the mapping on demand and CRC-checked.
 * Thread-safe.
 */
public final class IndexReader implements IndexLookup, AutoCloseable {
    private final Path file;
    private final ByteBuffer buf;
    private final int version;
    private final long[] toc = new long[6];
    private final String[] symbols;
    private final Map<String, NameEntry> postingsTable;
    private final List<String> labelNames;

    private static final class NameEntry {
        final String[] values;
        final long[] offsets;
        final List<String> valueList;

        NameEntry(String[] values, long[] offsets) {
            this.values = values;
            this.offsets = offsets;
            this.valueList = Collections.unmodifiableList(Arrays.asList(values));
        }
    }

    private IndexReader(Path file, ByteBuffer buf) {
        this.file = file;
        this.buf = buf;
        int size = buf.limit();
        if (size < IndexFormat.HEADER_SIZE + IndexFormat.TOC_SIZE) {
            throw new CorruptionException(file, 0, "index of " + size + " bytes is too short for a header and a TOC");
        }
        int magic = buf.getInt(0);
        if (magic != IndexFormat.MAGIC) {
            throw new CorruptionException(file, 0, "bad index magic 0x" + Integer.toHexString(magic) + ", want 0xbaaad700");
        }
        version = buf.get(4) & 0xFF;
        if (version != IndexFormat.FORMAT_V2) {
            throw new CorruptionException(file, 4, "unsupported index format version " + version
                    + (version == IndexFormat.FORMAT_V1 ? " (format 1 is not supported by this reader)" : "") + ", want 2");
        }
        int tocAt = size - IndexFormat.TOC_SIZE;
        Decbuf d = new Decbuf(buf, file, tocAt, size);
        d.checkCrc(tocAt, size - 4, "index TOC");
        for (int i = 0; i < 6; i++) {
            toc[i] = d.be64();
            if (toc[i] < 0 || toc[i] > tocAt) {
                throw new CorruptionException(file, tocAt + 8L * i, "TOC entry " + i + " points at " + toc[i] + ", outside the file");
            }
        }
        symbols = readSymbols();
        postingsTable = readPostingsTable();
        List<String> names = new ArrayList<>();
        for (String n : postingsTable.keySet()) {
            if (!n.isEmpty()) {
                names.add(n);
            }
        }
        names.sort(Utf8Order.STRINGS);
        labelNames = List.copyOf(names);
    }

    public static IndexReader open(Path file) throws IOException {
        return new IndexReader(file, MappedFile.map(file));
    }

    /** An index held in memory (for example fetched from object storage). */
    public static IndexReader fromBytes(Path nameForErrors, ByteBuffer bytes) {
        return new IndexReader(nameForErrors, bytes.duplicate().order(java.nio.ByteOrder.BIG_ENDIAN));
    }

    public Path file() {
        return file;
    }

    public int version() {
        return version;
    }

    public long size() {
        return buf.limit();
    }

    private String[] readSymbols() {
        int at = (int) toc[0];
        if (at == 0) {
            return new String[0];
        }
        Decbuf d = new Decbuf(buf, file, at, buf.limit());
        int len = d.be32();
        int start = d.position();
        if (len < 4 || (long) start + len + 4 > buf.limit()) {
            throw d.corrupt(at, "symbol table length " + len + " runs past the end of the file");
        }
        d.checkCrc(start, start + len, "symbol table");
        d.limit(start + len);
        int count = d.be32();
        if (count < 0 || count > len) {
            throw d.corrupt(start, "symbol count " + count + " does not fit the table's " + len + " bytes");
        }
        String[] out = new String[count];
        for (int i = 0; i < count; i++) {
            out[i] = d.str();
        }
        return out;
    }

    private Map<String, NameEntry> readPostingsTable() {
        int at = (int) toc[5];
        Map<String, NameEntry> out = new HashMap<>();
        if (at == 0) {
            return out;
        }
        Decbuf d = new Decbuf(buf, file, at, buf.limit());
        int len = d.be32();
        int start = d.position();
        if (len < 4 || (long) start + len + 4 > buf.limit()) {
            throw d.corrupt(at, "postings offset table length " + len + " runs past the end of the file");
        }
        d.checkCrc(start, start + len, "postings offset table");
        d.limit(start + len);
        int count = d.be32();
        String curName = null;
        List<String> vals = new ArrayList<>();
        long[] offs = new long[16];
        for (int i = 0; i < count; i++) {
            int entryAt = d.position();
            long keys = d.uvarint();
            if (keys != 2) {
                throw d.corrupt(entryAt, "postings offset table entry has " + keys + " keys, want 2");
            }
            String name = d.str();
            String value = d.str();
            long off = d.uvarint();
            if (!name.equals(curName)) {
                if (curName != null) {
                    out.put(curName, new NameEntry(vals.toArray(new String[0]), Arrays.copyOf(offs, vals.size())));
                }
                curName = name;
                vals.clear();
            }
            if (vals.size() == offs.length) {
                offs = Arrays.copyOf(offs, offs.length * 2);
            }
            offs[vals.size()] = off;
            vals.add(value);
        }
        if (curName != null) {
            out.put(curName, new NameEntry(vals.toArray(new String[0]), Arrays.copyOf(offs, vals.size())));
        }
        return out;
    }

    public int symbolCount() {
        return symbols.length;
    }

    public String symbol(int ref) {
        if (ref < 0 || ref >= symbols.length) {
            throw new CorruptionException(file, toc[0], "symbol reference " + ref + " outside the table of " + symbols.length);
        }
        return symbols[ref];
    }

    /** Sorted label names (without the all-postings key). */
    public List<String> labelNames() {
        return labelNames;
    }

    @Override
    public List<String> labelValues(String name) {
        NameEntry e = postingsTable.get(name);
        return e == null ? List.of() : e.valueList;
    }

    @Override
    public Postings allPostings() {
        return postings("", "");
    }

    @Override
    public Postings postings(String name, String value) {
        NameEntry e = postingsTable.get(name);
        if (e == null) {
            return PostingsLists.EMPTY;
        }
        int i = Arrays.binarySearch(e.values, value, Utf8Order.STRINGS);
        if (i < 0) {
            return PostingsLists.EMPTY;
        }
        return postingsAt(e.offsets[i], name, value);
    }

    /** Number of series in a postings list (for cardinality analysis). */
    public int postingsCount(String name, String value) {
        NameEntry e = postingsTable.get(name);
        if (e == null) {
            return 0;
        }
        int i = Arrays.binarySearch(e.values, value, Utf8Order.STRINGS);
        if (i < 0) {
            return 0;
        }
        return buf.getInt((int) e.offsets[i] + 4);
    }

    private Postings postingsAt(long offset, String name, String value) {
        Decbuf d = new Decbuf(buf, file, (int) offset, buf.limit());
        int len = d.be32();
        int start = d.position();
        if (len < 4 || (long) start + len + 4 > buf.limit()) {
            throw d.corrupt(offset, "postings list " + name + "=" + value + ": length " + len + " runs past the end of the file");
        }
        if (!d.crcMatches(start, start + len)) {
            throw d.crcFailure(start, start + len, "postings list " + name + "=" + value);
        }
        int count = d.be32();
        if ((long) count * 4 != len - 4) {
            throw d.corrupt(offset, "postings list " + name + "=" + value + ": " + count + " entries do not fill " + len + " bytes");
        }
        return PostingsLists.be32(buf, start + 4, count);
    }

    /**
     * Decodes a series: returns its labels and fills {@code chunks} (cleared first) when it is not
     * null.
     */
    public Labels series(long id, ChunkMetas chunks) {
        long off = id * IndexFormat.SERIES_ALIGNMENT;
        if (id <= 0 || off >= buf.limit() - IndexFormat.TOC_SIZE) {
            throw new CorruptionException(file, off, "series ID " + id + " points outside the series section");
        }
        Decbuf d = new Decbuf(buf, file, (int) off, buf.limit());
        long len = d.uvarint();
        int start = d.position();
        if (len > buf.limit() - start - 4) {
            throw d.corrupt(off, "series " + id + ": length " + len + " runs past the end of the file");
        }
        if (!d.crcMatches(start, start + (int) len)) {
            throw d.crcFailure(start, start + (int) len, "series " + id);
        }
        d.limit(start + (int) len);
        int n = d.uvarint32();
        String[] pairs = new String[n * 2];
        for (int i = 0; i < n; i++) {
            pairs[2 * i] = symbol(d.uvarint32());
            pairs[2 * i + 1] = symbol(d.uvarint32());
        }
        if (chunks != null) {
            chunks.clear();
            int k = d.uvarint32();
            long maxt = 0;
            long ref = 0;
            for (int i = 0; i < k; i++) {
                long mint;
                if (i == 0) {
                    mint = d.varint();
                    maxt = mint + d.uvarint();
                    ref = d.uvarint();
                } else {
                    mint = maxt + d.uvarint();
                    maxt = mint + d.uvarint();
                    ref += d.varint();
                }
                chunks.add(mint, maxt, ref);
            }
        }
        return Labels.wrapSorted(pairs);
    }

    /**
     * Checks every checksummed part of the index that open does not read: each series entry of the
     * series section (checksum, symbol references) and each postings list named by the postings
     * offset table. Reads the whole file once; throws {@link CorruptionException} naming the offset
     * of the first problem.
     */
    public void verify() {
        long seriesAt = toc[1];
        if (seriesAt != 0) {
            long end = buf.limit() - IndexFormat.TOC_SIZE;
            for (int i = 2; i < 6; i++) {
                if (toc[i] > seriesAt && toc[i] < end) {
                    end = toc[i];
                }
            }
            long pos = seriesAt;
            while (true) {
                pos = (pos + IndexFormat.SERIES_ALIGNMENT - 1) / IndexFormat.SERIES_ALIGNMENT * IndexFormat.SERIES_ALIGNMENT;
                if (pos >= end) {
                    break;
                }
                series(pos / IndexFormat.SERIES_ALIGNMENT, null);
                Decbuf d = new Decbuf(buf, file, (int) pos, buf.limit());
                long len = d.uvarint();
                pos = d.position() + len + 4;
            }
        }
        for (Map.Entry<String, NameEntry> e : postingsTable.entrySet()) {
            NameEntry n = e.getValue();
            for (int i = 0; i < n.offsets.length; i++) {
                postingsAt(n.offsets[i], e.getKey(), n.values[i]);
            }
        }
    }

    /** The TOC offsets: symbols, series, label indices, label offset table, postings, postings offset table. */
    public long[] toc() {
        return toc.clone();
    }

    @Override
    public void close() {
        // Mapping released by the garbage collector.
    }
}
