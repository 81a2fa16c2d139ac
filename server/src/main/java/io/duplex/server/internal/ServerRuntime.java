package io.duplex.server.internal;

import io.duplex.transport.ConnectionHandler;
import io.duplex.transport.EventLoop;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The state a running server shares among its connections: the configuration and router, the live
 * connections, the open-socket count, and the stop protocol.
 *
 * <h2>Theory of operation</h2>
 * <pre>
 *   RUNNING --beginStop()--&gt; STOPPING --everything released, or terminateAll()--&gt; (stopped)
 * </pre>
 * A connection is live from its open until it is released: its TCP connection has closed and, if it was
 * upgraded, its onClose callback has returned. Open connections are listed per loop ({@link LoopSockets},
 * confined to the loop; no shared set, no node per connection) until their TCP connection closes; the
 * runtime only counts the live ones. {@link #beginStop()} sets the stopping flag, then asks each loop to
 * walk its list and have each connection answer 503 (handshake in progress) or close with 1001 (upgraded).
 * A connection that registers after its loop's walk sees the flag itself, since it registers before it
 * reads the flag. {@link #awaitReleased} waits on this object's monitor for the live count to reach zero.
 *
 * <p>Threading: thread-safe; the per-loop lists are reached on their loops only.
 */
public final class ServerRuntime {

    private final ServerConfig config;
    private final Router router;
    private final KeepAlive keepAlive;
    private final AtomicInteger openSockets = new AtomicInteger();
    private final AtomicInteger live = new AtomicInteger();
    private final ConcurrentHashMap<EventLoop, LoopSockets> loops = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    /**
     * Request paths seen lately, so that the sockets of one path share one String: direct-mapped by hash,
     * written racily by the loops (a String is safe to publish that way; a lost write only costs sharing).
     */
    private final String[] recentPaths = new String[64];

    /**
     * @param config the server's settings
     * @throws IllegalArgumentException if two routes or two HTTP handlers share a path
     */
    public ServerRuntime(ServerConfig config) {
        this.config = config;
        this.router = new Router(config.routes(), config.httpRoutes());
        this.keepAlive = KeepAlive.forRoutes(config.routes());
    }

    /** A handler for a new connection accepted on a listener that is {@code secure} (TLS) or not. */
    public ConnectionHandler newConnection(boolean secure) {
        return new WebSocketSession(this, secure);
    }

    /** Upgraded sockets currently open. */
    public int openSockets() {
        return openSockets.get();
    }

    /** Connections not yet released. */
    public int liveConnections() {
        return live.get();
    }

    /** {@code path}, or an equal String already held for an earlier socket. */
    String sharedPath(String path) {
        if (path.length() > 256) {
            return path; // not worth keeping
        }
        int slot = path.hashCode() & (recentPaths.length - 1);
        String known = recentPaths[slot];
        if (path.equals(known)) {
            return known;
        }
        recentPaths[slot] = path;
        return path;
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

    /** A connection opened on {@code loop}. On that loop. */
    void register(ServerConnection connection, EventLoop loop) {
        live.incrementAndGet();
        LoopSockets sockets = loops.get(loop);
        if (sockets == null) {
            sockets = loops.computeIfAbsent(loop, l -> new LoopSockets(l, keepAlive));
        }
        sockets.add(connection);
    }

    /** A connection's TCP connection closed. On its loop. */
    void closed(ServerConnection connection, EventLoop loop) {
        LoopSockets sockets = loops.get(loop);
        if (sockets != null) {
            sockets.remove(connection);
        }
    }

    /** A connection is released (closed, and its onClose has returned). On any thread. */
    void release() {
        if (live.decrementAndGet() == 0) {
            synchronized (this) {
                notifyAll();
            }
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
        forEachOnItsLoop(ServerConnection::serverStopping);
    }

    /** Aborts every connection still open. */
    public void terminateAll() {
        forEachOnItsLoop(ServerConnection::terminate);
    }

    private void forEachOnItsLoop(Consumer<ServerConnection> action) {
        for (LoopSockets sockets : loops.values()) {
            execute(sockets.loop(), () -> sockets.forEach(action));
        }
    }

    /** Waits until every connection is released or {@code deadlineNanos} (System.nanoTime) passes. */
    public synchronized boolean awaitReleased(long deadlineNanos) throws InterruptedException {
        while (live.get() != 0) {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, remaining);
        }
        return true;
    }

    /** Runs {@code task} on a loop, ignoring a loop that has already shut down (its connections are gone). */
    static void execute(EventLoop loop, Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // The loop is gone and with it the connection.
        }
    }
}
