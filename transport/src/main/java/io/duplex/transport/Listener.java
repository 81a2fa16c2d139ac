package io.duplex.transport;

import java.net.SocketAddress;

/**
 * A listening socket accepting connections and handing each to a loop of its {@link EventLoopGroup}
 * (round robin).
 *
 * <p>Threading: safe to use from any thread.
 */
public interface Listener extends AutoCloseable {

    /** The bound address, with the actual port when port 0 was asked for. */
    SocketAddress localAddress();

    /**
     * Stops accepting and closes the listening socket. Connections already accepted stay open. For Unix
     * domain sockets the socket file is deleted. Idempotent.
     */
    @Override
    void close();
}
