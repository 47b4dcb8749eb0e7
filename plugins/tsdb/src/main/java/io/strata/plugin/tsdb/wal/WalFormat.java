package io.strata.plugin.tsdb.wal;

/** Constants of the write-ahead log: segments of 32 KiB pages holding record fragments. */
public final class WalFormat {
    public static final int PAGE_SIZE = 32 * 1024;
    public static final int HEADER_SIZE = 7;
    public static final long DEFAULT_SEGMENT_SIZE = 128L * 1024 * 1024;
    public static final int TYPE_PAGE_TERM = 0;
    public static final int TYPE_FULL = 1;
    public static final int TYPE_FIRST = 2;
    public static final int TYPE_MIDDLE = 3;
    public static final int TYPE_LAST = 4;
    public static final int FLAG_SNAPPY = 0x08;
    public static final int FLAG_ZSTD = 0x10;

    private WalFormat() {
    }

    public static String segmentName(int n) {
        return String.format("%08d", n);
    }
}
