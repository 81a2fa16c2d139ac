/**
 * Non-blocking byte transport for Duplex: NIO event loops (one {@link java.nio.channels.Selector} per
 * thread, each connection pinned to one loop for life), TLS through {@link javax.net.ssl.SSLEngine} as a
 * layer around a connection, per-loop timers, and corked, gathered writes.
 *
 * <p>The transport knows nothing of WebSocket: the server and client modules integrate it with the
 * sans-I/O protocol core. Package {@code io.duplex.transport.internal} is not exported.
 */
module io.duplex.transport {
    exports io.duplex.transport;
}
