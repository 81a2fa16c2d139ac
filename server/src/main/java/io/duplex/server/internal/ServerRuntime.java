package io.duplex.server.internal;

import io.duplex.transport.ConnectionHandler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The state a running server shares among its connections: the configuration and router, the live
 * connections, the open-socket count, and the stop protocol.
 *
 * <h2>Theory of operation</h2>
 * <pre>
 *   RUNNING --beginStop()--&gt; STOPPING --everything released, or terminateAll()--&gt; (stopped)
 * </pre>
 * A connection is live from its handler's creation until it is released: its TCP connection has closed and,
 * if it was upgraded, its onClose callback has returned. {@link #beginStop()} sets the stopping flag, then
 * asks each live connection, on its own loop, to answer 503 (handshake in progress) or close with 1001
 * (upgraded). A connection that registers after the snapshot sees the flag itself, since it registers
 * before it reads the flag. {@link #awaitReleased} waits on this object's monitor for the live set to empty.
 *
 * <p>Threading: thread-safe; the live set is guarded by this object's monitor.
 */
public final class ServerRuntime {

    private final ServerConfig config;
    private final Router router;
    private final AtomicInteger openSockets = new AtomicInteger();
    private final Set<ServerConnection> live = new HashSet<>();
    private volatile boolean stopping;

    /**
     * @param config the server's settings
     * @throws IllegalArgumentException if two routes or two HTTP handlers share a path
     */
    public ServerRuntime(ServerConfig config) {
        this.config = config;
        this.router = new Router(config.routes(), config.httpRoutes());
    }

    /** A handler for a new connection accepted on a listener that is {@code secure} (TLS) or not. */
    public ConnectionHandler newConnection(boolean secure) {
        return new ServerConnection(this, secure);
    }

    /** Upgraded sockets currently open. */
    public int openSockets() {
        return openSockets.get();
    }

    /** Connections not yet released. */
    public synchronized int liveConnections() {
        return live.size();
    }

    ServerConfig config() {
        return config;
    }

    Router router() {
        return router;
    }

    boolean stopping() {
        return stopping;
    }

    synchronized void register(ServerConnection connection) {
        live.add(connection);
    }

    synchronized void release(ServerConnection connection) {
        if (live.remove(connection) && live.isEmpty()) {
            notifyAll();
        }
    }

    void socketOpened() {
        openSockets.incrementAndGet();
    }

    void socketClosed() {
        openSockets.decrementAndGet();
    }

    /** Starts a graceful stop: 503 for handshakes in progress, 1001 for open sockets. */
    public void beginStop() {
        stopping = true;
        for (ServerConnection connection : snapshot()) {
            connection.runOnLoop(connection::serverStopping);
        }
    }

    /** Aborts every connection still live. */
    public void terminateAll() {
        for (ServerConnection connection : snapshot()) {
            connection.runOnLoop(connection::terminate);
        }
    }

    /** Waits until every connection is released or {@code deadlineNanos} (System.nanoTime) passes. */
    public synchronized boolean awaitReleased(long deadlineNanos) throws InterruptedException {
        while (!live.isEmpty()) {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
        return true;
    }

    private synchronized List<ServerConnection> snapshot() {
        return new ArrayList<>(live);
    }

    /** Runs {@code task} on a loop, ignoring a loop that has already shut down (its connections are gone). */
    static void execute(io.duplex.transport.EventLoop loop, Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // The loop is gone and with it the connection.
        }
    }
}
