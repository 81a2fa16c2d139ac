package io.duplex.server;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * The server's side of one upgraded WebSocket connection.
 *
 * <p>Threading: every method is safe to call from any thread. Calls made on the socket's own loop act at
 * once; calls from other threads are handed to the loop and act in the order they were made, and the
 * {@link SendStatus} they return is computed from the buffered amount at the time of the call.
 */
public interface ServerWebSocket {

    /** Sends a text message. */
    SendStatus sendText(CharSequence text);

    /** Sends a binary message with the bytes from {@code data}'s position to its limit (copied if needed; the caller keeps the buffer). */
    SendStatus sendBinary(ByteBuffer data);

    /** Sends a binary message. The array is not copied: do not change it afterwards. */
    SendStatus sendBinary(byte[] data);

    /** Sends a message encoded once for many sockets (broadcast). */
    SendStatus send(PreparedMessage message);

    /** Sends a ping with up to 125 bytes of application data. */
    SendStatus sendPing(ByteBuffer applicationData);

    /**
     * Bytes of messages queued and not yet written to the socket (payload bytes, not framing). Compared
     * against the route's backpressure limit.
     */
    long bufferedAmount();

    /** Starts the closing handshake with 1000 and no reason. */
    void close();

    /**
     * Starts the closing handshake.
     *
     * @throws IllegalArgumentException if {@code code} may not be sent (RFC 6455 7.4) or the reason is over
     *     123 bytes of UTF-8
     */
    void close(int code, String reason);

    /** Closes the TCP connection at once, without a closing handshake; pending output is dropped. */
    void terminate();

    /** Stops reading from this socket (receive backpressure) until {@link #resumeReading()}. */
    void pauseReading();

    /** Resumes reading. */
    void resumeReading();

    /** Whether the socket is open (the closing handshake has not started). */
    boolean isOpen();

    /** The request path that was upgraded, without the query. */
    String path();

    /** The query string without the '?', or the empty string. */
    String query();

    /** The negotiated subprotocol, or the empty string. */
    String subprotocol();

    /** The peer's address. */
    SocketAddress remoteAddress();

    /** What the upgrade hook attached with {@link UpgradeDecision.Accept#userData()}; null if nothing. */
    Object userData();
}
