package io.duplex.server;

/**
 * Where a route's handler callbacks run.
 *
 * <p>Threading: an enum; immutable.
 */
public enum HandlerExecution {
    /** On the socket's event loop thread: fastest; handlers must not block. The default. */
    EVENT_LOOP,
    /**
     * On a virtual thread of the socket's own, one callback at a time in order: handlers may block (JDBC,
     * HTTP calls). Reading pauses while callbacks fall behind, so memory stays bounded.
     */
    VIRTUAL_THREAD
}
