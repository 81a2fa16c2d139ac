package io.duplex.server;

import io.duplex.core.handshake.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A complete HTTP response for an {@link HttpHandler}. Content-Length, Date-less, and
 * {@code Connection: close} are added by the server.
 *
 * @param status the status code, 200-599
 * @param headers response headers (Content-Type, Cache-Control, ...)
 * @param body the body bytes; not copied
 *
 * Threading: immutable if the body array is not changed.
 */
public record HttpResponse(int status, HttpHeaders headers, byte[] body) {

    /** Checks the values. */
    public HttpResponse {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be 200-599, was " + status);
        }
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    /** A response with a Content-Type and a body. */
    public static HttpResponse of(int status, String contentType, byte[] body) {
        return new HttpResponse(status, HttpHeaders.of("Content-Type", contentType), body);
    }

    /** A plain-text UTF-8 response. */
    public static HttpResponse text(int status, String text) {
        return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }
}
