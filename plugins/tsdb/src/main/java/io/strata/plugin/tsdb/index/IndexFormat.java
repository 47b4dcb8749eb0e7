package io.strata.plugin.tsdb.index;

/** Constants of the index file, format 2. */
public final class IndexFormat {
    public static final int MAGIC = 0xBAAAD700;
    public static final int FORMAT_V1 = 1;
    public static final int FORMAT_V2 = 2;
    public static final int HEADER_SIZE = 5;
    public static final int TOC_SIZE = 6 * 8 + 4;
    /** Series entries start on multiples of this; series ID = offset / 16. */
    public static final int SERIES_ALIGNMENT = 16;

    private IndexFormat() {
    }
}
