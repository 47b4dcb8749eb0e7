package io.strata.plugin.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.plugin.discovery.internal.Endpoint.Lookup;
import org.junit.jupiter.api.Test;

class EndpointTest {
    @Test
    void parsesPlainAddresses() {
        Endpoint e = Endpoint.parse("store-1.example.org:10901");
        assertEquals(Lookup.NONE, e.lookup());
        assertEquals("store-1.example.org", e.host());
        assertEquals(10901, e.port());
        assertFalse(e.needsLookup());
        assertEquals("10.0.0.1", Endpoint.parse("10.0.0.1:9090").host());
        Endpoint v6 = Endpoint.parse("[2001:db8::1]:10901");
        assertEquals("2001:db8::1", v6.host());
        assertEquals("[2001:db8::1]:10901", Endpoint.address(v6.host(), v6.port()));
    }

    @Test
    void parsesDnsPrefixes() {
        Endpoint a = Endpoint.parse("dns+store:10901");
        assertEquals(Lookup.ADDRESS, a.lookup());
        assertEquals("store", a.host());
        assertEquals(10901, a.port());
        assertTrue(a.needsLookup());

        Endpoint srv = Endpoint.parse("dnssrv+_grpc._tcp.store.monitoring.svc");
        assertEquals(Lookup.SRV, srv.lookup());
        assertEquals("_grpc._tcp.store.monitoring.svc", srv.host());
        assertEquals(Endpoint.NO_PORT, srv.port());

        Endpoint srvWithPort = Endpoint.parse("dnssrv+_grpc._tcp.store:19000");
        assertEquals(19000, srvWithPort.port());

        Endpoint noA = Endpoint.parse("dnssrvnoa+_grpc._tcp.store");
        assertEquals(Lookup.SRV_NO_ADDRESS, noA.lookup());
        assertEquals("_grpc._tcp.store", noA.host());
    }

    @Test
    void rejectsWhatIsNotHostAndPort() {
        assertMessage("store", "port is missing");
        assertMessage("dns+store", "port is missing");
        assertMessage("store:", "is not a port");
        assertMessage("store:http", "\"http\" is not a port");
        assertMessage("store:70000", "out of range");
        assertMessage("store:0", "out of range");
        assertMessage(":10901", "host is empty");
        assertMessage("2001:db8::1:10901", "IPv6 address needs brackets");
        assertMessage("[not-v6]:1", "is not an IPv6 address");
        assertMessage("st ore:1", "is not a host name");
        assertMessage("a..b:1", "is not a host name");
        assertMessage("dnsa+store:10901", "unknown prefix \"dnsa+\"");
        assertMessage("http://store:10901", "without a scheme");
    }

    private static void assertMessage(String text, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Endpoint.parse(text));
        assertTrue(e.getMessage().contains(expected), () -> text + ": " + e.getMessage());
    }
}
