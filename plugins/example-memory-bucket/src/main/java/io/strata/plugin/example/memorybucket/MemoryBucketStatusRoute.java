package io.strata.plugin.example.memorybucket;

import io.strata.api.http.HttpHandler;
import io.strata.api.http.HttpRequest;
import io.strata.api.http.HttpResponse;
import java.util.Collection;
import java.util.Objects;

/**
 * {@code GET /example/memory-bucket}: the memory buckets alive in this process, for example
 * {@code {"objects":3,"buckets":[{"name":"memory","objects":3,"bytes":42}]}}.
 */
final class MemoryBucketStatusRoute implements HttpHandler {
    private final Collection<MemoryBucket> buckets;

    MemoryBucketStatusRoute(Collection<MemoryBucket> buckets) {
        this.buckets = Objects.requireNonNull(buckets, "buckets");
    }

    @Override
    public void handle(HttpRequest request, HttpResponse response) throws Exception {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            response.header("Allow", "GET, HEAD");
            response.send(405, "application/json", "{\"status\":\"error\",\"error\":\"method not allowed\"}");
            return;
        }
        StringBuilder json = new StringBuilder();
        long totalObjects = 0;
        StringBuilder list = new StringBuilder();
        for (MemoryBucket bucket : buckets) {
            int objects = bucket.objectCount();
            totalObjects += objects;
            if (list.length() > 0) {
                list.append(',');
            }
            list.append("{\"name\":");
            appendString(list, bucket.bucketName());
            list.append(",\"objects\":").append(objects).append(",\"bytes\":").append(bucket.byteCount()).append('}');
        }
        json.append("{\"objects\":").append(totalObjects).append(",\"buckets\":[").append(list).append("]}");
        response.send(200, "application/json", json.toString());
    }

    private static void appendString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
