package io.strata.plugin.storeapi.internal;

import io.strata.api.labels.Labels;
import io.strata.api.labels.MatchType;
import io.strata.api.labels.Matcher;
import io.strata.api.storage.ChunkIterator;
import io.strata.proto.thanos.store.Chunk;
import io.strata.proto.thanos.store.Label;
import io.strata.proto.thanos.store.LabelMatcher;
import java.util.List;

/** Conversions between the api types and the Thanos wire messages. */
public final class ProtoConversions {
    private ProtoConversions() {
    }

    /**
     * The Thanos chunk encoding of a Prometheus chunkenc encoding: Thanos counts from 0 (XOR=0),
     * Prometheus from 1 (XOR=1). Returns -1 for an encoding Thanos has no number for.
     */
    public static int thanosEncoding(int prometheusEncoding) {
        return switch (prometheusEncoding) {
            case ChunkIterator.ENCODING_XOR -> Chunk.Encoding.XOR_VALUE;
            case ChunkIterator.ENCODING_HISTOGRAM -> Chunk.Encoding.HISTOGRAM_VALUE;
            case ChunkIterator.ENCODING_FLOAT_HISTOGRAM -> Chunk.Encoding.FLOAT_HISTOGRAM_VALUE;
            default -> -1;
        };
    }

    /** The Prometheus chunkenc encoding of a Thanos chunk encoding number; -1 when unknown. */
    public static int prometheusEncoding(int thanosEncoding) {
        return switch (thanosEncoding) {
            case Chunk.Encoding.XOR_VALUE -> ChunkIterator.ENCODING_XOR;
            case Chunk.Encoding.HISTOGRAM_VALUE -> ChunkIterator.ENCODING_HISTOGRAM;
            case Chunk.Encoding.FLOAT_HISTOGRAM_VALUE -> ChunkIterator.ENCODING_FLOAT_HISTOGRAM;
            default -> -1;
        };
    }

    /**
     * Matchers from the wire. A regular expression that does not compile, an unknown type or an
     * empty name throws {@link IllegalArgumentException} naming the matcher.
     */
    public static Matcher[] matchers(List<LabelMatcher> in) {
        Matcher[] out = new Matcher[in.size()];
        for (int i = 0; i < out.length; i++) {
            LabelMatcher m = in.get(i);
            MatchType type = switch (m.getType()) {
                case EQ -> MatchType.EQUAL;
                case NEQ -> MatchType.NOT_EQUAL;
                case RE -> MatchType.REGEX;
                case NRE -> MatchType.NOT_REGEX;
                default -> throw new IllegalArgumentException("matcher " + m.getName() + ": unknown matcher type " + m.getTypeValue());
            };
            if (m.getName().isEmpty()) {
                throw new IllegalArgumentException("matcher " + type.operator() + "\"" + m.getValue() + "\": the label name is empty");
            }
            try {
                out[i] = Matcher.of(type, m.getName(), m.getValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("matcher " + m.getName() + type.operator() + "\"" + m.getValue() + "\": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Matchers to the wire. */
    public static LabelMatcher matcher(Matcher m) {
        LabelMatcher.Type type = switch (m.type()) {
            case EQUAL -> LabelMatcher.Type.EQ;
            case NOT_EQUAL -> LabelMatcher.Type.NEQ;
            case REGEX -> LabelMatcher.Type.RE;
            case NOT_REGEX -> LabelMatcher.Type.NRE;
        };
        return LabelMatcher.newBuilder().setType(type).setName(m.name()).setValue(m.value()).build();
    }

    /** Labels from the wire; they are sorted and de-duplicated on the way in. */
    public static Labels labels(List<Label> in) {
        String[] pairs = new String[in.size() * 2];
        for (int i = 0; i < in.size(); i++) {
            pairs[2 * i] = in.get(i).getName();
            pairs[2 * i + 1] = in.get(i).getValue();
        }
        return labels(pairs);
    }

    /**
     * Labels from alternating names and values as received: wrapped as they are when sorted and free of
     * empty names, empty values and duplicates (the usual case), else sorted and cleaned.
     */
    public static Labels labels(String[] pairs) {
        boolean clean = true;
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].isEmpty() || pairs[i + 1].isEmpty() || i > 0 && Labels.compareUtf8(pairs[i - 2], pairs[i]) >= 0) {
                clean = false;
                break;
            }
        }
        if (clean) {
            return Labels.wrapSorted(pairs);
        }
        Labels.Builder b = new Labels.Builder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (!pairs[i].isEmpty()) {
                b.set(pairs[i], pairs[i + 1]);
            }
        }
        return b.build();
    }

    /** Labels to the wire, in their sorted order. */
    public static void addLabels(Labels labels, java.util.function.Consumer<Label> sink) {
        for (int i = 0; i < labels.size(); i++) {
            sink.accept(Label.newBuilder().setName(labels.name(i)).setValue(labels.value(i)).build());
        }
    }
}
