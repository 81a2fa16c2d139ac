package io.duplex.transport;

import io.duplex.transport.internal.LoopGroup;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A fixed set of {@link EventLoop}s (default: one per available processor), and the entry points that
 * put connections on them: {@link #listen} for servers, {@link #connect} for clients.
 *
 * <p>Loop threads are not daemons, so a server's main thread may return once it listens; {@link #shutdown}
 * (or {@link #close()}) ends them. Timers have a 10 ms resolution (a timer runs up to one tick late, never
 * early).
 *
 * <p>Threading: thread-safe.
 */
public final class EventLoopGroup implements AutoCloseable {

    private final LoopGroup group;

    private EventLoopGroup(Builder builder) {
        int loops = builder.loops == 0 ? Runtime.getRuntime().availableProcessors() : builder.loops;
        this.group = new LoopGroup(loops, builder.threadNamePrefix, builder.blockedLoopThreshold, builder.receiveBufferSize,
                builder.lingerTimeout);
    }

    /** A group of {@code loops} loops (0 means one per available processor), other settings default. */
    public static EventLoopGroup create(int loops) {
        return builder().loops(loops).build();
    }

    /** A builder with the defaults documented on each setter. */
    public static Builder builder() {
        return new Builder();
    }

    /** The loops, in a fixed order. */
    public List<EventLoop> loops() {
        return group.loops();
    }

    /** The next loop in round-robin order, for a new connection or a client. */
    public EventLoop next() {
        return group.next();
    }

    /**
     * Binds a listening socket (TCP on IPv4 or IPv6, or a Unix domain socket) and starts accepting.
     * Each accepted connection gets a handler from {@code handlers} (called on the connection's loop)
     * and is pinned to the next loop in round-robin order.
     *
     * @throws IOException if the address cannot be bound
     */
    public Listener listen(ListenOptions options, Supplier<? extends ConnectionHandler> handlers) throws IOException {
        return group.listen(options, handlers);
    }

    /**
     * Opens a client connection on the next loop. The future completes with the connection when
     * {@link ConnectionHandler#onOpen} has been called (after the TLS handshake, for TLS), or
     * exceptionally on failure or after {@link ConnectOptions#connectTimeout()} (in which case
     * {@link ConnectionHandler#onClosed} is called with the same cause).
     */
    public CompletableFuture<Connection> connect(ConnectOptions options, ConnectionHandler handler) {
        return group.connect(options, handler);
    }

    /**
     * Stops every loop: aborts the connections still open (including those still lingering after
     * {@link Connection#close()}, see {@link Builder#lingerTimeout}), closes listeners, and waits up to
     * {@code timeout} for the threads to end. Returns whether they ended in time.
     */
    public boolean shutdown(Duration timeout) {
        return group.shutdown(timeout);
    }

    /** {@link #shutdown(Duration)} with 5 seconds. */
    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }

    /**
     * Settings of an {@link EventLoopGroup}.
     *
     * <p>Threading: not thread-safe; build on one thread.
     */
    public static final class Builder {
        int loops;
        String threadNamePrefix = "duplex-loop-";
        Duration blockedLoopThreshold = Duration.ofSeconds(1);
        int receiveBufferSize = 64 * 1024;
        Duration lingerTimeout = Duration.ofSeconds(2);

        private Builder() {}

        /** Number of loops; 0 (the default) means {@link Runtime#availableProcessors()}. */
        public Builder loops(int loops) {
            if (loops < 0) {
                throw new IllegalArgumentException("loops must be >= 0, was " + loops);
            }
            this.loops = loops;
            return this;
        }

        /** Thread names are this prefix plus the loop's index. Default "duplex-loop-". */
        public Builder threadNamePrefix(String prefix) {
            this.threadNamePrefix = prefix;
            return this;
        }

        /**
         * A loop whose current task or callback has run longer than this is reported once, with its stack,
         * through {@link System.Logger} at WARNING. Default 1 second; {@link Duration#ZERO} turns it off.
         */
        public Builder blockedLoopThreshold(Duration threshold) {
            this.blockedLoopThreshold = threshold;
            return this;
        }

        /** Size of each loop's shared receive buffer (direct). Default 64 KiB. */
        public Builder receiveBufferSize(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("receive buffer of " + bytes + " bytes is below the minimum 1024");
            }
            this.receiveBufferSize = bytes;
            return this;
        }

        /**
         * How long {@link Connection#close()} keeps a connection lingering, at most, before it closes the socket.
         * Default 2 seconds.
         *
         * <p>Why: closing a socket while the peer's bytes are still unread makes the kernel (Linux, for TCP
         * and Unix domain sockets alike) answer with a reset instead of an orderly end of stream, and a reset
         * may discard what was written last (a WebSocket close frame, an HTTP error response) before the peer
         * reads it. That is likely exactly when the peer is still sending, such as the rest of a message that
         * was refused for its size. So, once everything queued (and, for TLS, the close_notify) has been
         * written, a graceful close shuts down the socket's output (the peer sees the end of the stream after
         * the last byte) and keeps reading, discarding what arrives, until the peer ends its side too, this
         * timeout passes, or 1 MiB has been discarded (so that a peer that keeps streaming cannot hold the
         * connection open); only then does it close the socket and call {@link ConnectionHandler#onClosed}.
         * Nothing read while lingering reaches the handler, and it is not told of the peer's end of input.
         * {@link Connection#abort()} does not linger, and {@link #shutdown} aborts connections that are still
         * lingering. A connection whose peer had already ended its input closes at once.
         *
         * @param timeout the longest wait; {@link Duration#ZERO} closes the socket as soon as the output is
         *     written, without lingering
         * @throws IllegalArgumentException if {@code timeout} is negative
         */
        public Builder lingerTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("linger timeout must not be negative, was " + timeout);
            }
            this.lingerTimeout = timeout;
            return this;
        }

        /** Starts the loops' threads and returns the group. */
        public EventLoopGroup build() {
            return new EventLoopGroup(this);
        }
    }
}
