package io.duplex.server.internal;

import io.duplex.transport.EventLoop;
import io.duplex.transport.Timeout;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One server's connections on one event loop: an intrusive list, walked to stop the server and, once per
 * keepalive period, to sweep the upgraded sockets ({@link KeepAlive}).
 *
 * <h2>Theory of operation</h2>
 * A connection adds itself when it opens and removes itself once its TCP connection has closed, both on the
 * loop. The links live in the connection ({@link ServerConnection#prevOnLoop}, {@link
 * ServerConnection#nextOnLoop}), so the list costs two references per connection and no node objects. While
 * the list is not empty, one timer per loop fires every period and sweeps every connection. A walk reads a
 * connection's successor before visiting it and a removed connection keeps its successor link, so a visit
 * that closes connections cannot break the walk (the transport defers onClosed to the end of the tick
 * anyway, so removals normally fall between walks); a removed connection visited that way ignores the visit.
 *
 * <p>Threading: confined to its loop; other threads reach it with {@link EventLoop#execute}.
 */
final class LoopSockets {

    private final EventLoop loop;
    private final KeepAlive keepAlive;
    private final Runnable sweepTask = this::sweep;
    private ServerConnection first;
    private Timeout sweepTimer;

    LoopSockets(EventLoop loop, KeepAlive keepAlive) {
        this.loop = loop;
        this.keepAlive = keepAlive;
    }

    EventLoop loop() {
        return loop;
    }

    /** Adds a connection that has just opened. */
    void add(ServerConnection connection) {
        connection.nextOnLoop = first;
        if (first != null) {
            first.prevOnLoop = connection;
        }
        first = connection;
        if (sweepTimer == null) {
            sweepTimer = loop.schedule(sweepTask, Duration.ofNanos(keepAlive.periodNanos()));
        }
    }

    /** Removes a connection whose TCP connection has closed; its successor link stays for walks in progress. */
    void remove(ServerConnection connection) {
        ServerConnection prev = connection.prevOnLoop;
        ServerConnection next = connection.nextOnLoop;
        if (prev == null && first != connection) {
            return; // not listed (any more)
        }
        if (prev == null) {
            first = next;
        } else {
            prev.nextOnLoop = next;
        }
        if (next != null) {
            next.prevOnLoop = prev;
        }
        connection.prevOnLoop = null;
    }

    /** Visits every listed connection. */
    void forEach(Consumer<ServerConnection> action) {
        for (ServerConnection c = first; c != null; ) {
            ServerConnection next = c.nextOnLoop;
            action.accept(c);
            c = next;
        }
    }

    private void sweep() {
        sweepTimer = null;
        for (ServerConnection c = first; c != null; ) {
            ServerConnection next = c.nextOnLoop;
            c.sweep(keepAlive);
            c = next;
        }
        if (first != null) {
            sweepTimer = loop.schedule(sweepTask, Duration.ofNanos(keepAlive.periodNanos()));
        }
    }
}
