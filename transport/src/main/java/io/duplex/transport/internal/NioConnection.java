package io.duplex.transport.internal;

import io.duplex.transport.ConnectOptions;
import io.duplex.transport.Connection;
import io.duplex.transport.ConnectionHandler;
import io.duplex.transport.EventLoop;
import io.duplex.transport.Timeout;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSession;

/**
 * One connection and its state machine.
 *
 * <pre>
 *   CONNECTING --TCP connected--> OPEN --close()--> CLOSING --output written--> CLOSED
 *   (client)                       ^                                               ^
 *   any state --abort(), I/O error, handler exception, timeout, loop shutdown------+
 * </pre>
 *
 * <p>Theory of operation. Reads go straight from the socket into the loop's shared receive buffer and on to
 * {@link ConnectionHandler#onData}, up to {@value #READS_PER_EVENT} reads per readiness event. Writes are
 * corked: {@link #write} appends to a {@link WriteQueue} (allocated only while output is pending) and asks the
 * loop to flush this connection at the end of the tick, where everything queued goes out through the loop's
 * {@link SocketWriter}. A short write registers OP_WRITE and holds further flushes until the selector says
 * the socket is writable again; when the queue then drains, OP_WRITE is dropped and
 * {@link ConnectionHandler#onWritable} runs. End of input (read returns -1) drops OP_READ and calls
 * {@link ConnectionHandler#onEndOfInput}; the connection stays writable until someone closes it.
 * {@link ConnectionHandler#onClosed} runs exactly once, deferred to the loop's local queue so that it never
 * runs inside another callback of the same connection; a client's connect future completes after it.
 *
 * <p>The cause handed to {@code onClosed}: null after {@link #close()}; the exception for I/O errors, handler
 * exceptions and failed connects; a {@link java.net.SocketTimeoutException} for a connect timeout; an
 * {@link IOException} naming the reason after {@link #abort()} or a loop shutdown.
 *
 * <p>Threading: confined to the loop thread, except {@link #loop()}, {@link #localAddress()},
 * {@link #remoteAddress()} and {@link #isOpen()}.
 */
public final class NioConnection implements Connection, IoHandle {

    /** Reads per readiness event before other connections get a turn. */
    static final int READS_PER_EVENT = 16;

    private enum State { CONNECTING, OPEN, CLOSING, CLOSED }

    private final NioEventLoop loop;
    private final SocketChannel channel;
    private final ConnectionHandler handler;
    private SelectionKey key;
    private volatile State state;
    private SocketAddress localAddress;
    private SocketAddress remoteAddress;
    /** Output for the socket; null while nothing is pending. */
    private WriteQueue out;
    /** Connect timeout, until open. */
    private Timeout openTimer;
    /** A client's connect future, until it completes. */
    private CompletableFuture<Connection> connectFuture;
    private boolean readingPaused;
    private boolean inputEnded;
    private boolean flushQueued;
    /** A write came up short: OP_WRITE is registered and onWritable is owed once the queue drains. */
    private boolean writeBlocked;

    private NioConnection(NioEventLoop loop, SocketChannel channel, ConnectionHandler handler, State state) {
        this.loop = loop;
        this.channel = channel;
        this.handler = handler;
        this.state = state;
    }

    /** Adopts an accepted, non-blocking channel on its loop and opens it. On the loop thread. */
    static void accepted(NioEventLoop loop, SocketChannel channel, ConnectionHandler handler) {
        NioConnection c = new NioConnection(loop, channel, handler, State.OPEN);
        try {
            c.key = loop.register(channel, SelectionKey.OP_READ, c);
            c.captureAddresses();
        } catch (IOException e) {
            c.fail(e);
            return;
        }
        c.opened();
    }

    /**
     * Starts a client connection on its loop: registers {@code channel} (open, non-blocking), arms the
     * timeout, connects. On the loop thread.
     */
    static void connect(NioEventLoop loop, SocketChannel channel, ConnectOptions options, ConnectionHandler handler,
            CompletableFuture<Connection> future) {
        SocketAddress remote = options.remote();
        Duration timeout = options.connectTimeout();
        NioConnection c = new NioConnection(loop, channel, handler, State.CONNECTING);
        c.connectFuture = future;
        try {
            c.key = loop.register(channel, 0, c);
            c.openTimer = loop.schedule(() -> c.fail(new SocketTimeoutException(
                    "connect to " + remote + " did not complete within " + timeout.toMillis() + " ms")), timeout);
            if (channel.connect(remote)) {
                c.connected();
            } else {
                c.key.interestOps(SelectionKey.OP_CONNECT);
            }
        } catch (IOException | RuntimeException e) {
            c.fail(e);
        }
    }

    // ---- Connection ----

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public Optional<SSLSession> tlsSession() {
        return Optional.empty();
    }

    @Override
    public void write(ByteBuffer bytes) {
        if (state != State.OPEN || !bytes.hasRemaining()) {
            return;
        }
        if (out == null) {
            out = new WriteQueue();
        }
        out.add(bytes);
        requestFlush();
    }

    @Override
    public void flush() {
        if ((state == State.OPEN || state == State.CLOSING) && !writeBlocked) {
            flushNow();
        }
    }

    @Override
    public long pendingWriteBytes() {
        return out == null ? 0 : out.bytes();
    }

    @Override
    public void pauseReading() {
        if (!readingPaused) {
            readingPaused = true;
            updateInterest();
        }
    }

    @Override
    public void resumeReading() {
        if (readingPaused) {
            readingPaused = false;
            updateInterest();
        }
    }

    @Override
    public boolean isReadingPaused() {
        return readingPaused;
    }

    @Override
    public void close() {
        switch (state) {
            case CONNECTING -> fail(new IOException("connection closed before it opened"));
            case OPEN -> {
                state = State.CLOSING;
                updateInterest();
                if (!writeBlocked) {
                    flushNow(); // finishes the close when nothing is left to write
                }
            }
            case CLOSING, CLOSED -> { }
        }
    }

    @Override
    public void abort() {
        fail(new IOException("connection aborted by Connection.abort()"));
    }

    @Override
    public boolean isOpen() {
        return state != State.CLOSED;
    }

    @Override
    public String toString() {
        return "Connection[" + localAddress + " <-> " + remoteAddress + ", " + state + "]";
    }

    // ---- IoHandle ----

    @Override
    public void onReady(int readyOps) {
        if (state == State.CLOSED) {
            return; // closed earlier in this same tick
        }
        try {
            if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
                connected();
                return;
            }
            if ((readyOps & SelectionKey.OP_WRITE) != 0) {
                onSocketWritable();
            }
            if ((readyOps & SelectionKey.OP_READ) != 0 && state == State.OPEN && !readingPaused && !inputEnded) {
                readSocket();
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    @Override
    public void onLoopShutdown() {
        fail(new IOException("event loop " + loop.thread().getName() + " shut down"));
    }

    // ---- opening ----

    private void connected() throws IOException {
        if (!channel.finishConnect()) {
            return; // spurious wakeup; OP_CONNECT stays registered
        }
        captureAddresses();
        state = State.OPEN;
        key.interestOps(SelectionKey.OP_READ);
        opened();
    }

    private void opened() {
        CompletableFuture<Connection> future = connectFuture;
        if (future != null && future.isCancelled()) {
            fail(new CancellationException("connect future was cancelled"));
            return;
        }
        if (openTimer != null) {
            openTimer.cancel();
            openTimer = null;
        }
        try {
            handler.onOpen(this);
        } catch (Throwable t) {
            fail(t);
            return;
        }
        if (future != null && state != State.CLOSED) {
            connectFuture = null;
            future.complete(this);
        }
    }

    private void captureAddresses() throws IOException {
        localAddress = channel.getLocalAddress();
        remoteAddress = channel.getRemoteAddress();
    }

    // ---- reading ----

    private void readSocket() throws IOException {
        ByteBuffer buffer = loop.receiveBuffer();
        for (int i = 0; i < READS_PER_EVENT; i++) {
            buffer.clear();
            int n = channel.read(buffer);
            if (n < 0) {
                endOfInput();
                return;
            }
            if (n == 0) {
                return;
            }
            buffer.flip();
            try {
                handler.onData(this, buffer);
            } catch (Throwable t) {
                fail(t);
                return;
            }
            if (n < buffer.capacity() || state != State.OPEN || readingPaused) {
                return; // the kernel had no more, or the handler closed or paused
            }
        }
    }

    private void endOfInput() {
        inputEnded = true;
        updateInterest();
        try {
            handler.onEndOfInput(this);
        } catch (Throwable t) {
            fail(t);
        }
    }

    // ---- writing ----

    private void requestFlush() {
        if (!flushQueued && !writeBlocked) {
            flushQueued = true;
            loop.flushAtEndOfTick(this);
        }
    }

    /** Called by the loop at the end of the tick in which output was queued. */
    void flushAtTickEnd() {
        flushQueued = false;
        if (!writeBlocked && (state == State.OPEN || state == State.CLOSING)) {
            flushNow();
        }
    }

    private void onSocketWritable() {
        flushNow();
        if (!writeBlocked && out == null && state == State.OPEN) {
            try {
                handler.onWritable(this);
            } catch (Throwable t) {
                fail(t);
            }
        }
    }

    /** Writes what is queued; completes a pending close once everything is out. */
    private void flushNow() {
        try {
            if (out != null) {
                if (loop.writer().write(channel, out)) {
                    out = null;
                    if (writeBlocked) {
                        writeBlocked = false;
                        updateInterest();
                    }
                } else if (!writeBlocked) {
                    writeBlocked = true;
                    updateInterest();
                }
            }
            if (out == null && state == State.CLOSING) {
                closeChannel();
                finish(null);
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    private void updateInterest() {
        if (state == State.CLOSED || !key.isValid()) {
            return;
        }
        int ops = 0;
        if (state == State.OPEN && !readingPaused && !inputEnded) {
            ops |= SelectionKey.OP_READ;
        }
        if (writeBlocked) {
            ops |= SelectionKey.OP_WRITE;
        }
        key.interestOps(ops);
    }

    // ---- closing ----

    /** Closes now with {@code cause}: socket closed, output dropped, onClosed deferred. Idempotent. */
    void fail(Throwable cause) {
        if (state == State.CLOSED) {
            return;
        }
        closeChannel();
        finish(cause);
    }

    private void closeChannel() {
        try {
            channel.close(); // also cancels the key
        } catch (IOException e) {
            // Nothing to do: the descriptor is released either way.
        }
    }

    private void finish(Throwable cause) {
        state = State.CLOSED;
        out = null;
        if (openTimer != null) {
            openTimer.cancel();
            openTimer = null;
        }
        loop.runLater(() -> notifyClosed(cause));
    }

    private void notifyClosed(Throwable cause) {
        try {
            handler.onClosed(this, cause);
        } finally {
            CompletableFuture<Connection> future = connectFuture;
            if (future != null) {
                connectFuture = null;
                future.completeExceptionally(cause != null ? cause : new IOException("connection closed before it opened"));
            }
        }
    }
}
