package io.strata.plugin.discovery.internal;

import io.strata.plugin.discovery.DnsResolver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.strata.plugin.discovery.DnsResolver.SrvRecord;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsDiscoveryTest {
    private static final Duration LONG = Duration.ofHours(1);

    private static EndpointsDiscovery discovery(FakeDnsResolver dns, Duration interval, String... names) {
        List<Endpoint> endpoints = java.util.Arrays.stream(names).map(Endpoint::parse).toList();
        return new EndpointsDiscovery("test", endpoints, new EndpointResolver(dns, "test"), interval);
    }

    @Test
    void resolvesAddressRecordsKeepingThePort() throws Exception {
        FakeDnsResolver dns = new FakeDnsResolver().address("store", "10.0.0.2", "10.0.0.1", "2001:db8::1");
        Recorder recorder = new Recorder();
        try (EndpointsDiscovery d = discovery(dns, LONG, "dns+store:10901", "10.0.0.1:10901")) {
            d.start(recorder);
            assertEquals(List.of(List.of("10.0.0.1:10901", "10.0.0.2:10901", "[2001:db8::1]:10901")), recorder.calls());
        }
    }

    @Test
    void resolvesSrvRecordsThenTheirTargets() throws Exception {
        FakeDnsResolver dns = new FakeDnsResolver()
                .srv("_grpc._tcp.store", new SrvRecord("store-0.store", 10901), new SrvRecord("store-1.store", 10902))
                .address("store-0.store", "10.0.0.10")
                .address("store-1.store", "10.0.0.11", "10.0.0.12");
        Recorder recorder = new Recorder();
        try (EndpointsDiscovery d = discovery(dns, LONG, "dnssrv+_grpc._tcp.store")) {
            d.start(recorder);
            assertEquals(List.of("10.0.0.10:10901", "10.0.0.11:10902", "10.0.0.12:10902"), recorder.last());
        }
        Recorder noA = new Recorder();
        try (EndpointsDiscovery d = discovery(dns, LONG, "dnssrvnoa+_grpc._tcp.store")) {
            d.start(noA);
            assertEquals(List.of("store-0.store:10901", "store-1.store:10902"), noA.last());
        }
        Recorder overridden = new Recorder();
        try (EndpointsDiscovery d = discovery(dns, LONG, "dnssrv+_grpc._tcp.store:19000")) {
            d.start(overridden);
            assertEquals(List.of("10.0.0.10:19000", "10.0.0.11:19000", "10.0.0.12:19000"), overridden.last());
        }
    }

    @Test
    void failedLookupKeepsTheLastGoodAddresses() throws Exception {
        FakeDnsResolver dns = new FakeDnsResolver().address("store", "10.0.0.1").address("other", "10.0.0.9");
        Recorder recorder = new Recorder();
        try (EndpointsDiscovery d = discovery(dns, LONG, "dns+store:10901", "dns+other:10901")) {
            d.start(recorder);
            assertEquals(List.of("10.0.0.1:10901", "10.0.0.9:10901"), recorder.last());

            dns.fail("store", "SERVFAIL").address("other", "10.0.0.8");
            assertTrue(d.refresh());
            assertEquals(List.of("10.0.0.1:10901", "10.0.0.8:10901"), recorder.last());

            dns.address("store", "10.0.0.3");
            assertTrue(d.refresh());
            assertEquals(List.of("10.0.0.3:10901", "10.0.0.8:10901"), recorder.last());
            assertEquals(3, recorder.calls().size());
        }
    }

    @Test
    void nameThatNeverResolvedHasNoAddresses() throws Exception {
        FakeDnsResolver dns = new FakeDnsResolver().fail("_grpc._tcp.store", "timeout");
        Recorder recorder = new Recorder();
        try (EndpointsDiscovery d = discovery(dns, LONG, "dnssrv+_grpc._tcp.store", "static:1")) {
            d.start(recorder);
            assertEquals(List.of(List.of("static:1")), recorder.calls());
        }
    }

    @Test
    void listenerHearsOnlyOfChanges() throws Exception {
        FakeDnsResolver dns = new FakeDnsResolver().address("store", "10.0.0.1", "10.0.0.2");
        Recorder recorder = new Recorder();
        try (EndpointsDiscovery d = discovery(dns, LONG, "dns+store:10901", "dns+store:10901")) {
            d.start(recorder);
            assertFalse(d.refresh());
            dns.address("store", "10.0.0.2", "10.0.0.1");
            assertFalse(d.refresh(), "the same addresses in another order are no change");
            dns.address("store", "10.0.0.2");
            assertTrue(d.refresh());
            assertEquals(List.of(List.of("10.0.0.1:10901", "10.0.0.2:10901"), List.of("10.0.0.2:10901")), recorder.calls());
        }
    }

    @Test
    void reResolvesOnTheIntervalAndNotifiesOncePerChange() throws Exception {
        FakeDnsResolver dns = new FakeDnsResolver().address("store", "10.0.0.1");
        Recorder recorder = new Recorder();
        EndpointsDiscovery d = discovery(dns, Duration.ofMillis(10), "dns+store:10901");
        try (d) {
            d.start(recorder);
            Thread thread = d.thread();
            assertTrue(thread.isDaemon());
            assertEquals("strata-discovery-test", thread.getName());

            dns.address("store", "10.0.0.2", "10.0.0.1");
            recorder.awaitLast(List.of("10.0.0.1:10901", "10.0.0.2:10901"));
            int lookups = dns.lookups();
            Recorder.await("five more lookups", () -> dns.lookups() >= lookups + 5);
            assertEquals(2, recorder.calls().size(), () -> "calls: " + recorder.calls());
        }
        Recorder.await("the thread to stop after close()", () -> !d.thread().isAlive());
    }

    @Test
    void plainListNeedsNoThread() throws Exception {
        Recorder recorder = new Recorder();
        try (EndpointsDiscovery d = discovery(new FakeDnsResolver(), LONG, "b:2", "a:1", "b:2")) {
            d.start(recorder);
            assertNull(d.thread());
            assertEquals(List.of(List.of("a:1", "b:2")), recorder.calls());
        }
    }

    @Test
    void resolvesLocalhostForReal() throws Exception {
        Recorder recorder = new Recorder();
        List<Endpoint> endpoints = List.of(Endpoint.parse("dns+localhost:10901"));
        try (EndpointsDiscovery d = new EndpointsDiscovery("localhost", endpoints,
                new EndpointResolver(new SystemDnsResolver(), "localhost"), LONG)) {
            d.start(recorder);
            List<String> found = recorder.last();
            assertFalse(found.isEmpty(), "localhost resolved to nothing");
            for (String address : found) {
                assertTrue(address.matches("127\\.\\d+\\.\\d+\\.\\d+:10901|\\[(0:0:0:0:0:0:0:1|::1)]:10901"), address);
            }
        }
    }

    @Test
    void parsesJndiSrvText() throws Exception {
        assertEquals(new SrvRecord("store-0.store.svc", 10901), SystemDnsResolver.parseSrv("x", "0 50 10901 store-0.store.svc."));
        assertNull(SystemDnsResolver.parseSrv("x", "0 0 0 ."));
        assertThrowsIo(() -> SystemDnsResolver.parseSrv("x", "garbage"));
        assertThrowsIo(() -> SystemDnsResolver.parseSrv("x", "0 0 port target."));
    }

    private static void assertThrowsIo(org.junit.jupiter.api.function.Executable body) {
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, body);
    }
}
