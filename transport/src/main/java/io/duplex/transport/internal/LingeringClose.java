package io.duplex.transport.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The last phase of a graceful {@link NioConnection#close()}, the lingering close: the socket's output is shut
 * down and its input is read and thrown away until the peer ends its side, so that the socket is never closed
 * with unread input.
 *
 * <p>Why: closing a socket whose receive queue still holds bytes makes Linux answer with a reset instead of
 * an orderly end of stream (for TCP and Unix domain sockets alike), and a peer that gets the reset may lose
 * what was written last, before it reads it: a WebSocket close frame, an HTTP error response. That happens
 * precisely when the peer is still sending, for example the rest of a message refused for its size.
 *
 * <p>Theory of operation. Once everything queued (and, for TLS, the close_notify) is written, the connection
 * shuts down the socket's output (the peer reads the end of the stream right after our last byte), hands its
 * selection key to this handle with OP_READ set whether or not its reading was paused, and arms the linger
 * deadline. On each readiness event this handle reads into the loop's shared receive buffer, up to
 * {@value NioConnection#READS_PER_EVENT} times, and discards the bytes (TLS records are not decrypted: the
 * peer's close_notify and whatever follows it are only bytes now). The handler hears nothing of them, nor of
 * the end of input. Lingering ends, and the connection closes the socket and calls {@code onClosed} with a
 * null cause, at the first of: the peer's end of stream; a read error (typically the peer's reset: there is
 * nothing left to protect); {@value #DISCARD_LIMIT} bytes discarded (so that a peer that keeps streaming
 * cannot hold the connection open until the deadline); the deadline, whose timer the connection owns.
 * {@link io.duplex.transport.Connection#abort()} and a loop shutdown go through the connection as in any
 * other state.
 *
 * <p>Threading: confined to the connection's loop thread.
 */
final class LingeringClose implements IoHandle {

    private static final System.Logger LOG = System.getLogger(LingeringClose.class.getName());

    /** Bytes discarded after which lingering ends even if the peer is still sending: 1 MiB. */
    static final int DISCARD_LIMIT = 1 << 20;

    private final NioConnection connection;
    private final SocketChannel channel;
    private final ByteBuffer buffer;
    private long discarded;

    /** @param receiveBuffer the loop's shared receive buffer */
    LingeringClose(NioConnection connection, SocketChannel channel, ByteBuffer receiveBuffer) {
        this.connection = connection;
        this.channel = channel;
        this.buffer = receiveBuffer;
    }

    @Override
    public void onReady(int readyOps) {
        if ((readyOps & SelectionKey.OP_READ) == 0) {
            return;
        }
        try {
            for (int i = 0; i < NioConnection.READS_PER_EVENT; i++) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    connection.lingerEnded();
                    return;
                }
                discarded += n;
                if (discarded >= DISCARD_LIMIT) {
                    LOG.log(System.Logger.Level.DEBUG, () -> connection + ": the peer sent " + discarded
                            + " bytes after the close, over the limit " + DISCARD_LIMIT + "; closing without waiting for its end");
                    connection.lingerEnded();
                    return;
                }
                if (n < buffer.capacity()) {
                    return; // the kernel had no more
                }
            }
        } catch (IOException e) {
            connection.lingerEnded();
        }
    }

    @Override
    public void onLoopShutdown() {
        connection.onLoopShutdown();
    }

    @Override
    public String toString() {
        return "LingeringClose[" + connection + ", " + discarded + " bytes discarded]";
    }
}
