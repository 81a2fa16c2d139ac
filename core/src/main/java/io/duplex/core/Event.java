package io.duplex.core;

import java.nio.ByteBuffer;

/**
 * What a {@link WebSocketConnection} reports after it received bytes or end of stream. Each event owns
 * its data: buffers in events are fresh copies that the application may keep.
 *
 * <p>Threading: immutable values, except that the buffers inside may be read or changed by their new owner.
 */
public sealed interface Event {

    /**
     * A whole text message (assembled mode).
     *
     * @param text the message, decoded from UTF-8 that was validated as it arrived
     */
    record Text(String text) implements Event {
    }

    /**
     * A whole binary message (assembled mode).
     *
     * @param data the message bytes, position 0, limit the size
     */
    record Binary(ByteBuffer data) implements Event {
    }

    /**
     * A piece of a data message (streaming mode): the primitive that {@link MessageAssembler} turns into
     * {@link Text} and {@link Binary}. Pieces follow the bytes as they arrive, not frame boundaries.
     *
     * @param type {@link Opcode#TEXT} or {@link Opcode#BINARY}: the type of the whole message
     * @param payload the bytes of this piece; for text, valid UTF-8 so far, possibly ending inside a
     *     code point that the next piece completes
     * @param last whether this piece ends the message
     */
    record Fragment(Opcode type, ByteBuffer payload, boolean last) implements Event {
    }

    /**
     * A ping arrived; the connection has already queued the pong (RFC 6455 5.5.2).
     *
     * @param payload the application data, 0-125 bytes
     */
    record Ping(ByteBuffer payload) implements Event {
    }

    /**
     * A pong arrived, solicited or not (RFC 6455 5.5.3).
     *
     * @param payload the application data, 0-125 bytes
     */
    record Pong(ByteBuffer payload) implements Event {
    }

    /**
     * The peer's close frame arrived (RFC 6455 5.5.1). If this side had not sent one, the echo is already
     * queued. Nothing the peer sends after it is processed.
     *
     * @param status the peer's code and reason; {@link CloseStatus#NO_STATUS} for an empty close frame
     */
    record CloseReceived(CloseStatus status) implements Event {
    }

    /**
     * The peer broke the protocol: the connection failed (RFC 6455 7.1.7). The close frame with the
     * failure's code is queued, nothing more is processed, and the transport should close once the
     * output is flushed.
     *
     * @param cause the rule broken and the close code sent
     */
    record Failure(ProtocolException cause) implements Event {
    }

    /**
     * The connection is over: the last event, reported once, after end of stream.
     *
     * @param status the status to report: the peer's close status after a closing handshake, the code
     *     sent on a failure, or {@link CloseStatus#ABNORMAL} (1006) when the stream ended without a close
     *     frame (RFC 6455 7.1.5)
     * @param wasClean true when both close frames were exchanged before the stream ended (RFC 6455 7.1.4)
     */
    record Closed(CloseStatus status, boolean wasClean) implements Event {
    }
}
