package io.strata.plugin.receive.internal;

import io.strata.api.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Places series on endpoints as Thanos Receive does. The series key is XXH64 over the tenant, a
 * 0xFF byte, then each label's name, 0xFF, value, 0xFF. {@code hashmod} sends replica {@code n} to
 * {@code endpoints[(key + n) mod size]}; {@code ketama} puts 1000 sections per endpoint on a ring
 * (section hash XXH64 of {@code address:i}, i = 1..1000) and sends replica {@code n} to the n-th
 * distinct endpoint found clockwise from the key, preferring endpoints of availability zones not
 * used yet.
 */
public final class Hashring {
    /** The placement algorithms. */
    public enum Algorithm {
        HASHMOD, KETAMA;

        public static Algorithm parse(String s) {
            return switch (s == null ? "" : s.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "hashmod", "" -> HASHMOD;
                case "ketama" -> KETAMA;
                default -> throw new IllegalArgumentException("unknown hashring algorithm \"" + s + "\": expected hashmod or ketama");
            };
        }
    }

    /** An endpoint of a ring: its gRPC address and availability zone ("" when none). */
    public record Endpoint(String address, String az) {
        public Endpoint {
            if (address == null || address.isBlank()) {
                throw new IllegalArgumentException("an endpoint needs an address");
            }
            az = az == null ? "" : az;
        }
    }

    static final int SECTIONS_PER_ENDPOINT = 1000;

    private final String name;
    private final List<String> tenants;
    private final boolean glob;
    private final Algorithm algorithm;
    private final List<Endpoint> endpoints;
    private final int replicationFactor;
    private final long[] sectionHashes;
    private final int[][] sectionReplicas;

    /**
     * @param tenants           the tenants this ring serves; empty for every tenant
     * @param glob              true when the tenant names are glob patterns
     * @param replicationFactor replicas per series; ketama needs at least this many endpoints
     */
    public Hashring(String name, List<String> tenants, boolean glob, Algorithm algorithm, List<Endpoint> endpoints, int replicationFactor) {
        this.name = name == null ? "" : name;
        this.tenants = List.copyOf(Objects.requireNonNull(tenants, "tenants"));
        this.glob = glob;
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.endpoints = List.copyOf(Objects.requireNonNull(endpoints, "endpoints"));
        if (this.endpoints.isEmpty()) {
            throw new IllegalArgumentException("hashring \"" + this.name + "\" has no endpoints");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1, got " + replicationFactor);
        }
        Set<String> seen = new java.util.HashSet<>();
        for (Endpoint e : this.endpoints) {
            if (!seen.add(e.address())) {
                throw new IllegalArgumentException("hashring \"" + this.name + "\" lists endpoint " + e.address() + " twice");
            }
        }
        this.replicationFactor = replicationFactor;
        if (algorithm == Algorithm.KETAMA) {
            if (this.endpoints.size() < replicationFactor) {
                throw new IllegalArgumentException("ketama hashring \"" + this.name + "\" has " + this.endpoints.size()
                        + " endpoints, fewer than the replication factor " + replicationFactor);
            }
            int n = this.endpoints.size() * SECTIONS_PER_ENDPOINT;
            long[][] sections = new long[n][];
            int k = 0;
            for (int e = 0; e < this.endpoints.size(); e++) {
                for (int i = 1; i <= SECTIONS_PER_ENDPOINT; i++) {
                    byte[] b = (this.endpoints.get(e).address() + ":" + i).getBytes(StandardCharsets.UTF_8);
                    sections[k++] = new long[] {Xxhash64.hash(b, 0, b.length), e};
                }
            }
            Arrays.sort(sections, (a, b) -> {
                int c = Long.compareUnsigned(a[0], b[0]);
                return c != 0 ? c : Long.compare(a[1], b[1]);
            });
            sectionHashes = new long[n];
            int[] owner = new int[n];
            for (int i = 0; i < n; i++) {
                sectionHashes[i] = sections[i][0];
                owner[i] = (int) sections[i][1];
            }
            sectionReplicas = new int[n][];
            for (int i = 0; i < n; i++) {
                sectionReplicas[i] = replicasFrom(i, owner);
            }
        } else {
            sectionHashes = null;
            sectionReplicas = null;
        }
    }

    /** The distinct endpoints clockwise from section {@code start}, new availability zones first. */
    private int[] replicasFrom(int start, int[] owner) {
        int n = owner.length;
        LinkedHashSet<Integer> chosen = new LinkedHashSet<>();
        Set<String> zones = new java.util.HashSet<>();
        for (int pass = 0; pass < 2 && chosen.size() < replicationFactor; pass++) {
            for (int j = 0; j < n && chosen.size() < replicationFactor; j++) {
                int e = owner[(start + j) % n];
                if (chosen.contains(e)) {
                    continue;
                }
                String az = endpoints.get(e).az();
                if (pass == 0 && !az.isEmpty() && zones.contains(az)) {
                    continue;
                }
                chosen.add(e);
                zones.add(az);
            }
        }
        int[] out = new int[chosen.size()];
        int i = 0;
        for (int e : chosen) {
            out[i++] = e;
        }
        return out;
    }

    public String name() {
        return name;
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    /** True when this ring serves the tenant. */
    public boolean matches(String tenant) {
        if (tenants.isEmpty()) {
            return true;
        }
        for (String t : tenants) {
            if (glob ? globMatch(t, tenant) : t.equals(tenant)) {
                return true;
            }
        }
        return false;
    }

    static boolean globMatch(String pattern, String s) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return s.matches(re.toString());
    }

    /** The series key of Thanos: XXH64(tenant 0xFF (name 0xFF value 0xFF)*), labels in their order. */
    public static long seriesKey(String tenant, Labels labels, KeyBuffer buffer) {
        return seriesKey(tenant, labels, buffer, null);
    }

    /**
     * The same key; with {@code blocks}, the series' labels are also added to it as encoded
     * {@code Label} messages, from the same UTF-8 bytes (a router forwards them without encoding
     * the strings again).
     */
    public static long seriesKey(String tenant, Labels labels, KeyBuffer buffer, LabelBlocks blocks) {
        buffer.reset();
        buffer.put(tenant);
        buffer.sep();
        for (int i = 0, n = labels.size(); i < n; i++) {
            int name = buffer.length;
            buffer.put(labels.name(i));
            int nameEnd = buffer.length;
            buffer.sep();
            int value = buffer.length;
            buffer.put(labels.value(i));
            if (blocks != null) {
                blocks.label(buffer.bytes, name, nameEnd - name, value, buffer.length - value);
            }
            buffer.sep();
        }
        if (blocks != null) {
            blocks.endSeries();
        }
        return Xxhash64.hash(buffer.bytes, 0, buffer.length);
    }

    /** The endpoint of replica {@code replica} (0-based) of the series with this key. */
    public Endpoint endpoint(long key, int replica) {
        return endpoints.get(endpointIndex(key, replica));
    }

    /** The same as an index into {@link #endpoints()}, without allocating. */
    public int endpointIndex(long key, int replica) {
        if (replica < 0 || replica >= replicationFactor) {
            throw new IllegalArgumentException("replica " + replica + " outside [0, " + replicationFactor + ")");
        }
        if (algorithm == Algorithm.HASHMOD) {
            return (int) Long.remainderUnsigned(key + replica, endpoints.size());
        }
        int[] r = sectionReplicas[firstAtLeastUnsigned(key)];
        return r[replica % r.length];
    }

    private int firstAtLeastUnsigned(long key) {
        int lo = 0;
        int hi = sectionHashes.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(sectionHashes[mid], key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == sectionHashes.length ? 0 : lo;
    }

    /** The endpoints' addresses. */
    public List<String> addresses() {
        List<String> out = new ArrayList<>();
        for (Endpoint e : endpoints) {
            out.add(e.address());
        }
        return out;
    }

    /** A reusable UTF-8 buffer for series keys. Not thread-safe. */
    public static final class KeyBuffer {
        byte[] bytes = new byte[1024];
        int length;

        void reset() {
            length = 0;
        }

        void sep() {
            ensure(1);
            bytes[length++] = (byte) 0xFF;
        }

        void put(String s) {
            // ASCII without allocating; the rest of a string from its first other character through
            // the JDK's encoder (routing at 100k series measured no faster with getBytes for all)
            int n = s.length();
            ensure(n * 3);
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    bytes[length++] = (byte) c;
                } else {
                    byte[] b = s.substring(i).getBytes(StandardCharsets.UTF_8);
                    ensure(b.length);
                    System.arraycopy(b, 0, bytes, length, b.length);
                    length += b.length;
                    return;
                }
            }
        }

        private void ensure(int extra) {
            if (length + extra > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + extra));
            }
        }
    }
}
