package io.strata.plugin.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockBufferTest {
    @Test
    void holdsWhatWasWrittenAcrossBlocks() throws Exception {
        BlockBuffer b = new BlockBuffer();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Random r = new Random(3);
        for (int i = 0; i < 2000; i++) {
            byte[] chunk = new byte[r.nextInt(i % 100 == 0 ? 300_000 : 200)];
            r.nextBytes(chunk);
            int off = chunk.length == 0 ? 0 : r.nextInt(chunk.length);
            b.write(chunk, off, chunk.length - off);
            expected.write(chunk, off, chunk.length - off);
            b.write(i);
            expected.write(i);
        }
        assertEquals(expected.size(), b.size());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        b.writeTo(out);
        assertArrayEquals(expected.toByteArray(), out.toByteArray());
        b.reset();
        b.write(new byte[] {1, 2, 3}, 0, 3);
        out.reset();
        b.writeTo(out);
        assertArrayEquals(new byte[] {1, 2, 3}, out.toByteArray());
        assertEquals(3, b.size());
    }
}
