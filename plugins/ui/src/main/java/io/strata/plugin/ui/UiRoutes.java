package io.strata.plugin.ui;

import io.strata.api.http.HttpHandler;
import io.strata.api.http.HttpRequest;
import io.strata.api.http.HttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.Optional;

/** The UI's HTTP handlers: a redirect, the app's pages and its static files. */
final class UiRoutes {
    static final String STATIC_PREFIX = "/static/";

    private UiRoutes() {
    }

    /** {@code GET /}: 302 to {@code target}. */
    static HttpHandler redirect(String target) {
        Objects.requireNonNull(target, "target");
        return (request, response) -> {
            if (allowed(request, response)) {
                response.header("Location", target);
                response.send(302, "text/plain; charset=utf-8", "Found: " + target + "\n");
            }
        };
    }

    /** A page of the app: its index.html, never cached so a new build is picked up at once. */
    static HttpHandler page(UiAssets assets) {
        Objects.requireNonNull(assets, "assets");
        return (request, response) -> {
            if (allowed(request, response)) {
                serve(request, response, assets.find(UiAssets.INDEX), UiAssets.INDEX);
            }
        };
    }

    /** {@code /static/<name>}: a built file with its content type and cache headers, or 404. */
    static HttpHandler assets(UiAssets assets) {
        Objects.requireNonNull(assets, "assets");
        return (request, response) -> {
            if (allowed(request, response)) {
                String path = request.path();
                String name = path.startsWith(STATIC_PREFIX) ? path.substring(STATIC_PREFIX.length()) : "";
                serve(request, response, assets.find(name), name);
            }
        };
    }

    private static boolean allowed(HttpRequest request, HttpResponse response) throws IOException {
        String method = request.method();
        if (method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        response.header("Allow", "GET, HEAD");
        response.send(405, "text/plain; charset=utf-8", "method not allowed\n");
        return false;
    }

    private static void serve(HttpRequest request, HttpResponse response, Optional<UiAssets.Asset> found, String name)
            throws IOException {
        if (found.isEmpty()) {
            response.header("Cache-Control", "no-cache");
            response.send(404, "text/plain; charset=utf-8", "not found: " + name
                    + (name.equals(UiAssets.INDEX) ? " (the plugin jar was built without its front end)" : "") + "\n");
            return;
        }
        UiAssets.Asset asset = found.get();
        response.status(200);
        response.header("Content-Type", asset.contentType());
        response.header("Cache-Control", asset.cacheControl());
        response.header("X-Content-Type-Options", "nosniff");
        response.header("Content-Length", Integer.toString(asset.bytes().length));
        try (OutputStream out = response.body()) {
            if (!request.method().equals("HEAD")) {
                out.write(asset.bytes());
            }
        }
    }
}
