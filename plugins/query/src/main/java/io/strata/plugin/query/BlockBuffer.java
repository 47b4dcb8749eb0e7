package io.strata.plugin.query;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory response body that grows by adding blocks instead of copying itself into ever larger
 * arrays (a range result of millions of points is tens of megabytes).
 */
final class BlockBuffer extends OutputStream {
    private static final int BLOCK = 64 * 1024;
    private final List<byte[]> full = new ArrayList<>();
    private byte[] block = new byte[4096];
    private int pos;
    private long size;

    @Override
    public void write(int b) {
        if (pos == block.length) {
            next(1);
        }
        block[pos++] = (byte) b;
        size++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        size += len;
        while (len > 0) {
            if (pos == block.length) {
                next(len);
            }
            int n = Math.min(len, block.length - pos);
            System.arraycopy(b, off, block, pos, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    private void next(int wanted) {
        full.add(block);
        block = new byte[Math.max(BLOCK, Math.min(wanted, 1 << 20))];
        pos = 0;
    }

    long size() {
        return size;
    }

    /** Empties the buffer. */
    void reset() {
        full.clear();
        pos = 0;
        size = 0;
    }

    void writeTo(OutputStream out) throws IOException {
        for (byte[] b : full) {
            out.write(b);
        }
        out.write(block, 0, pos);
    }
}
