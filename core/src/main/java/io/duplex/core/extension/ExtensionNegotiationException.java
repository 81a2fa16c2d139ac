package io.duplex.core.extension;

/**
 * An extension negotiation failed: a malformed {@code Sec-WebSocket-Extensions} header, an extension the
 * client did not offer, or parameters outside what was offered. The handshake fails (RFC 6455 4.1, 9.1).
 *
 * <p>Threading: immutable.
 */
public final class ExtensionNegotiationException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message the observed header or parameter and the rule it breaks */
    public ExtensionNegotiationException(String message) {
        super(message);
    }
}
