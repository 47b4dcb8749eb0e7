package io.strata.plugin.receive.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.strata.api.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class Xxhash64Test {
    private static long h(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return Xxhash64.hash(b, 0, b.length);
    }

    @Test
    void knownVectors() {
        assertEquals(0xEF46DB3751D8E999L, h(""));
        assertEquals(0xD24EC4F1A98C6E5BL, h("a"));
        assertEquals(0x44BC2CF5AD770999L, h("abc"));
        assertEquals(0xFBCEA83C8A378BF1L, h("Nobody inspects the spammish repetition"));
    }

    @Test
    void hashesARangeOnly() {
        byte[] b = "xxabcyy".getBytes(StandardCharsets.UTF_8);
        assertEquals(h("abc"), Xxhash64.hash(b, 2, 3));
    }

    @Test
    void seriesKeyIsTenantThenNameValuePairsSeparatedBy0xFF() {
        Labels l = Labels.of("__name__", "up", "job", "node");
        byte[] expected = "t\u00ff__name__\u00ffup\u00ffjob\u00ffnode\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(Xxhash64.hash(expected, 0, expected.length), Hashring.seriesKey("t", l, new Hashring.KeyBuffer()));
        assertNotEquals(Hashring.seriesKey("t", l, new Hashring.KeyBuffer()), Hashring.seriesKey("u", l, new Hashring.KeyBuffer()));
    }

    @Test
    void hashmodPlacesReplicaNOnTheNextEndpoints() {
        List<Hashring.Endpoint> eps = List.of(new Hashring.Endpoint("a:1", ""), new Hashring.Endpoint("b:1", ""), new Hashring.Endpoint("c:1", ""));
        Hashring ring = new Hashring("r", List.of(), false, Hashring.Algorithm.HASHMOD, eps, 2);
        long key = Hashring.seriesKey("t", Labels.of("__name__", "up"), new Hashring.KeyBuffer());
        int first = (int) Long.remainderUnsigned(key, 3);
        assertEquals(eps.get(first), ring.endpoint(key, 0));
        assertEquals(eps.get((int) Long.remainderUnsigned(key + 1, 3)), ring.endpoint(key, 1));
    }

    @Test
    void ketamaGivesDistinctEndpointsPerReplica() {
        List<Hashring.Endpoint> eps = List.of(new Hashring.Endpoint("a:1", ""), new Hashring.Endpoint("b:1", ""), new Hashring.Endpoint("c:1", ""));
        Hashring ring = new Hashring("r", List.of(), false, Hashring.Algorithm.KETAMA, eps, 3);
        Hashring.KeyBuffer kb = new Hashring.KeyBuffer();
        for (int i = 0; i < 200; i++) {
            long key = Hashring.seriesKey("t", Labels.of("__name__", "m" + i), kb);
            assertEquals(3, java.util.Set.of(ring.endpoint(key, 0), ring.endpoint(key, 1), ring.endpoint(key, 2)).size());
        }
    }

    @Test
    void writeQuorumAsThanos() {
        assertEquals(1, HashringRouter.writeQuorum(1));
        assertEquals(1, HashringRouter.writeQuorum(2));
        assertEquals(2, HashringRouter.writeQuorum(3));
        assertEquals(3, HashringRouter.writeQuorum(4));
        assertEquals(3, HashringRouter.writeQuorum(5));
    }

    @Test
    void hashringFileParsesStringsObjectsAndRejectsGarbage() {
        List<Hashring> rings = HashringConfig.parse("[{\"hashring\":\"a\",\"tenants\":[\"x\"],\"endpoints\":[\"h1:1\",{\"address\":\"h2:1\",\"az\":\"z\"}]},"
                + "{\"hashring\":\"b\",\"algorithm\":\"ketama\",\"endpoints\":[\"h3:1\"],\"external_labels\":{\"k\":\"v\"}}]", Hashring.Algorithm.HASHMOD, 1);
        assertEquals(2, rings.size());
        assertEquals(List.of("h1:1", "h2:1"), rings.get(0).addresses());
        assertEquals("z", rings.get(0).endpoints().get(1).az());
        assertEquals(Hashring.Algorithm.KETAMA, rings.get(1).algorithm());
        assertEquals(true, rings.get(0).matches("x"));
        assertEquals(false, rings.get(0).matches("y"));
        assertEquals(true, rings.get(1).matches("y"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> HashringConfig.parse("[{\"endpoints\":[", Hashring.Algorithm.HASHMOD, 1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> HashringConfig.parse("[{\"endpoints\":[]}]", Hashring.Algorithm.HASHMOD, 1));
    }
}
