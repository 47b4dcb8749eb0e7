package io.strata.plugin.discovery.internal;

import io.strata.plugin.discovery.DnsResolver;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns endpoints into addresses: a plain {@code host:port} as it is, a DNS endpoint through a
 * {@link DnsResolver}. When a lookup fails the endpoint keeps the addresses of its last successful
 * lookup (none before the first), and the failure is logged.
 */
public final class EndpointResolver {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointResolver.class);

    private final DnsResolver dns;
    private final String owner;
    private final Map<String, List<String>> lastGood = new HashMap<>();

    /**
     * @param dns the resolver for DNS endpoints
     * @param owner the discovery this resolver works for, named in log messages
     */
    public EndpointResolver(DnsResolver dns, String owner) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /** The addresses of all endpoints, in endpoint order, possibly with duplicates. */
    public synchronized List<String> resolve(Collection<Endpoint> endpoints) {
        Set<String> out = new LinkedHashSet<>();
        Map<String, List<String>> current = new HashMap<>();
        for (Endpoint endpoint : endpoints) {
            if (!endpoint.needsLookup()) {
                out.add(Endpoint.address(endpoint.host(), endpoint.port()));
                continue;
            }
            List<String> addresses = current.get(endpoint.text());
            if (addresses == null) {
                try {
                    addresses = lookup(endpoint);
                } catch (IOException | RuntimeException failed) {
                    addresses = lastGood.getOrDefault(endpoint.text(), List.of());
                    LOG.warn("discovery {}: looking up {} failed, keeping its last good {} address(es): {}",
                            owner, endpoint, addresses.size(), failed.toString());
                }
                current.put(endpoint.text(), addresses);
            }
            out.addAll(addresses);
        }
        // endpoints no longer listed (a file SD file changed) are forgotten
        lastGood.clear();
        lastGood.putAll(current);
        return List.copyOf(out);
    }

    private List<String> lookup(Endpoint endpoint) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        switch (endpoint.lookup()) {
            case ADDRESS -> {
                for (String ip : dns.lookupAddresses(endpoint.host())) {
                    out.add(Endpoint.address(ip, endpoint.port()));
                }
            }
            case SRV, SRV_NO_ADDRESS -> {
                for (DnsResolver.SrvRecord record : dns.lookupSrv(endpoint.host())) {
                    int port = endpoint.port() == Endpoint.NO_PORT ? record.port() : endpoint.port();
                    if (endpoint.lookup() == Endpoint.Lookup.SRV_NO_ADDRESS) {
                        out.add(Endpoint.address(record.target(), port));
                        continue;
                    }
                    for (String ip : dns.lookupAddresses(record.target())) {
                        out.add(Endpoint.address(ip, port));
                    }
                }
            }
            case NONE -> out.add(Endpoint.address(endpoint.host(), endpoint.port()));
            default -> throw new IllegalStateException("unknown lookup " + endpoint.lookup());
        }
        return List.copyOf(out);
    }
}
