package io.duplex.transport.internal;

import io.duplex.transport.ConnectOptions;
import io.duplex.transport.Connection;
import io.duplex.transport.ConnectionHandler;
import io.duplex.transport.EventLoop;
import io.duplex.transport.ListenOptions;
import io.duplex.transport.Listener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What {@link io.duplex.transport.EventLoopGroup} delegates to: the loops, round robin over them, listeners,
 * client connects, the blocked-loop watchdog and shutdown.
 *
 * <p>Threading: thread-safe.
 */
public final class LoopGroup {

    private final List<NioEventLoop> loops;
    private final List<EventLoop> publicLoops;
    private final AtomicInteger nextIndex = new AtomicInteger();
    private final Set<NioListener> listeners = ConcurrentHashMap.newKeySet();
    private final BlockedLoopWatchdog watchdog;
    private volatile boolean shutdown;

    /**
     * Starts {@code loopCount} loops named {@code threadNamePrefix + index}, and a watchdog when
     * {@code blockedLoopThreshold} is positive. {@code lingerTimeout}: see
     * {@link io.duplex.transport.EventLoopGroup.Builder#lingerTimeout}.
     */
    public LoopGroup(int loopCount, String threadNamePrefix, Duration blockedLoopThreshold, int receiveBufferSize,
            Duration lingerTimeout) {
        if (loopCount < 1) {
            throw new IllegalArgumentException("an event loop group needs at least 1 loop, was " + loopCount);
        }
        Objects.requireNonNull(threadNamePrefix, "threadNamePrefix");
        Objects.requireNonNull(blockedLoopThreshold, "blockedLoopThreshold");
        if (lingerTimeout.isNegative()) {
            throw new IllegalArgumentException("linger timeout must not be negative, was " + lingerTimeout);
        }
        List<NioEventLoop> created = new ArrayList<>(loopCount);
        try {
            for (int i = 0; i < loopCount; i++) {
                created.add(new NioEventLoop(threadNamePrefix + i, receiveBufferSize, lingerTimeout));
            }
        } catch (RuntimeException e) {
            created.forEach(NioEventLoop::discard); // threads not started yet: close their selectors
            throw e;
        }
        this.loops = List.copyOf(created);
        this.publicLoops = List.copyOf(created);
        loops.forEach(NioEventLoop::start);
        this.watchdog = blockedLoopThreshold.isZero() || blockedLoopThreshold.isNegative()
                ? null
                : BlockedLoopWatchdog.start(loops, blockedLoopThreshold, threadNamePrefix + "watchdog");
    }

    /** The loops, in a fixed order. */
    public List<EventLoop> loops() {
        return publicLoops;
    }

    /** The next loop, round robin. */
    public NioEventLoop next() {
        return loops.get(Math.floorMod(nextIndex.getAndIncrement(), loops.size()));
    }

    /** Binds and starts accepting; see {@link io.duplex.transport.EventLoopGroup#listen}. */
    public Listener listen(ListenOptions options, Supplier<? extends ConnectionHandler> handlers) throws IOException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handlers, "handlers");
        if (shutdown) {
            throw new IOException("cannot listen on " + options.address() + ": the event loop group has shut down");
        }
        NioListener listener = NioListener.open(this, next(), options, handlers);
        listeners.add(listener);
        if (shutdown) {
            listener.closeAsync(); // shutdown ran while we were binding and did not see this listener
        }
        return listener;
    }

    /** Opens a client connection; see {@link io.duplex.transport.EventLoopGroup#connect}. */
    public CompletableFuture<Connection> connect(ConnectOptions options, ConnectionHandler handler) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        CompletableFuture<Connection> future = new CompletableFuture<>();
        SocketAddress remote = options.remote();
        SocketChannel channel;
        try {
            if (remote instanceof UnixDomainSocketAddress) {
                channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channel.configureBlocking(false);
            } else if (remote instanceof InetSocketAddress) {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } else {
                throw new IllegalArgumentException("cannot connect to a " + remote.getClass().getName()
                        + "; an InetSocketAddress or a UnixDomainSocketAddress is needed");
            }
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        NioEventLoop loop = next();
        try {
            loop.execute(() -> NioConnection.connect(loop, channel, options, handler, future));
        } catch (RejectedExecutionException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            future.completeExceptionally(e);
        }
        return future;
    }

    /** Stops everything; see {@link io.duplex.transport.EventLoopGroup#shutdown}. */
    public boolean shutdown(Duration timeout) {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        if (!shutdown) {
            shutdown = true;
            for (NioListener listener : listeners) {
                listener.closeAsync();
            }
            loops.forEach(NioEventLoop::shutdown);
            if (watchdog != null) {
                watchdog.stop();
            }
        }
        boolean ended = true;
        for (NioEventLoop loop : loops) {
            Thread thread = loop.thread();
            if (thread == Thread.currentThread()) {
                ended = false; // a loop cannot wait for itself; it ends after this tick
                continue;
            }
            try {
                thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            ended &= !thread.isAlive();
        }
        if (watchdog != null) {
            try {
                ended &= watchdog.awaitEnd(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return ended;
    }

    void forget(NioListener listener) {
        listeners.remove(listener);
    }
}
