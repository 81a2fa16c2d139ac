package io.duplex.server;

import java.nio.ByteBuffer;

/**
 * A message framed once and sent to many sockets (server frames are unmasked, so the same wire bytes
 * serve every subscriber). Holds the complete frame bytes, shared read-only.
 *
 * <p>Threading: immutable; share it freely.
 */
public final class PreparedMessage {

    private PreparedMessage() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** A text message. */
    public static PreparedMessage text(CharSequence text) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** A binary message with the bytes from {@code data}'s position to its limit (copied). */
    public static PreparedMessage binary(ByteBuffer data) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Payload size in bytes (what counts toward {@link ServerWebSocket#bufferedAmount()}). */
    public int payloadLength() {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
