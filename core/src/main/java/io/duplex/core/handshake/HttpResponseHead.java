package io.duplex.core.handshake;

import java.util.Objects;

/**
 * The head of an HTTP/1.x response: status line and header fields (RFC 7230 3).
 *
 * <p>Threading: immutable.
 *
 * @param version the HTTP version, e.g. {@code HTTP/1.1}
 * @param status the three-digit status code, e.g. 101
 * @param reason the reason phrase, possibly empty; informational only
 * @param headers the header fields
 */
public record HttpResponseHead(String version, int status, String reason, HttpHeaders headers) {
    /**
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the status does not have three digits
     */
    public HttpResponseHead {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(headers, "headers");
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("HTTP status " + status + " does not have three digits");
        }
    }
}
