package io.duplex.core;

/**
 * Local misuse of a connection: a call that its current state does not allow, such as sending a message
 * after a close frame was sent (RFC 6455 5.5.1). Distinct from {@link ProtocolException}, which is always
 * the peer's fault.
 *
 * <p>Threading: immutable.
 */
public final class WebSocketStateException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message the call and the state that forbids it */
    public WebSocketStateException(String message) {
        super(message);
    }
}
