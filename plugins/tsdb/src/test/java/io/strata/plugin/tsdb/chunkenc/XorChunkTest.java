package io.strata.plugin.tsdb.chunkenc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.api.storage.StaleMarker;
import io.strata.plugin.tsdb.TestData;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class XorChunkTest {

    /** Chunk data of every record in a golden chunk segment, found by scanning the file. */
    static List<byte[]> goldenChunks(String golden) throws Exception {
        byte[] f = Files.readAllBytes(TestData.goldenBlock(golden).resolve("chunks/000001"));
        List<byte[]> out = new ArrayList<>();
        int pos = 8;
        while (pos < f.length) {
            long len = 0;
            int shift = 0;
            while (true) {
                int b = f[pos++] & 0xFF;
                len |= (long) (b & 0x7F) << shift;
                if (b < 0x80) {
                    break;
                }
                shift += 7;
            }
            assertEquals(1, f[pos], "encoding");
            byte[] data = new byte[(int) len];
            System.arraycopy(f, pos + 1, data, 0, data.length);
            out.add(data);
            pos += 1 + (int) len + 4;
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"golden1", "golden2"})
    void reencodingGoldenChunksReproducesTheirBytes(String golden) throws Exception {
        List<byte[]> chunks = goldenChunks(golden);
        assertFalse(chunks.isEmpty());
        XorIterator it = new XorIterator();
        for (byte[] data : chunks) {
            it.reset(ByteBuffer.wrap(data));
            XorChunkBuilder b = new XorChunkBuilder();
            int n = 0;
            while (it.next()) {
                b.append(it.atT(), it.atV());
                n++;
            }
            assertEquals(null, it.err());
            assertEquals(it.numSamples(), n);
            assertArrayEquals(data, b.toByteArray());
        }
    }

    @Test
    void golden1FirstChunkDecodes() throws Exception {
        byte[] data = goldenChunks("golden1").get(0);
        XorIterator it = new XorIterator(ByteBuffer.wrap(data));
        long[] ts = new long[3];
        double[] vs = new double[3];
        int i = 0;
        while (it.next()) {
            ts[i] = it.atT();
            vs[i++] = it.atV();
        }
        assertArrayEquals(new long[]{7200000, 7215000, 7230000}, ts);
        assertArrayEquals(new double[]{1, 2, 3}, vs);
    }

    @Test
    void singleSampleChunkHasTheSurplusByte() {
        XorChunkBuilder b = new XorChunkBuilder();
        b.append(7200000, 12000);
        // 2 header + 4 varint + 8 value + 1 surplus
        assertEquals(15, b.length());
    }

    @Test
    void randomRoundTripKeepsBitsAndStaleMarkers() {
        Random r = new Random(42);
        for (int round = 0; round < 200; round++) {
            int n = 1 + r.nextInt(300);
            long[] ts = new long[n];
            long[] vb = new long[n];
            long t = r.nextLong() >> 20;
            double v = r.nextDouble() * 1000;
            XorChunkBuilder b = new XorChunkBuilder(16);
            for (int i = 0; i < n; i++) {
                t += switch (r.nextInt(5)) {
                    case 0 -> 15000;
                    case 1 -> r.nextInt(20000);
                    case 2 -> r.nextInt(1 << 19);
                    case 3 -> (long) r.nextInt(Integer.MAX_VALUE) * 8;
                    default -> 1;
                };
                int kind = r.nextInt(6);
                double val = switch (kind) {
                    case 0 -> StaleMarker.VALUE;
                    case 1 -> v;
                    case 2 -> v + r.nextInt(10);
                    case 3 -> Double.longBitsToDouble(r.nextLong());
                    case 4 -> Double.NaN;
                    default -> r.nextGaussian();
                };
                ts[i] = t;
                vb[i] = Double.doubleToRawLongBits(val);
                b.append(t, val);
            }
            XorIterator it = new XorIterator(b.bytes());
            for (int i = 0; i < n; i++) {
                assertTrue(it.next(), "sample " + i);
                assertEquals(ts[i], it.atT());
                assertEquals(vb[i], it.atVBits());
            }
            assertFalse(it.next());
            assertEquals(null, it.err());
        }
    }

    @Test
    void seekFindsFirstSampleAtOrAfter() {
        XorChunkBuilder b = new XorChunkBuilder();
        for (int i = 0; i < 100; i++) {
            b.append(i * 10L, i);
        }
        XorIterator it = new XorIterator(b.bytes());
        assertTrue(it.seek(55));
        assertEquals(60, it.atT());
        assertTrue(it.seek(10));
        assertEquals(60, it.atT());
        assertFalse(it.seek(10000));
    }

    @Test
    void truncatedChunkReportsError() {
        XorChunkBuilder b = new XorChunkBuilder();
        for (int i = 0; i < 10; i++) {
            b.append(i * 1000L, i * 1.5);
        }
        byte[] data = b.toByteArray();
        XorIterator it = new XorIterator(ByteBuffer.wrap(data, 0, data.length - 3));
        int n = 0;
        while (it.next()) {
            n++;
        }
        assertTrue(n < 10);
        assertNotNull(it.err());
    }

    @Test
    void reusedIteratorDecodesDirectSlicesAndStillSeesTruncation() {
        XorChunkBuilder big = new XorChunkBuilder();
        for (int i = 0; i < 1000; i++) {
            big.append(i * 1000L, Double.longBitsToDouble(0x7ff0000000000001L + i * 7919L));
        }
        byte[] bigData = big.toByteArray();
        ByteBuffer direct = ByteBuffer.allocateDirect(bigData.length + 5);
        direct.position(5);
        direct.put(bigData);
        direct.position(5);
        XorIterator it = new XorIterator(direct);
        int n = 0;
        while (it.next()) {
            assertEquals(n * 1000L, it.atT());
            assertEquals(0x7ff0000000000001L + n * 7919L, it.atVBits());
            n++;
        }
        assertEquals(null, it.err());
        assertEquals(1000, n);
        assertEquals(5, direct.position(), "reset must not move the caller's position");

        // The same iterator on a short, cut chunk: bytes left over from the long chunk must not be read.
        byte[] cut = java.util.Arrays.copyOf(bigData, 40);
        cut[0] = bigData[0];
        cut[1] = bigData[1];
        it.reset(ByteBuffer.wrap(cut));
        int m = 0;
        while (it.next()) {
            assertEquals(m * 1000L, it.atT());
            m++;
        }
        assertTrue(m > 0 && m < 1000, "decoded " + m);
        assertNotNull(it.err());
    }

    @Test
    void resetToACapacityEncodesLikeAFreshBuilder() {
        XorChunkBuilder reused = new XorChunkBuilder(16);
        for (int i = 0; i < 200; i++) {
            reused.append(i * 15000L, i * 3.25);
        }
        reused.reset(20);
        assertEquals(20, reused.capacity());
        XorChunkBuilder fresh = new XorChunkBuilder();
        for (int i = 0; i < 50; i++) {
            reused.append(1000 + i * 15000L, Math.sqrt(i));
            fresh.append(1000 + i * 15000L, Math.sqrt(i));
        }
        assertArrayEquals(fresh.toByteArray(), reused.toByteArray());
    }
}
