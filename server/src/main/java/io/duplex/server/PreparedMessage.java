package io.duplex.server;

import io.duplex.core.Opcode;
import io.duplex.core.Utf8;
import io.duplex.core.frame.FrameWriter;
import java.nio.ByteBuffer;

/**
 * A message framed once and sent to many sockets (server frames are unmasked, so the same wire bytes
 * serve every subscriber). Holds the complete frame bytes, shared read-only.
 *
 * <p>Threading: immutable; share it freely.
 */
public final class PreparedMessage {

    private final ByteBuffer frame;
    private final int payloadLength;

    private PreparedMessage(Opcode type, ByteBuffer payload) {
        this.payloadLength = payload.remaining();
        // RFC 6455 5.1: a server never masks, so one encoding fits every connection.
        this.frame = FrameWriter.encode(true, 0, type, payload, false, 0).asReadOnlyBuffer();
    }

    /** A text message. */
    public static PreparedMessage text(CharSequence text) {
        return new PreparedMessage(Opcode.TEXT, ByteBuffer.wrap(Utf8.encode(text.toString())));
    }

    /** A binary message with the bytes from {@code data}'s position to its limit (copied). */
    public static PreparedMessage binary(ByteBuffer data) {
        return new PreparedMessage(Opcode.BINARY, data);
    }

    /** Payload size in bytes (what counts toward {@link ServerWebSocket#bufferedAmount()}). */
    public int payloadLength() {
        return payloadLength;
    }

    /** A fresh read-only view of the frame bytes, for one socket to write. */
    ByteBuffer frame() {
        return frame.duplicate();
    }

    @Override
    public String toString() {
        return "PreparedMessage[" + payloadLength + " payload bytes]";
    }
}
