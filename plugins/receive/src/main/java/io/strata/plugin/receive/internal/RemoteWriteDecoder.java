package io.strata.plugin.receive.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.strata.api.labels.Labels;
import java.io.IOException;
import java.util.Arrays;

/**
 * Decodes remote-write protobuf bodies (1.0 {@code prometheus.WriteRequest}, the Thanos
 * {@code thanos.WriteRequest} peers forward, and 2.0 {@code io.prometheus.write.v2.Request}) straight
 * from bytes into a {@link WriteBatch}, without message objects: one {@link Labels} per series,
 * samples into primitive arrays. Labels are validated as the batch is filled: an empty label set, an
 * empty or duplicate label name and over-long names or values refuse the request with 400 naming the
 * series; unsorted labels are sorted and labels with empty values dropped. Not thread-safe: one
 * decoder per thread.
 */
public final class RemoteWriteDecoder {
    private static final int TAG_LEN_1 = 10; // field 1, wire type 2
    private static final int TAG_LEN_2 = 18; // field 2, wire type 2
    private static final int TAG_LEN_3 = 26; // field 3, wire type 2
    private static final int TAG_LEN_4 = 34; // field 4, wire type 2
    private static final int TAG_LEN_5 = 42; // field 5, wire type 2
    private static final int TAG_FIXED64_1 = 9; // field 1, wire type 1
    private static final int TAG_VARINT_1 = 8; // field 1, wire type 0
    private static final int TAG_VARINT_2 = 16; // field 2, wire type 0
    private static final int TAG_VARINT_3 = 24; // field 3, wire type 0

    private final int maxNameLength;
    private final int maxValueLength;
    private String[] pairs = new String[32];
    private int pairCount;
    private String[] symbols = new String[256];
    private int symbolCount;

    /**
     * @param maxNameLength  longest label name accepted, in characters
     * @param maxValueLength longest label value accepted, in characters
     */
    public RemoteWriteDecoder(int maxNameLength, int maxValueLength) {
        if (maxNameLength <= 0 || maxValueLength <= 0) {
            throw new IllegalArgumentException("label length limits must be positive, got " + maxNameLength + " and " + maxValueLength);
        }
        this.maxNameLength = maxNameLength;
        this.maxValueLength = maxValueLength;
    }

    /**
     * Decodes a remote write 1.0 {@code WriteRequest}, or a Thanos {@code WriteRequest} (the same
     * timeseries field plus tenant and replica), into {@code out} (cleared first).
     */
    public void decodeV1(byte[] buf, int offset, int length, WriteBatch out) throws RemoteWriteException {
        out.clear();
        CodedInputStream in = CodedInputStream.newInstance(buf, offset, length);
        in.setSizeLimit(Integer.MAX_VALUE);
        try {
            int tag;
            while ((tag = in.readTag()) != 0) {
                if (tag == TAG_LEN_1) {
                    int limit = in.pushLimit(in.readRawVarint32());
                    readSeriesV1(in, out);
                    in.popLimit(limit);
                } else if (tag == TAG_LEN_2) {
                    out.tenant(in.readStringRequireUtf8());
                } else if (tag == TAG_VARINT_3) {
                    out.replica(in.readInt64());
                } else if (tag == TAG_LEN_3) {
                    out.countMetadata();
                    in.skipField(tag);
                } else {
                    in.skipField(tag);
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new RemoteWriteException(400, "decoding protobuf WriteRequest: " + e.getMessage());
        } catch (IOException e) {
            throw new RemoteWriteException(400, "decoding protobuf WriteRequest: " + e);
        }
    }

    private void readSeriesV1(CodedInputStream in, WriteBatch out) throws IOException, RemoteWriteException {
        pairCount = 0;
        out.addSeries(Labels.EMPTY);
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == TAG_LEN_1) {
                int limit = in.pushLimit(in.readRawVarint32());
                String name = "";
                String value = "";
                int t;
                while ((t = in.readTag()) != 0) {
                    if (t == TAG_LEN_1) {
                        name = in.readStringRequireUtf8();
                    } else if (t == TAG_LEN_2) {
                        value = in.readStringRequireUtf8();
                    } else {
                        in.skipField(t);
                    }
                }
                in.popLimit(limit);
                addPair(name, value);
            } else if (tag == TAG_LEN_2) {
                int limit = in.pushLimit(in.readRawVarint32());
                readSample(in, out);
                in.popLimit(limit);
            } else if (tag == TAG_LEN_3) {
                out.countExemplar();
                in.skipField(tag);
            } else if (tag == TAG_LEN_4) {
                out.countHistogram();
                in.skipField(tag);
            } else {
                in.skipField(tag);
            }
        }
        out.setLastLabels(finishLabels());
    }

    private static void readSample(CodedInputStream in, WriteBatch out) throws IOException {
        double v = 0;
        long ts = 0;
        int t;
        while ((t = in.readTag()) != 0) {
            if (t == TAG_FIXED64_1) {
                v = in.readDouble();
            } else if (t == TAG_VARINT_2) {
                ts = in.readInt64();
            } else {
                in.skipField(t);
            }
        }
        out.addSample(ts, v);
    }

    /** Decodes a remote write 2.0 {@code io.prometheus.write.v2.Request} into {@code out} (cleared first). */
    public void decodeV2(byte[] buf, int offset, int length, WriteBatch out) throws RemoteWriteException {
        out.clear();
        try {
            // Symbols first: the message may list them after the series.
            symbolCount = 0;
            CodedInputStream in = CodedInputStream.newInstance(buf, offset, length);
            in.setSizeLimit(Integer.MAX_VALUE);
            int tag;
            while ((tag = in.readTag()) != 0) {
                if (tag == TAG_LEN_4) {
                    if (symbolCount == symbols.length) {
                        symbols = Arrays.copyOf(symbols, symbolCount * 2);
                    }
                    symbols[symbolCount++] = in.readStringRequireUtf8();
                } else {
                    in.skipField(tag);
                }
            }
            if (symbolCount > 0 && !symbols[0].isEmpty()) {
                throw new RemoteWriteException(400, "symbols[0] must be the empty string, got \"" + symbols[0] + "\"");
            }
            in = CodedInputStream.newInstance(buf, offset, length);
            in.setSizeLimit(Integer.MAX_VALUE);
            while ((tag = in.readTag()) != 0) {
                if (tag == TAG_LEN_5) {
                    int limit = in.pushLimit(in.readRawVarint32());
                    readSeriesV2(in, out);
                    in.popLimit(limit);
                } else {
                    in.skipField(tag);
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw new RemoteWriteException(400, "decoding protobuf io.prometheus.write.v2.Request: " + e.getMessage());
        } catch (IOException e) {
            throw new RemoteWriteException(400, "decoding protobuf io.prometheus.write.v2.Request: " + e);
        } finally {
            Arrays.fill(symbols, 0, symbolCount, null);
        }
    }

    private void readSeriesV2(CodedInputStream in, WriteBatch out) throws IOException, RemoteWriteException {
        pairCount = 0;
        out.addSeries(Labels.EMPTY);
        int refs = 0;
        String name = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == TAG_LEN_1) {
                int limit = in.pushLimit(in.readRawVarint32());
                while (in.getBytesUntilLimit() > 0) {
                    String s = symbol(in.readRawVarint32());
                    if ((refs++ & 1) == 0) {
                        name = s;
                    } else {
                        addPair(name, s);
                    }
                }
                in.popLimit(limit);
            } else if (tag == TAG_VARINT_1) {
                String s = symbol(in.readRawVarint32());
                if ((refs++ & 1) == 0) {
                    name = s;
                } else {
                    addPair(name, s);
                }
            } else if (tag == TAG_LEN_2) {
                int limit = in.pushLimit(in.readRawVarint32());
                readSample(in, out);
                in.popLimit(limit);
            } else if (tag == TAG_LEN_3) {
                out.countHistogram();
                in.skipField(tag);
            } else if (tag == TAG_LEN_4) {
                out.countExemplar();
                in.skipField(tag);
            } else if (tag == TAG_LEN_5) {
                out.countMetadata();
                in.skipField(tag);
            } else {
                in.skipField(tag);
            }
        }
        if ((refs & 1) != 0) {
            throw new RemoteWriteException(400, "series has an odd number of label references (" + refs + ")");
        }
        out.setLastLabels(finishLabels());
    }

    private String symbol(int ref) throws RemoteWriteException {
        if (ref < 0 || ref >= symbolCount) {
            throw new RemoteWriteException(400, "label reference " + (ref & 0xffffffffL) + " outside the symbol table of " + symbolCount);
        }
        return symbols[ref];
    }

    private void addPair(String name, String value) {
        if (pairCount + 2 > pairs.length) {
            pairs = Arrays.copyOf(pairs, pairs.length * 2);
        }
        pairs[pairCount++] = name;
        pairs[pairCount++] = value;
    }

    /** Validates, sorts and compacts the pairs read for one series into its labels. */
    private Labels finishLabels() throws RemoteWriteException {
        boolean sorted = true;
        int kept = 0;
        for (int i = 0; i < pairCount; i += 2) {
            String name = pairs[i];
            String value = pairs[i + 1];
            if (name.isEmpty()) {
                throw new RemoteWriteException(400, "empty label name in series " + describe());
            }
            if (name.length() > maxNameLength) {
                throw new RemoteWriteException(400, "label name longer than " + maxNameLength + " characters in series " + describe());
            }
            if (value.length() > maxValueLength) {
                throw new RemoteWriteException(400, "value of label " + abbreviate(name) + " longer than " + maxValueLength
                        + " characters in series " + describe());
            }
            if (i > 0 && Labels.compareUtf8(pairs[i - 2], name) >= 0) {
                sorted = false;
            }
        }
        if (!sorted) {
            sortPairs();
        }
        for (int i = 0; i < pairCount; i += 2) {
            if (i > 0 && pairs[i - 2].equals(pairs[i])) {
                throw new RemoteWriteException(400, "duplicate label name " + abbreviate(pairs[i]) + " in series " + describe());
            }
        }
        for (int i = 0; i < pairCount; i += 2) {
            if (!pairs[i + 1].isEmpty()) {
                kept += 2;
            }
        }
        if (kept == 0) {
            throw new RemoteWriteException(400, "empty label set in series " + describe());
        }
        String[] out = new String[kept];
        int j = 0;
        for (int i = 0; i < pairCount; i += 2) {
            if (!pairs[i + 1].isEmpty()) {
                out[j++] = pairs[i];
                out[j++] = pairs[i + 1];
            }
        }
        Arrays.fill(pairs, 0, pairCount, null);
        pairCount = 0;
        return Labels.wrapSorted(out);
    }

    private void sortPairs() {
        for (int i = 2; i < pairCount; i += 2) {
            String n = pairs[i];
            String v = pairs[i + 1];
            int j = i - 2;
            while (j >= 0 && Labels.compareUtf8(pairs[j], n) > 0) {
                pairs[j + 2] = pairs[j];
                pairs[j + 3] = pairs[j + 1];
                j -= 2;
            }
            pairs[j + 2] = n;
            pairs[j + 3] = v;
        }
    }

    private String describe() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < pairCount; i += 2) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(abbreviate(pairs[i])).append('=');
            Labels.quote(sb, abbreviate(pairs[i + 1]));
        }
        return sb.append('}').toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 128 ? s : s.substring(0, 128) + "...(" + s.length() + " characters)";
    }
}
