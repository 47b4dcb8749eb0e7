package io.strata.plugin.sidecar.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.proto.prometheus.ChunkedReadResponse;
import io.strata.proto.prometheus.ChunkedSeries;
import io.strata.proto.prometheus.Label;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class ChunkedReadFramesTest {
    private static ChunkedReadResponse message(String name) {
        return ChunkedReadResponse.newBuilder()
                .addChunkedSeries(ChunkedSeries.newBuilder().addLabels(Label.newBuilder().setName("__name__").setValue(name))).build();
    }

    private static void frame(ByteArrayOutputStream out, byte[] message, long crc) {
        long n = message.length;
        while (n >= 0x80) {
            out.write((int) (n & 0x7f) | 0x80);
            n >>>= 7;
        }
        out.write((int) n);
        out.write((int) (crc >>> 24));
        out.write((int) (crc >>> 16));
        out.write((int) (crc >>> 8));
        out.write((int) crc);
        out.writeBytes(message);
    }

    private static long crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return c.getValue();
    }

    @Test
    void readsFramesUntilTheEnd() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] a = message("a").toByteArray();
        byte[] big = message("b".repeat(300)).toByteArray();
        frame(out, a, crc(a));
        frame(out, big, crc(big));
        try (ChunkedReadFrames frames = new ChunkedReadFrames(new ByteArrayInputStream(out.toByteArray()), 1 << 20)) {
            assertEquals(message("a"), frames.next());
            assertEquals(message("b".repeat(300)), frames.next());
            assertNull(frames.next());
        }
    }

    @Test
    void aWrongChecksumATruncatedFrameAndAnOversizedFrameAreErrors() {
        byte[] a = message("a").toByteArray();
        ByteArrayOutputStream bad = new ByteArrayOutputStream();
        frame(bad, a, crc(a) ^ 1);
        IOException e = assertThrows(IOException.class, () -> new ChunkedReadFrames(new ByteArrayInputStream(bad.toByteArray()), 1024).next());
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());

        ByteArrayOutputStream good = new ByteArrayOutputStream();
        frame(good, a, crc(a));
        byte[] truncated = java.util.Arrays.copyOf(good.toByteArray(), good.size() - 1);
        assertThrows(IOException.class, () -> new ChunkedReadFrames(new ByteArrayInputStream(truncated), 1024).next());
        assertThrows(IOException.class, () -> new ChunkedReadFrames(new ByteArrayInputStream(good.toByteArray()), 2).next());
    }
}
