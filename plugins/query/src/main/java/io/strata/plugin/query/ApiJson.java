package io.strata.plugin.query;

import com.fasterxml.jackson.core.JsonGenerator;
import io.strata.api.labels.Labels;
import java.io.IOException;
import java.math.BigDecimal;

/** Prometheus's JSON spellings of timestamps, sample values and label sets. */
final class ApiJson {
    private ApiJson() {
    }

    /** Milliseconds as Prometheus writes them: unix seconds with up to three decimals, as a JSON number. */
    static void timestamp(JsonGenerator g, long millis) throws IOException {
        g.writeNumber(timestampText(millis));
    }

    static String timestampText(long millis) {
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    }

    /** A sample value as Go's strconv.FormatFloat(v, 'f', -1, 64), as a JSON string. */
    static String value(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return Double.doubleToRawLongBits(v) == 0 ? "0" : "-0";
        }
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    static void labels(JsonGenerator g, Labels labels) throws IOException {
        g.writeStartObject();
        for (int i = 0; i < labels.size(); i++) {
            g.writeStringField(labels.name(i), labels.value(i));
        }
        g.writeEndObject();
    }

    /** {@code [t, "v"]}. */
    static void point(JsonGenerator g, long t, double v) throws IOException {
        g.writeStartArray();
        timestamp(g, t);
        g.writeString(value(v));
        g.writeEndArray();
    }
}
