package io.strata.api.http;

/** Handles an HTTP request on a route a plugin registered. */
@FunctionalInterface
public interface HttpHandler {
    void handle(HttpRequest request, HttpResponse response) throws Exception;
}
