package io.strata.plugin.tsdb.chunks;

/** Constants of the block chunk segment files ({@code <block>/chunks/NNNNNN}). */
public final class ChunkSegmentFormat {
    public static final int MAGIC = 0x85BD40DD;
    public static final int VERSION = 1;
    public static final int HEADER_SIZE = 8;
    /** Default segment size limit, 512 MiB. */
    public static final long DEFAULT_MAX_SEGMENT_SIZE = 512L * 1024 * 1024;
    /** Worst-case bytes a record adds besides its data: uvarint length (5), encoding (1), CRC (4). */
    public static final int MAX_RECORD_OVERHEAD = 5 + 1 + 4;

    private ChunkSegmentFormat() {
    }

    /** Block chunk reference: 0-based segment index in the high 32 bits, byte offset in the low. */
    public static long ref(int segmentIndex, int offset) {
        return ((long) segmentIndex << 32) | (offset & 0xFFFFFFFFL);
    }

    public static int segmentIndex(long ref) {
        return (int) (ref >>> 32);
    }

    public static int offset(long ref) {
        return (int) ref;
    }

    /** File name of the segment with the given 1-based sequence number. */
    public static String fileName(int sequence) {
        return String.format("%06d", sequence);
    }
}
