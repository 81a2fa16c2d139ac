package io.duplex.server;

/**
 * Why a server-side WebSocket ended, beyond its close code.
 *
 * <p>Threading: an enum; immutable.
 */
public enum CloseCause {
    /** The closing handshake completed (started by either side). */
    CLEAN,
    /** The peer closed TCP or reset it without a closing handshake (code 1006). */
    PEER_WENT_AWAY,
    /** The idle timeout, the pong deadline or the close timeout expired. */
    TIMEOUT,
    /** The peer broke the protocol or a limit (1002, 1007, 1009, 1010); see the close status. */
    PROTOCOL_ERROR,
    /** The backpressure policy closed the socket (1008 or 1013). */
    BACKPRESSURE,
    /** The server is stopping (1001). */
    SERVER_STOPPING,
    /** {@link ServerWebSocket#terminate()} was called. */
    TERMINATED,
    /** A handler threw or the server failed internally (1011). */
    INTERNAL_ERROR
}
