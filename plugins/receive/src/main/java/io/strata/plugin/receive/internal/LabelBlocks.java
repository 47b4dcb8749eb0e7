package io.strata.plugin.receive.internal;

import java.util.Arrays;

/**
 * The labels of a request's series as encoded protobuf {@code Label} messages (name = 1, value = 2,
 * each message with its {@code labels = 1} tag and length), one block per series, all in one array.
 * A router fills it while hashing the series and forwards the blocks as they are. Reusable.
 */
public final class LabelBlocks {
    private byte[] data = new byte[16 * 1024];
    private int length;
    private int[] ends = new int[256];
    private int count;

    public void clear() {
        length = 0;
        count = 0;
    }

    /** Adds a label of the current series from UTF-8 bytes (an empty field is left out, as proto3 does). */
    void label(byte[] src, int name, int nameLength, int value, int valueLength) {
        int inner = fieldSize(nameLength) + fieldSize(valueLength);
        ensure(1 + varintSize(inner) + inner);
        data[length++] = 0x0A;
        varint(inner);
        field(0x0A, src, name, nameLength);
        field(0x12, src, value, valueLength);
    }

    private void field(int tag, byte[] src, int from, int n) {
        if (n == 0) {
            return;
        }
        data[length++] = (byte) tag;
        varint(n);
        System.arraycopy(src, from, data, length, n);
        length += n;
    }

    private static int fieldSize(int n) {
        return n == 0 ? 0 : 1 + varintSize(n) + n;
    }

    /** Ends the current series; the next labels belong to the next one. */
    void endSeries() {
        if (count == ends.length) {
            ends = Arrays.copyOf(ends, count * 2);
        }
        ends[count++] = length;
    }

    public int seriesCount() {
        return count;
    }

    /** Offset of series {@code i}'s block in {@link #data()}. */
    public int start(int i) {
        return i == 0 ? 0 : ends[i - 1];
    }

    public int length(int i) {
        return ends[i] - start(i);
    }

    public byte[] data() {
        return data;
    }

    private void ensure(int more) {
        if (length + more > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, length + more));
        }
    }

    private void varint(int v) {
        while ((v & ~0x7F) != 0) {
            data[length++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        data[length++] = (byte) v;
    }

    static int varintSize(int v) {
        int n = 1;
        while ((v & ~0x7F) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }
}
