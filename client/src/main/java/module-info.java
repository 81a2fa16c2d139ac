/**
 * A browser-faithful {@code WebSocket} for Java: the WHATWG WebSockets Standard's interface (the same
 * states, the same errors for the same bad arguments, the same events in the same order), over the
 * Duplex protocol core and NIO transport, with wss and proxies.
 *
 * <p>Package {@code io.duplex.client.internal} (URL parsing, the connection state machine, proxies) is
 * not exported.
 */
module io.duplex.client {
    requires transitive io.duplex.transport;
    requires transitive io.duplex.core;

    exports io.duplex.client;
}
