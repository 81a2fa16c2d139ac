package io.duplex.client.internal;

/**
 * What a {@link ClientSession} reports to its WebSocket, in order. The WebSocket turns each report into a
 * task on its event executor (the standard's "queue a task"); the reports themselves must not block.
 *
 * <p>Threading: called on the connection's loop thread, except {@link #closed} after a user abort while
 * connecting, which may come from the aborting thread; reports never overlap.
 */
public interface SessionSink {

    /**
     * The opening handshake succeeded (the standard's "the WebSocket connection is established").
     *
     * @param protocol the subprotocol in use, or ""
     * @param extensions the Sec-WebSocket-Extensions in use, or ""
     */
    void opened(String protocol, String extensions);

    /**
     * A whole message arrived. The WebSocket calls {@link ClientSession#consumed(long)} with its size once
     * the message has been dispatched or dropped, which releases receive backpressure.
     *
     * @param text the text, or null for a binary message
     * @param binary the bytes (owned by the receiver), or null for a text message
     * @param size the message's size in bytes, for backpressure accounting
     */
    void message(String text, java.nio.ByteBuffer binary, long size);

    /** The server started the closing handshake (its close frame arrived first). */
    void closing();

    /**
     * The connection is closed: the last report.
     *
     * @param failed whether the standard's "fail the WebSocket connection" happened (an error event precedes
     *     the close event)
     * @param code the close code for the close event (1006 when failed or no close frame arrived)
     * @param reason the server's reason, or ""
     * @param wasClean whether the closing handshake completed
     * @param detail why, for people; "" for a clean close
     * @param cause the exception behind it, or null
     */
    void closed(boolean failed, int code, String reason, boolean wasClean, String detail, Throwable cause);

    /**
     * bufferedAmount bytes were handed to the network.
     *
     * @param bytes application bytes, not framing
     */
    void sent(long bytes);
}
