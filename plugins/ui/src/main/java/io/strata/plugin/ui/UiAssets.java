package io.strata.plugin.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The app's built files (index.html and content-hashed scripts and stylesheets), read from the
 * plugin jar under {@value #ROOT} on first use and kept in memory.
 */
final class UiAssets {
    /** Where the front-end build puts its output inside the jar. */
    static final String ROOT = "io/strata/plugin/ui/internal/assets/";
    /** The page every UI path is answered with. */
    static final String INDEX = "index.html";
    /** Names a client may ask for: one path segment, no dot files, no traversal. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    /** Names esbuild gives content-hashed outputs, for example {@code main-LDGMYOXA.js}. */
    private static final Pattern HASHED = Pattern.compile(".*-[A-Z0-9]{8}\\.[a-z0-9]+");
    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff2", "font/woff2"));

    private final ClassLoader loader;
    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

    private UiAssets(ClassLoader loader) {
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    static UiAssets fromClasspath(ClassLoader loader) {
        return new UiAssets(loader);
    }

    /** A file of the app by its name, or empty when there is none (or the name is not one a client may ask for). */
    Optional<Asset> find(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return cache.computeIfAbsent(name, this::load);
    }

    private Optional<Asset> load(String name) {
        try (InputStream in = loader.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(new Asset(in.readAllBytes(), contentType(name), cacheControl(name)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read UI asset " + ROOT + name, e);
        }
    }

    static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
    }

    /** Content-hashed files never change under their name; anything else is revalidated. */
    static String cacheControl(String name) {
        return HASHED.matcher(name).matches() ? "public, max-age=31536000, immutable" : "no-cache";
    }

    /** A file's bytes and the headers it is served with. */
    record Asset(byte[] bytes, String contentType, String cacheControl) {
        Asset {
            Objects.requireNonNull(bytes, "bytes");
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(cacheControl, "cacheControl");
        }
    }
}
