package io.strata.plugin.discovery.internal;

import java.util.Objects;

/**
 * One configured endpoint: a plain {@code host:port}, or a name to look up in DNS, written with
 * the prefixes Thanos uses: {@code dns+host:port} (A/AAAA records, the port kept),
 * {@code dnssrv+_service._tcp.name} (SRV records, then the A/AAAA records of each target, with the
 * SRV port) and {@code dnssrvnoa+_service._tcp.name} (SRV records only: target and port as they
 * are). A port written after an SRV name replaces the ports of the records.
 *
 * @param lookup how the endpoint becomes addresses
 * @param host the host, IP literal (an IPv6 literal without its brackets) or DNS name
 * @param port the port, or {@link #NO_PORT} for an SRV name written without one
 * @param text the endpoint as it was written
 */
public record Endpoint(Lookup lookup, String host, int port, String text) {
    /** The port of an SRV name written without one. */
    public static final int NO_PORT = 0;

    /** How an endpoint becomes addresses. */
    public enum Lookup {
        /** A literal {@code host:port}, reported as it is. */
        NONE(""),
        /** A/AAAA records of the host, each with the endpoint's port. */
        ADDRESS("dns+"),
        /** SRV records, then the A/AAAA records of each target, with the record's port. */
        SRV("dnssrv+"),
        /** SRV records only: each target name with the record's port. */
        SRV_NO_ADDRESS("dnssrvnoa+");

        private final String prefix;

        Lookup(String prefix) {
            this.prefix = prefix;
        }

        /** The prefix that selects this lookup, empty for {@link #NONE}. */
        public String prefix() {
            return prefix;
        }
    }

    public Endpoint {
        Objects.requireNonNull(lookup, "lookup");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(text, "text");
        if (port < NO_PORT || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (port == NO_PORT && (lookup == Lookup.NONE || lookup == Lookup.ADDRESS)) {
            throw new IllegalArgumentException("a " + lookup + " endpoint needs a port: " + text);
        }
    }

    /** Whether this endpoint needs a DNS lookup. */
    public boolean needsLookup() {
        return lookup != Lookup.NONE;
    }

    /**
     * Parses an endpoint.
     *
     * @throws IllegalArgumentException with a message saying what is wrong and what was expected
     */
    public static Endpoint parse(String text) {
        Objects.requireNonNull(text, "text");
        Lookup lookup = Lookup.NONE;
        String rest = text;
        for (Lookup candidate : new Lookup[] {Lookup.SRV_NO_ADDRESS, Lookup.SRV, Lookup.ADDRESS}) {
            if (text.startsWith(candidate.prefix())) {
                lookup = candidate;
                rest = text.substring(candidate.prefix().length());
                break;
            }
        }
        if (lookup == Lookup.NONE) {
            int plus = text.indexOf('+');
            int colon = text.indexOf(':');
            if (plus > 0 && (colon < 0 || plus < colon) && text.substring(0, plus).matches("[A-Za-z]+")) {
                throw new IllegalArgumentException("unknown prefix \"" + text.substring(0, plus + 1)
                        + "\" (expected dns+, dnssrv+ or dnssrvnoa+, or a plain host:port)");
            }
        }
        if (rest.contains("://")) {
            throw new IllegalArgumentException("a URL is not an address (expected host:port, without a scheme)");
        }
        boolean srv = lookup == Lookup.SRV || lookup == Lookup.SRV_NO_ADDRESS;
        String host;
        String portText;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in an IPv6 address (expected [address]:port)");
            }
            host = rest.substring(1, close);
            if (!isIpv6Literal(host)) {
                throw new IllegalArgumentException("\"" + host + "\" between brackets is not an IPv6 address");
            }
            String after = rest.substring(close + 1);
            if (after.isEmpty()) {
                portText = null;
            } else if (after.startsWith(":")) {
                portText = after.substring(1);
            } else {
                throw new IllegalArgumentException("unexpected \"" + after + "\" after the IPv6 address (expected :port)");
            }
        } else {
            int colon = rest.lastIndexOf(':');
            host = colon < 0 ? rest : rest.substring(0, colon);
            portText = colon < 0 ? null : rest.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException("an IPv6 address needs brackets (expected [address]:port)");
            }
            if (!isHostName(host)) {
                throw new IllegalArgumentException(host.isEmpty() ? "the host is empty (expected host:port)"
                        : "\"" + host + "\" is not a host name or IP address (expected host:port)");
            }
        }
        int port;
        if (portText == null) {
            if (!srv) {
                throw new IllegalArgumentException("the port is missing (expected host:port)");
            }
            port = NO_PORT;
        } else {
            port = parsePort(portText);
        }
        return new Endpoint(lookup, host, port, text);
    }

    /** {@code host:port}, with brackets around an IPv6 literal. */
    public static String address(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static int parsePort(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("\"" + text + "\" is not a port (expected a number from 1 to 65535)");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (expected 1 to 65535)");
        }
        return port;
    }

    private static boolean isHostName(String host) {
        if (host.isEmpty() || host.length() > 253) {
            return false;
        }
        String[] labels = host.split("\\.", -1);
        for (int l = 0; l < labels.length; l++) {
            String label = labels[l];
            if (label.isEmpty() && (l != labels.length - 1 || l == 0)) {
                return false;
            }
            if (label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isIpv6Literal(String host) {
        if (host.indexOf(':') < 0) {
            return false;
        }
        int zone = host.indexOf('%');
        String address = zone < 0 ? host : host.substring(0, zone);
        return !address.isEmpty() && address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')
                && (zone < 0 || zone < host.length() - 1);
    }

    @Override
    public String toString() {
        return text;
    }
}
