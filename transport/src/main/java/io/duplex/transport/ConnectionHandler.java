package io.duplex.transport;

import java.nio.ByteBuffer;

/**
 * What a connection's owner is told. One handler per connection.
 *
 * <p>Threading: every callback runs on the connection's loop thread, one at a time, never concurrently.
 * A callback must not block: the loop serves every other connection pinned to it. An exception thrown
 * from a callback aborts that connection (and is passed to {@link #onClosed}); it never kills the loop.
 */
public interface ConnectionHandler {

    /** The connection is established (for TLS: the TLS handshake has completed). Called once, first. */
    void onOpen(Connection connection);

    /**
     * Bytes arrived. {@code data} is the loop's shared receive buffer: it is valid only during this call,
     * and the handler must consume or copy what it needs before returning.
     */
    void onData(Connection connection, ByteBuffer data);

    /**
     * Everything queued has been written after a write that could not complete at once (the kernel's send
     * buffer had filled). Use it to resume producing output.
     */
    default void onWritable(Connection connection) {}

    /**
     * The peer will send nothing more (TCP FIN, or TLS close_notify). The default closes the connection.
     */
    default void onEndOfInput(Connection connection) {
        connection.close();
    }

    /**
     * The socket is closed. Called exactly once, last, after {@link #onOpen} or in place of it when the
     * connection never opened (a failed TLS handshake or connect).
     *
     * @param cause why, or {@code null} when the connection was closed by {@link Connection#close()} (also
     *     when an abort or a shutdown cut its lingering short) or after an orderly end of input
     */
    void onClosed(Connection connection, Throwable cause);
}
