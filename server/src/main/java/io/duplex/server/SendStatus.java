package io.duplex.server;

/**
 * What became of a message handed to {@link ServerWebSocket#send}.
 *
 * <p>Threading: an enum; immutable.
 */
public enum SendStatus {
    /** Queued, and the socket's buffered amount is within its backpressure limit. */
    SUCCESS,
    /**
     * Queued, but the buffered amount now exceeds the limit: stop sending until
     * {@link WebSocketHandler#onDrain}. Further sends follow the route's {@link BackpressurePolicy}.
     */
    BACKPRESSURE,
    /** Not queued: the socket is closing or closed, or the backpressure policy dropped it. */
    DROPPED
}
