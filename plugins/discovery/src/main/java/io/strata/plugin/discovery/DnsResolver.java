package io.strata.plugin.discovery;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/** The DNS lookups discovery needs; {@link io.strata.plugin.discovery.internal.SystemDnsResolver} asks the system, tests use a fake. */
public interface DnsResolver {
    /**
     * The A and AAAA records of a host, as IP literals (an IPv6 address without brackets). An IP
     * literal resolves to itself.
     *
     * @throws IOException when the lookup fails (including an unknown name)
     */
    List<String> lookupAddresses(String host) throws IOException;

    /**
     * The SRV records of a name such as {@code _grpc._tcp.store.example.org}.
     *
     * @throws IOException when the lookup fails (including an unknown name)
     */
    List<SrvRecord> lookupSrv(String name) throws IOException;

    /**
     * One SRV record.
     *
     * @param target the target host name, without a trailing dot
     * @param port the port the service listens on
     */
    record SrvRecord(String target, int port) {
        public SrvRecord {
            Objects.requireNonNull(target, "target");
            if (target.isEmpty()) {
                throw new IllegalArgumentException("empty SRV target");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("SRV port out of range: " + port);
            }
        }
    }
}
