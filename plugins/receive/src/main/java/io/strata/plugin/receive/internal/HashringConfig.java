package io.strata.plugin.receive.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Thanos's hashring file: a JSON array of objects with {@code hashring}, {@code tenants},
 * {@code tenant_matcher_type} (exact or glob), {@code algorithm} (hashmod or ketama) and
 * {@code endpoints} (strings, or objects with {@code address} and {@code az}). Other keys
 * ({@code external_labels}, {@code shuffle_sharding_config}, ...) are read and ignored.
 */
public final class HashringConfig {
    private static final JsonFactory JSON = new JsonFactory();

    private HashringConfig() {
    }

    /**
     * Parses the file's content into rings.
     *
     * @param defaultAlgorithm used by rings that name none
     * @throws IllegalArgumentException naming what is wrong
     */
    public static List<Hashring> parse(String json, Hashring.Algorithm defaultAlgorithm, int replicationFactor) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("a hashring file holds a JSON array of hashrings");
            }
            List<Hashring> rings = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    throw new IllegalArgumentException("hashring " + rings.size() + " is not an object");
                }
                rings.add(ring(p, rings.size(), defaultAlgorithm, replicationFactor));
            }
            if (rings.isEmpty()) {
                throw new IllegalArgumentException("the hashring file lists no hashring");
            }
            return rings;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable hashring JSON: " + e.getMessage(), e);
        }
    }

    private static Hashring ring(JsonParser p, int index, Hashring.Algorithm defaultAlgorithm, int rf) throws IOException {
        String name = "";
        List<String> tenants = new ArrayList<>();
        List<Hashring.Endpoint> endpoints = new ArrayList<>();
        boolean glob = false;
        Hashring.Algorithm algorithm = defaultAlgorithm;
        while (p.nextToken() != JsonToken.END_OBJECT) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "hashring" -> name = p.getValueAsString("");
                case "tenants" -> {
                    expect(v, JsonToken.START_ARRAY, "tenants", index);
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        tenants.add(p.getValueAsString());
                    }
                }
                case "tenant_matcher_type" -> {
                    String t = p.getValueAsString("");
                    if (t.equals("glob")) {
                        glob = true;
                    } else if (!t.isEmpty() && !t.equals("exact")) {
                        throw new IllegalArgumentException("hashring " + index + ": tenant_matcher_type \"" + t + "\" is not exact or glob");
                    }
                }
                case "algorithm" -> algorithm = Hashring.Algorithm.parse(p.getValueAsString(""));
                case "endpoints" -> {
                    expect(v, JsonToken.START_ARRAY, "endpoints", index);
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (p.currentToken() == JsonToken.VALUE_STRING) {
                            endpoints.add(new Hashring.Endpoint(p.getText(), ""));
                        } else if (p.currentToken() == JsonToken.START_OBJECT) {
                            String address = null;
                            String az = "";
                            while (p.nextToken() != JsonToken.END_OBJECT) {
                                String f = p.currentName();
                                p.nextToken();
                                if (f.equals("address")) {
                                    address = p.getValueAsString();
                                } else if (f.equals("az")) {
                                    az = p.getValueAsString("");
                                } else {
                                    p.skipChildren();
                                }
                            }
                            if (address == null || address.isBlank()) {
                                throw new IllegalArgumentException("hashring " + index + ": an endpoint object has no address");
                            }
                            endpoints.add(new Hashring.Endpoint(address, az));
                        } else {
                            throw new IllegalArgumentException("hashring " + index + ": an endpoint is neither a string nor an object");
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        try {
            return new Hashring(name, tenants, glob, algorithm, endpoints, rf);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hashring " + index + ": " + e.getMessage(), e);
        }
    }

    private static void expect(JsonToken got, JsonToken want, String field, int index) {
        if (got != want) {
            throw new IllegalArgumentException("hashring " + index + ": " + field + " must be an array");
        }
    }
}
