package io.duplex.transport.internal;

import io.duplex.transport.ConnectionHandler;
import io.duplex.transport.ListenOptions;
import io.duplex.transport.Listener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A listening socket registered on one loop; accepted sockets go round robin to the group's loops.
 *
 * <p>Theory of operation. On OP_ACCEPT the listener accepts until the backlog is empty or
 * {@value #ACCEPTS_PER_EVENT} sockets were taken, and hands each to the next loop, where the handler
 * supplier is called and the connection opens. When accept fails (typically EMFILE, "Too many open files")
 * the listener drops OP_ACCEPT for {@code 100 ms} instead of spinning on a backlog it cannot drain, and logs
 * the failure at most once a minute.
 *
 * <p>Threading: {@link #close()} and {@link #localAddress()} from any thread; the rest on its loop thread.
 */
final class NioListener implements Listener, IoHandle {

    private static final System.Logger LOG = System.getLogger(NioListener.class.getName());
    static final int ACCEPTS_PER_EVENT = 64;
    static final Duration ACCEPT_BACKOFF = Duration.ofMillis(100);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final LoopGroup group;
    private final NioEventLoop loop;
    private final ServerSocketChannel channel;
    private final ListenOptions options;
    private final Supplier<? extends ConnectionHandler> handlers;
    private final SocketAddress localAddress;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private SelectionKey key;
    private long lastFailureLogged;
    private boolean failureEverLogged;

    private NioListener(LoopGroup group, NioEventLoop loop, ServerSocketChannel channel, ListenOptions options,
            Supplier<? extends ConnectionHandler> handlers) throws IOException {
        this.group = group;
        this.loop = loop;
        this.channel = channel;
        this.options = options;
        this.handlers = handlers;
        this.localAddress = channel.getLocalAddress();
    }

    /** Binds now (so bind errors reach the caller) and registers on {@code loop} asynchronously. */
    static NioListener open(LoopGroup group, NioEventLoop loop, ListenOptions options,
            Supplier<? extends ConnectionHandler> handlers) throws IOException {
        SocketAddress address = options.address();
        boolean unix = address instanceof UnixDomainSocketAddress;
        if (!unix && !(address instanceof InetSocketAddress)) {
            throw new IllegalArgumentException("cannot listen on a " + address.getClass().getName()
                    + "; an InetSocketAddress or a UnixDomainSocketAddress is needed");
        }
        ServerSocketChannel channel = unix ? ServerSocketChannel.open(StandardProtocolFamily.UNIX) : ServerSocketChannel.open();
        NioListener listener;
        try {
            if (!unix) {
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            channel.bind(address, options.backlog());
            channel.configureBlocking(false);
            listener = new NioListener(group, loop, channel, options, handlers);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        try {
            loop.execute(listener::register);
        } catch (RejectedExecutionException e) {
            listener.closeOnLoop();
            throw new IOException("cannot listen on " + address + ": the event loop group has shut down", e);
        }
        return listener;
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void close() {
        if (closed.isDone()) {
            return;
        }
        if (loop.inEventLoop()) {
            closeOnLoop();
            return;
        }
        try {
            loop.execute(this::closeOnLoop);
            closed.get(5, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            closeOnLoop(); // the loop has gone: nobody else touches the channel now
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the listener on " + localAddress + " did not finish in 5 s", e);
        }
    }

    /** Closes without waiting for the loop. Any thread. */
    void closeAsync() {
        try {
            loop.execute(this::closeOnLoop);
        } catch (RejectedExecutionException e) {
            closeOnLoop();
        }
    }

    @Override
    public void onReady(int readyOps) {
        for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
            SocketChannel accepted;
            try {
                accepted = channel.accept();
            } catch (IOException e) {
                backOff(e);
                return;
            }
            if (accepted == null) {
                return;
            }
            handOff(accepted);
        }
    }

    @Override
    public void onLoopShutdown() {
        closeOnLoop();
    }

    @Override
    public String toString() {
        return "Listener[" + localAddress + "]";
    }

    private void register() {
        if (closed.isDone()) {
            return;
        }
        try {
            key = loop.register(channel, SelectionKey.OP_ACCEPT, this);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot register the listener on " + localAddress + "; closing it", e);
            closeOnLoop();
        }
    }

    private void handOff(SocketChannel accepted) {
        boolean unix = localAddress instanceof UnixDomainSocketAddress;
        try {
            accepted.configureBlocking(false);
            if (!unix) {
                accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
        } catch (IOException e) {
            closeQuietly(accepted); // the peer is already gone
            return;
        }
        NioEventLoop target = group.next();
        if (target == loop) {
            adopt(target, accepted);
            return;
        }
        try {
            target.execute(() -> adopt(target, accepted));
        } catch (RejectedExecutionException e) {
            closeQuietly(accepted);
        }
    }

    private void adopt(NioEventLoop target, SocketChannel accepted) {
        ConnectionHandler handler;
        try {
            handler = handlers.get();
            if (handler == null) {
                throw new NullPointerException("the handler supplier returned null");
            }
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "no handler for a connection accepted on " + localAddress + "; closing it", t);
            closeQuietly(accepted);
            return;
        }
        NioConnection.accepted(target, accepted, handler, options);
    }

    private void backOff(IOException e) {
        long now = System.nanoTime();
        if (!failureEverLogged || now - lastFailureLogged > LOG_INTERVAL_NANOS) {
            failureEverLogged = true;
            lastFailureLogged = now;
            LOG.log(System.Logger.Level.WARNING, "accept on " + localAddress + " failed (" + e.getMessage()
                    + "); pausing accepts for " + ACCEPT_BACKOFF.toMillis() + " ms (logged at most once a minute)", e);
        }
        if (key != null && key.isValid()) {
            key.interestOps(0);
            loop.schedule(() -> {
                if (key.isValid()) {
                    key.interestOps(SelectionKey.OP_ACCEPT);
                }
            }, ACCEPT_BACKOFF);
        }
    }

    private void closeOnLoop() {
        if (closed.isDone()) {
            return;
        }
        closeQuietly(channel);
        if (localAddress instanceof UnixDomainSocketAddress unix) {
            try {
                Files.deleteIfExists(unix.getPath());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot delete the socket file " + unix.getPath(), e);
            }
        }
        group.forget(this);
        closed.complete(null);
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException e) {
            // Closing releases the descriptor even when it reports an error.
        }
    }
}
