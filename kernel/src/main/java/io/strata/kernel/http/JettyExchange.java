package io.strata.kernel.http;

import io.strata.api.http.HttpRequest;
import io.strata.api.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** Adapts a Jetty request/response pair to the api's blocking HTTP interfaces. */
final class JettyExchange {
    final HttpRequest in = new In();
    final HttpResponse outgoing = new Out();
    private final Request request;
    private final Response response;
    private Fields parameters;
    private OutputStream out;

    JettyExchange(Request request, Response response) {
        this.request = request;
        this.response = response;
    }

    private final class In implements HttpRequest {
        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String path() {
            return Request.getPathInContext(request);
        }

        @Override
        public String header(String name) {
            return request.getHeaders().get(name);
        }

        private Fields fields() {
            if (parameters == null) {
                String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
                boolean form = "POST".equals(request.getMethod()) && type != null
                        && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
                try {
                    parameters = form ? Request.getParameters(request) : Request.extractQueryParameters(request);
                } catch (Exception e) {
                    throw new IllegalArgumentException("cannot read request parameters: " + e.getMessage(), e);
                }
            }
            return parameters;
        }

        @Override
        public String parameter(String name) {
            Fields.Field f = fields().get(name);
            return f == null ? null : f.getValue();
        }

        @Override
        public List<String> parameters(String name) {
            Fields.Field f = fields().get(name);
            return f == null ? List.of() : f.getValues();
        }

        @Override
        public InputStream body() {
            return Content.Source.asInputStream(request);
        }

        @Override
        public String remoteAddress() {
            return Request.getRemoteAddr(request);
        }

}

    private final class Out implements HttpResponse {
        @Override
        public void status(int code) {
            response.setStatus(code);
        }

        @Override
        public void header(String name, String value) {
            response.getHeaders().put(name, value);
        }

        @Override
        public OutputStream body() throws IOException {
            if (out == null) {
                out = Content.Sink.asOutputStream(response);
            }
            return out;
        }

}

    void finish(Callback callback) throws IOException {
        if (out != null) {
            out.close();
            callback.succeeded();
        } else {
            response.write(true, null, callback);
        }
    }
}
