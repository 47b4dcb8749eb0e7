package io.strata.plugin.receive.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xerial.snappy.Snappy;

/**
 * The remote-write endpoint independent of the HTTP server: checks the media type and encoding,
 * reads and decompresses the body (snappy block format) into per-thread buffers, decodes remote
 * write 1.0 or 2.0 into a reused {@link WriteBatch}, applies the tenant's request limits and hands
 * the batch to the {@link SeriesWriter}. Answers as Thanos Receive does: 200 (204 for 2.0, with the
 * {@code X-Prometheus-Remote-Write-*-Written} headers), 400, 409, 413, 415, 429 or 503.
 */
public final class RemoteWriteHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteHandler.class);
    static final String V2_PROTO = "io.prometheus.write.v2.Request";
    static final String V1_PROTO = "prometheus.WriteRequest";

    /** The answer to one request. */
    public record Response(int status, Map<String, String> headers, String body) {
    }

    /** Settings of the endpoint. */
    public record Settings(String tenantHeader, String defaultTenant, String replicaHeader, long maxRequestBytes,
                           long maxDecompressedBytes, int maxLabelNameLength, int maxLabelValueLength) {
        public Settings {
            if (tenantHeader == null || tenantHeader.isBlank() || defaultTenant == null || replicaHeader == null || replicaHeader.isBlank()) {
                throw new IllegalArgumentException("tenant header, default tenant and replica header are required");
            }
            if (!TenantStorage.validTenant(defaultTenant)) {
                throw new IllegalArgumentException("invalid default tenant \"" + defaultTenant + "\"");
            }
            if (maxRequestBytes <= 0 || maxDecompressedBytes <= 0 || maxRequestBytes > Integer.MAX_VALUE - 16
                    || maxDecompressedBytes > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("request size limits must be positive and below 2 GiB");
            }
        }
    }

    private static final class Scratch {
        byte[] body = new byte[64 * 1024];
        byte[] raw = new byte[256 * 1024];
        final WriteBatch batch = new WriteBatch();
        final RemoteWriteDecoder decoder;

        Scratch(Settings s) {
            decoder = new RemoteWriteDecoder(s.maxLabelNameLength(), s.maxLabelValueLength());
        }
    }

    private final Settings settings;
    private final SeriesWriter writer;
    private final Function<String, Limits> limits;
    private final BooleanSupplier ready;
    private final ThreadLocal<Scratch> scratch;

    public RemoteWriteHandler(Settings settings, SeriesWriter writer, Function<String, Limits> limits, BooleanSupplier ready) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.ready = Objects.requireNonNull(ready, "ready");
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(settings));
    }

    /**
     * Handles one request.
     *
     * @param method  the HTTP method
     * @param headers header look-up by name (case-insensitive), null when absent
     * @param body    the request body
     */
    public Response handle(String method, UnaryOperator<String> headers, InputStream body) {
        boolean v2 = false;
        try {
            if (!"POST".equalsIgnoreCase(method)) {
                return error(405, "remote write takes POST, got " + method);
            }
            v2 = isV2(headers.apply("Content-Type"));
            String encoding = headers.apply("Content-Encoding");
            if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("snappy")) {
                throw new RemoteWriteException(415, "unsupported Content-Encoding \"" + encoding + "\": only snappy is accepted");
            }
            if (!ready.getAsBoolean()) {
                return error(503, "the receiver is not ready");
            }
            String tenant = headers.apply(settings.tenantHeader());
            if (tenant == null || tenant.isEmpty()) {
                tenant = settings.defaultTenant();
            } else if (!TenantStorage.validTenant(tenant)) {
                throw new RemoteWriteException(400, "invalid tenant \"" + tenant + "\" in header " + settings.tenantHeader());
            }
            long replica = 0;
            String replicaHeader = headers.apply(settings.replicaHeader());
            if (replicaHeader != null && !replicaHeader.isEmpty()) {
                try {
                    replica = Long.parseLong(replicaHeader.trim());
                } catch (NumberFormatException e) {
                    throw new RemoteWriteException(400, "unparsable replica header " + settings.replicaHeader() + ": \"" + replicaHeader + "\"");
                }
            }
            Limits tenantLimits = limits.apply(tenant);
            Scratch s = scratch.get();
            long sizeLimit = tenantLimits.sizeBytes() > 0 ? Math.min(tenantLimits.sizeBytes(), settings.maxRequestBytes()) : settings.maxRequestBytes();
            int length = readBody(body, s, sizeLimit);
            int rawLength = decompress(s, length);
            WriteBatch batch = s.batch;
            if (v2) {
                s.decoder.decodeV2(s.raw, 0, rawLength, batch);
            } else {
                s.decoder.decodeV1(s.raw, 0, rawLength, batch);
            }
            if (tenantLimits.series() > 0 && batch.seriesCount() > tenantLimits.series()) {
                throw new RemoteWriteException(413, "request of " + batch.seriesCount() + " series exceeds the series limit of "
                        + tenantLimits.series() + " of tenant " + tenant);
            }
            if (tenantLimits.samples() > 0 && batch.sampleCount() > tenantLimits.samples()) {
                throw new RemoteWriteException(413, "request of " + batch.sampleCount() + " samples exceeds the samples limit of "
                        + tenantLimits.samples() + " of tenant " + tenant);
            }
            WriteOutcome outcome = new WriteOutcome();
            if (batch.seriesCount() > 0) {
                writer.write(tenant, batch, replica, outcome);
            }
            Map<String, String> h = new LinkedHashMap<>();
            if (v2) {
                h.put("X-Prometheus-Remote-Write-Samples-Written", Long.toString(outcome.samplesWritten()));
                h.put("X-Prometheus-Remote-Write-Histograms-Written", "0");
                h.put("X-Prometheus-Remote-Write-Exemplars-Written", "0");
            }
            batch.clear();
            if (outcome.failure() == WriteOutcome.Failure.NONE) {
                return new Response(v2 ? 204 : 200, h, "");
            }
            return new Response(outcome.status(), h, outcome.message());
        } catch (RemoteWriteException e) {
            return error(e.status(), e.getMessage());
        } catch (IOException e) {
            return error(500, "reading the request failed: " + e.getMessage());
        } catch (Exception e) {
            LOG.error("remote write failed", e);
            return error(500, "internal error: " + e);
        }
    }

    private static Response error(int status, String message) {
        return new Response(status, Map.of(), message);
    }

    /** True for a remote write 2.0 content type; throws 415 for a type that is not remote write. */
    static boolean isV2(String contentType) throws RemoteWriteException {
        if (contentType == null || contentType.isBlank()) {
            return false;
        }
        String[] parts = contentType.split(";");
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!type.equals("application/x-protobuf")) {
            throw new RemoteWriteException(415, "unsupported Content-Type \"" + contentType + "\": expected application/x-protobuf");
        }
        String proto = null;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("proto")) {
                proto = p.substring(eq + 1).trim().replace("\"", "");
            }
        }
        if (proto == null || proto.equals(V1_PROTO)) {
            return false;
        }
        if (proto.equals(V2_PROTO)) {
            return true;
        }
        throw new RemoteWriteException(415, "unsupported protobuf message \"" + proto + "\": expected " + V1_PROTO + " or " + V2_PROTO);
    }

    private static int readBody(InputStream in, Scratch s, long limit) throws IOException, RemoteWriteException {
        int n = 0;
        while (true) {
            if (n == s.body.length) {
                s.body = java.util.Arrays.copyOf(s.body, (int) Math.min(limit + 1, (long) n * 2));
            }
            int r = in.read(s.body, n, s.body.length - n);
            if (r < 0) {
                return n;
            }
            n += r;
            if (n > limit) {
                throw new RemoteWriteException(413, "request body larger than the limit of " + limit + " bytes");
            }
        }
    }

    private int decompress(Scratch s, int length) throws RemoteWriteException {
        try {
            if (length == 0) {
                return 0;
            }
            if (!Snappy.isValidCompressedBuffer(s.body, 0, length)) {
                throw new RemoteWriteException(400, "snappy: corrupt input");
            }
            int raw = Snappy.uncompressedLength(s.body, 0, length);
            if (raw < 0 || raw > settings.maxDecompressedBytes()) {
                throw new RemoteWriteException(413, "decompressed request of " + raw + " bytes exceeds the limit of "
                        + settings.maxDecompressedBytes() + " bytes");
            }
            if (s.raw.length < raw) {
                s.raw = new byte[Math.max(raw, s.raw.length * 2)];
            }
            return Snappy.uncompress(s.body, 0, length, s.raw, 0);
        } catch (IOException e) {
            throw new RemoteWriteException(400, "snappy: corrupt input: " + e.getMessage());
        }
    }
}
