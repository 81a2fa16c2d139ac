package io.duplex.core;

/**
 * The peer broke a rule: the single exception of the failure funnel.
 *
 * <p>Every failure caused by what the peer sent goes through this type, which carries the close code that
 * RFC 6455 7.4.1 prescribes for it ({@link CloseStatus#PROTOCOL_ERROR}, {@link
 * CloseStatus#INVALID_FRAME_PAYLOAD_DATA}, {@link CloseStatus#MESSAGE_TOO_BIG}, {@link
 * CloseStatus#MANDATORY_EXTENSION}, {@link CloseStatus#INTERNAL_ERROR}) and a message naming the observed
 * value and the rule. {@link WebSocketConnection} catches it, sends the close frame and reports it as an
 * {@link Event.Failure}; the message is for logs and is never put on the wire (the close frame carries
 * only a short, fixed reason: see {@link #wireReason()}).
 *
 * <p>Local misuse (sending after close, a bad argument) is never this type: it is {@link
 * WebSocketStateException} or {@link IllegalArgumentException}.
 *
 * <p>Threading: immutable.
 */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int closeCode;

    /**
     * Creates a failure.
     *
     * @param closeCode the close code to send, one of 1002, 1007, 1008, 1009, 1010, 1011
     * @param message what was observed and which rule it breaks
     */
    public ProtocolException(int closeCode, String message) {
        this(closeCode, message, null);
    }

    /**
     * Creates a failure caused by another exception, e.g. a 1011 for an extension that threw.
     *
     * @param closeCode the close code to send, one of 1002, 1007, 1008, 1009, 1010, 1011
     * @param message what was observed and which rule it breaks
     * @param cause the underlying exception, or null
     */
    public ProtocolException(int closeCode, String message, Throwable cause) {
        // No stack trace: the peer's misbehaviour is routine input, and the message says what happened.
        super(message, cause, false, false);
        if (!CloseStatus.isFailureCode(closeCode)) {
            throw new IllegalArgumentException("close code " + closeCode + " is not a failure code");
        }
        this.closeCode = closeCode;
    }

    /**
     * A 1002 failure.
     * @param message what was observed and which rule it breaks
     * @return the failure
     */
    public static ProtocolException protocolError(String message) {
        return new ProtocolException(CloseStatus.PROTOCOL_ERROR, message);
    }

    /**
     * A 1007 failure.
     * @param message what was observed and which rule it breaks
     * @return the failure
     */
    public static ProtocolException invalidPayload(String message) {
        return new ProtocolException(CloseStatus.INVALID_FRAME_PAYLOAD_DATA, message);
    }

    /**
     * A 1009 failure.
     * @param message what was observed and which limit it exceeds
     * @return the failure
     */
    public static ProtocolException tooBig(String message) {
        return new ProtocolException(CloseStatus.MESSAGE_TOO_BIG, message);
    }

    /**
     * The close code to send to the peer.
     *
     * @return 1002, 1007, 1008, 1009, 1010 or 1011
     */
    public int closeCode() {
        return closeCode;
    }

    /**
     * The reason put in the close frame: the standard name of the code, never internal details.
     *
     * @return a short ASCII reason
     */
    public String wireReason() {
        return CloseStatus.nameOf(closeCode);
    }
}
