package io.strata.api.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** An HTTP request, independent of the server implementation. */
public interface HttpRequest {
    String method();

    /** The path, without the query string. */
    String path();

    /** A header value, or null. */
    String header(String name);

    /** A query or form parameter (form bodies of POST requests included), or null. */
    String parameter(String name);

    /** All values of a repeated parameter, for example {@code match[]}. */
    List<String> parameters(String name);

    InputStream body() throws IOException;

    String remoteAddress();
}
