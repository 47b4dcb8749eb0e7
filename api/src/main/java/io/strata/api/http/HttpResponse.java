package io.strata.api.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** An HTTP response, independent of the server implementation. */
public interface HttpResponse {
    void status(int code);

    void header(String name, String value);

    OutputStream body() throws IOException;

    /** Writes a whole UTF-8 body with a content type. */
    default void send(int code, String contentType, String body) throws IOException {
        status(code);
        header("Content-Type", contentType);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        header("Content-Length", Integer.toString(bytes.length));
        try (OutputStream out = body()) {
            out.write(bytes);
        }
    }
}
