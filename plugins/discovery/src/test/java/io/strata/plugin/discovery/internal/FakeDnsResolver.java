package io.strata.plugin.discovery.internal;

import io.strata.plugin.discovery.DnsResolver;
import java.io.IOException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A resolver answering from maps the test fills; a name that is in neither map fails like an unknown host. */
public final class FakeDnsResolver implements DnsResolver {
    private final Map<String, List<String>> addresses = new ConcurrentHashMap<>();
    private final Map<String, List<SrvRecord>> srv = new ConcurrentHashMap<>();
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();

    public FakeDnsResolver address(String host, String... ips) {
        addresses.put(host, List.of(ips));
        failures.remove(host);
        return this;
    }

    public FakeDnsResolver srv(String name, SrvRecord... records) {
        srv.put(name, List.of(records));
        failures.remove(name);
        return this;
    }

    /** Makes every lookup of {@code name} fail with {@code message} until it is given an answer again. */
    public FakeDnsResolver fail(String name, String message) {
        failures.put(name, message);
        return this;
    }

    public int lookups() {
        return lookups.get();
    }

    @Override
    public List<String> lookupAddresses(String host) throws IOException {
        lookups.incrementAndGet();
        String failure = failures.get(host);
        if (failure != null) {
            throw new IOException(failure);
        }
        List<String> found = addresses.get(host);
        if (found == null) {
            throw new UnknownHostException(host);
        }
        return found;
    }

    @Override
    public List<SrvRecord> lookupSrv(String name) throws IOException {
        lookups.incrementAndGet();
        String failure = failures.get(name);
        if (failure != null) {
            throw new IOException(failure);
        }
        List<SrvRecord> found = srv.get(name);
        if (found == null) {
            throw new UnknownHostException(name);
        }
        return found;
    }
}
