/**
 * The WebSocket protocol (RFC 6455, with the extension framework that RFC 7692 builds on), sans-I/O.
 *
 * <p>Bytes in, events out; calls in, bytes out. This module has no sockets, threads, clocks, logging or
 * dependencies: transports in other modules integrate it. Its objects are not thread-safe; each is
 * confined to one owner thread (typically an event loop), which is the contract everywhere below.
 */
module io.duplex.core {
    exports io.duplex.core;
    exports io.duplex.core.frame;
    exports io.duplex.core.handshake;
    exports io.duplex.core.extension;
}
