package io.strata.plugin.tsdb.index;

import io.strata.api.labels.Labels;
import io.strata.plugin.tsdb.internal.Encbuf;
import io.strata.plugin.tsdb.internal.Utf8Order;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes an index file in format 2 exactly as Prometheus 2.42 lays it out: symbols, 16-byte-aligned
 * series, label indices, postings, the label offset table, the postings offset table and the TOC.
 * Symbols are given up front; series must then be added in label order (Go string order).
 */
public final class IndexWriter implements AutoCloseable {
    private final Path path;
    private final OutputStream out;
    private long pos;
    private final String[] symbols;
    private final Map<String, Integer> symbolRefs;
    private final TreeMap<String, TreeMap<String, LongList>> postings = new TreeMap<>(Utf8Order.STRINGS);
    private final LongList allPostings = new LongList();
    private final long[] toc = new long[6];
    private final Encbuf e = new Encbuf(4096);
    private Labels lastSeries;
    private boolean finished;
    private int seriesCount;

    /** Growable primitive list of series IDs. */
    private static final class LongList {
        long[] a = new long[4];
        int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }
    }

    /**
     * Creates the file and writes the header and the symbol table. {@code symbols} need not be
     * sorted or unique; the empty string is always added, as Prometheus does.
     */
    public IndexWriter(Path path, Collection<String> symbols) throws IOException {
        if (path == null || symbols == null) {
            throw new IllegalArgumentException("path and symbols are required");
        }
        this.path = path;
        TreeSet<String> sorted = new TreeSet<>(Utf8Order.STRINGS);
        sorted.addAll(symbols);
        sorted.add("");
        this.symbols = sorted.toArray(new String[0]);
        this.symbolRefs = new HashMap<>(this.symbols.length * 2);
        for (int i = 0; i < this.symbols.length; i++) {
            symbolRefs.put(this.symbols[i], i);
        }
        this.out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
        e.reset().be32(IndexFormat.MAGIC).u8(IndexFormat.FORMAT_V2);
        flush();
        writeSymbols();
        toc[1] = pos;
    }

    public Path path() {
        return path;
    }

    private void flush() throws IOException {
        out.write(e.array(), 0, e.length());
        pos += e.length();
        e.reset();
    }

    private void pad(int alignment) throws IOException {
        int p = (int) (pos % alignment);
        if (p != 0) {
            e.reset().zeros(alignment - p);
            flush();
        }
    }

    private void writeSymbols() throws IOException {
        toc[0] = pos;
        e.reset().be32(0).be32(symbols.length);
        for (String s : symbols) {
            e.str(s);
        }
        finishSection(0);
    }

    /** Fills in the BE32 length at {@code lenAt} of the buffer, appends the CRC and writes out. */
    private void finishSection(int lenAt) throws IOException {
        int len = e.length() - lenAt - 4;
        e.putBe32(lenAt, len);
        e.be32(e.crc32c(lenAt + 4, e.length()));
        flush();
    }

    private int ref(String symbol) {
        Integer r = symbolRefs.get(symbol);
        if (r == null) {
            throw new IllegalArgumentException("symbol \"" + symbol + "\" was not declared to the index writer of " + path);
        }
        return r;
    }

    /** Adds a series with its chunks (sorted, non-overlapping); returns its series ID. */
    public long addSeries(Labels labels, ChunkMetas chunks) throws IOException {
        if (finished) {
            throw new IllegalStateException("index " + path + " is already finished");
        }
        if (lastSeries != null && Utf8Order.compare(lastSeries, labels) >= 0) {
            throw new IllegalArgumentException("series " + labels + " added after " + lastSeries + ": series must be added in label order");
        }
        lastSeries = labels;
        pad(IndexFormat.SERIES_ALIGNMENT);
        long id = pos / IndexFormat.SERIES_ALIGNMENT;
        e.reset();
        Encbuf content = new Encbuf(64);
        content.uvarint(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            content.uvarint(ref(labels.name(i)));
            content.uvarint(ref(labels.value(i)));
            postings.computeIfAbsent(labels.name(i), k -> new TreeMap<>(Utf8Order.STRINGS))
                    .computeIfAbsent(labels.value(i), k -> new LongList()).add(id);
        }
        int n = chunks == null ? 0 : chunks.size();
        content.uvarint(n);
        for (int i = 0; i < n; i++) {
            if (i == 0) {
                content.varint(chunks.minTime(0));
                content.uvarint(chunks.maxTime(0) - chunks.minTime(0));
                content.uvarint(chunks.ref(0));
            } else {
                content.uvarint(chunks.minTime(i) - chunks.maxTime(i - 1));
                content.uvarint(chunks.maxTime(i) - chunks.minTime(i));
                content.varint(chunks.ref(i) - chunks.ref(i - 1));
            }
        }
        e.uvarint(content.length());
        e.bytes(content.array(), 0, content.length());
        e.be32(content.crc32c(0, content.length()));
        flush();
        allPostings.add(id);
        seriesCount++;
        return id;
    }

    public int seriesCount() {
        return seriesCount;
    }

    /** Writes the remaining sections and the TOC, and closes the file. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        // Label indices, one per label name.
        toc[2] = pos;
        List<String> names = new ArrayList<>(postings.keySet());
        long[] labelIndexOffsets = new long[names.size()];
        for (int k = 0; k < names.size(); k++) {
            pad(4);
            labelIndexOffsets[k] = pos;
            TreeMap<String, LongList> values = postings.get(names.get(k));
            e.reset().be32(0).be32(1).be32(values.size());
            for (String v : values.keySet()) {
                e.be32(ref(v));
            }
            finishSection(0);
        }
        // Postings, all-postings first.
        toc[4] = pos;
        List<String> pNames = new ArrayList<>();
        List<String> pValues = new ArrayList<>();
        List<Long> pOffsets = new ArrayList<>();
        pad(4);
        pNames.add("");
        pValues.add("");
        pOffsets.add(pos);
        writePostings(allPostings);
        for (String name : names) {
            for (Map.Entry<String, LongList> v : postings.get(name).entrySet()) {
                pad(4);
                pNames.add(name);
                pValues.add(v.getKey());
                pOffsets.add(pos);
                writePostings(v.getValue());
            }
        }
        // Label offset table.
        toc[3] = pos;
        e.reset().be32(0).be32(names.size());
        for (int k = 0; k < names.size(); k++) {
            e.uvarint(1).str(names.get(k)).uvarint(labelIndexOffsets[k]);
        }
        finishSection(0);
        // Postings offset table.
        toc[5] = pos;
        e.reset().be32(0).be32(pNames.size());
        for (int k = 0; k < pNames.size(); k++) {
            e.uvarint(2).str(pNames.get(k)).str(pValues.get(k)).uvarint(pOffsets.get(k));
        }
        finishSection(0);
        // TOC.
        e.reset();
        for (long t : toc) {
            e.be64(t);
        }
        e.be32(e.crc32c(0, e.length()));
        flush();
        out.flush();
        out.close();
    }

    private void writePostings(LongList ids) throws IOException {
        e.reset().be32(0).be32(ids.n);
        for (int i = 0; i < ids.n; i++) {
            e.be32((int) ids.a[i]);
        }
        finishSection(0);
    }

    @Override
    public void close() throws IOException {
        if (!finished) {
            finish();
        }
    }
}
