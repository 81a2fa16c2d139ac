package io.duplex.core.handshake;

/**
 * The opening handshake failed (RFC 6455 4): a head that is malformed or too large, or a request or response
 * that breaks a rule of RFC 6455 4.1 or 4.2.
 *
 * <p>On the server, {@link #status()} is the HTTP status to answer with and {@link #responseHeaders()} the
 * headers that status calls for (for example {@code Sec-WebSocket-Version: 13} with 426, RFC 6455 4.4); {@link
 * ServerHandshake#rejectResponse(HandshakeException)} writes that answer. On the client, {@link #status()} is
 * the status the server answered, or 0 when no status line was read, and the connection is simply failed.
 *
 * <p>Threading: immutable.
 */
public final class HandshakeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient HttpHeaders responseHeaders;

    /**
     * A failure whose answer needs no particular headers.
     *
     * @param status the HTTP status, 100-599, or 0 on the client when none was read
     * @param message the observed value and the rule it breaks
     */
    public HandshakeException(int status, String message) {
        this(status, HttpHeaders.empty(), message);
    }

    /**
     * A failure whose answer carries headers.
     *
     * @param status the HTTP status, 100-599, or 0 on the client when none was read
     * @param responseHeaders headers the answer must carry
     * @param message the observed value and the rule it breaks
     * @throws IllegalArgumentException if the status is outside 100-599 and not 0
     */
    public HandshakeException(int status, HttpHeaders responseHeaders, String message) {
        // No stack trace: the peer causes these, possibly in great numbers, and the message says it all.
        super(message, null, false, false);
        if (status != 0 && (status < 100 || status > 599)) {
            throw new IllegalArgumentException("HTTP status " + status + " is outside 100-599");
        }
        this.status = status;
        this.responseHeaders = responseHeaders;
    }

    /** @return the HTTP status to answer with (server), or the one received or 0 (client) */
    public int status() {
        return status;
    }

    /** @return headers the server's answer must carry, often empty */
    public HttpHeaders responseHeaders() {
        return responseHeaders;
    }
}
