package io.duplex.core.handshake;

import java.util.Objects;
import java.util.Optional;

/**
 * The head of an HTTP/1.x request: request line and header fields (RFC 7230 3).
 *
 * <p>Threading: immutable.
 *
 * @param method the method, e.g. {@code GET}; case-sensitive (RFC 7231 4.1)
 * @param target the request-target as sent, e.g. {@code /chat?room=1}
 * @param version the HTTP version, e.g. {@code HTTP/1.1}
 * @param headers the header fields
 */
public record HttpRequestHead(String method, String target, String version, HttpHeaders headers) {
    /** @throws NullPointerException if a component is null */
    public HttpRequestHead {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(headers, "headers");
    }

    /** @return the target up to, not including, the first {@code ?}; the whole target if there is none */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /**
     * The query, still percent-encoded: {@code room=1} for {@code /chat?room=1}. An empty query
     * ({@code /chat?}) is present and empty, unlike no query at all.
     *
     * @return the text after the first {@code ?}, if the target has one
     */
    public Optional<String> query() {
        int q = target.indexOf('?');
        return q < 0 ? Optional.empty() : Optional.of(target.substring(q + 1));
    }
}
