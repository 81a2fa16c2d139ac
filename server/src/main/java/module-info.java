/**
 * The Duplex WebSocket server: listeners (TCP, TLS, Unix domain sockets), routes by path with an upgrade
 * hook, origin policy, handlers on the event loop or on virtual threads, send with backpressure status,
 * timeouts, graceful stop. Package {@code io.duplex.server.internal} is not exported.
 */
module io.duplex.server {
    requires transitive io.duplex.core;
    requires transitive io.duplex.transport;
    exports io.duplex.server;
}
