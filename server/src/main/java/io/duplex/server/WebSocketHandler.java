package io.duplex.server;

import io.duplex.core.Opcode;
import java.nio.ByteBuffer;

/**
 * The application's side of a route: callbacks for one socket at a time.
 *
 * <p>Threading: callbacks for one socket never run concurrently and arrive in order; by default on the
 * socket's event loop (must not block), or on a virtual thread per socket with
 * {@link HandlerExecution#VIRTUAL_THREAD}. One handler instance serves every socket of its route. An
 * exception from a callback is passed to {@link #onError} and closes the socket with 1011.
 */
public interface WebSocketHandler {

    /** The upgrade completed; the socket is open. */
    default void onOpen(ServerWebSocket socket) {}

    /** A whole text message arrived (routes without streaming). */
    default void onText(ServerWebSocket socket, String text) {}

    /** A whole binary message arrived (routes without streaming). The buffer is the handler's to keep. */
    default void onBinary(ServerWebSocket socket, ByteBuffer data) {}

    /**
     * A piece of a message arrived (routes with streaming on). {@code type} is {@link Opcode#TEXT} or
     * {@link Opcode#BINARY}; text pieces are valid UTF-8 up to a character boundary; {@code last} ends the
     * message.
     */
    default void onFragment(ServerWebSocket socket, Opcode type, ByteBuffer payload, boolean last) {}

    /** A ping arrived; the pong has already been sent. */
    default void onPing(ServerWebSocket socket, ByteBuffer applicationData) {}

    /** A pong arrived. */
    default void onPong(ServerWebSocket socket, ByteBuffer applicationData) {}

    /** The buffered amount fell back to zero after a send answered {@link SendStatus#BACKPRESSURE}. */
    default void onDrain(ServerWebSocket socket) {}

    /** The socket is closed. Called once, last. */
    default void onClose(ServerWebSocket socket, CloseInfo close) {}

    /**
     * Something went wrong: a protocol error by the peer (then {@link #onClose} follows with the code sent),
     * a handler exception, or an I/O error.
     */
    default void onError(ServerWebSocket socket, Throwable error) {}
}
