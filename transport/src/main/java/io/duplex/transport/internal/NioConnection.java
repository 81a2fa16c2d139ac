package io.duplex.transport.internal;

import io.duplex.transport.ConnectOptions;
import io.duplex.transport.Connection;
import io.duplex.transport.ConnectionHandler;
import io.duplex.transport.EventLoop;
import io.duplex.transport.ListenOptions;
import io.duplex.transport.Timeout;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * One connection and its state machine.
 *
 * <pre>
 *   CONNECTING --TCP connected--> [HANDSHAKING --TLS finished-->] OPEN --close()--> CLOSING --output written--+
 *   (clients)                      (TLS only)                                                                 |
 *        +----------------------------------------------------------------------------------------------------+
 *        +--FIN sent--> LINGERING --peer's EOF, linger deadline, discard limit, read error--> CLOSED
 *        +--no linger timeout, or the peer's input had already ended------------------------> CLOSED
 *   any state --abort(), I/O or TLS error, handler exception, timeout, loop shutdown-------> CLOSED
 * </pre>
 *
 * <p>Theory of operation. Reads go from the socket into the loop's shared receive buffer and on to
 * {@link ConnectionHandler#onData} (through the {@link TlsLayer} when there is one), up to
 * {@value #READS_PER_EVENT} reads per readiness event. Writes are corked: {@link #write} appends to a
 * {@link WriteQueue} (allocated only while output is pending; with TLS, the plaintext queue of the TLS layer)
 * and asks the loop to flush this connection at the end of the tick, where everything queued goes out through
 * the loop's {@link SocketWriter}. A short write registers OP_WRITE and holds further flushes until the
 * selector says the socket is writable again; when the queue then drains, OP_WRITE is dropped and
 * {@link ConnectionHandler#onWritable} runs. End of input (read returns -1, or TLS close_notify) drops OP_READ
 * and calls {@link ConnectionHandler#onEndOfInput}; the connection stays writable until someone closes it.
 * {@link ConnectionHandler#onOpen} runs once the TCP connection (and the TLS handshake) is up;
 * {@link ConnectionHandler#onClosed} runs exactly once, deferred to the loop's local queue so that it never
 * runs inside another callback of the same connection; a client's connect future completes after it.
 *
 * <p>Closing is graceful up to the kernel: after {@link #close()} the output is written (with TLS, then
 * close_notify), the socket's output is shut down and the connection lingers, discarding input until the peer
 * ends its side, so that the socket is not closed with unread input (which would make the kernel send a reset
 * that can destroy the output before the peer reads it). {@link LingeringClose} does the lingering, as the
 * selection key's attachment; the connection owns its deadline ({@code timer}) and finishes it in
 * {@code lingerEnded()}. The connection counts as open ({@link #isOpen()}) until the socket is closed, that is
 * while it lingers too.
 *
 * <p>TLS: a TCP end of input after the handshake but without close_notify is reported as an end of input
 * like any other (the protocol above detects truncation; WebSocket has its own closing handshake); during the
 * handshake it fails the connection. After a TLS failure the pending alert is written best effort.
 *
 * <p>{@link #pendingWriteBytes()} with TLS counts plaintext, never ciphertext: see {@link TlsLayer} for how
 * plaintext already encrypted is counted until its ciphertext is written. Pausing reading takes effect after
 * the current read: with TLS, the records already read in it are still decrypted and delivered.
 *
 * <p>The cause handed to {@code onClosed}: null after {@link #close()}, including when an abort, a read error
 * or a loop shutdown ends the lingering (the output was all written); the exception for I/O and TLS errors,
 * handler exceptions and failed connects; a {@link SocketTimeoutException} for a connect or TLS handshake
 * timeout; an {@link IOException} naming the reason after {@link #abort()} or a loop shutdown (before the
 * output of a close was written, or without a close).
 *
 * <p>Threading: confined to the loop thread, except {@link #loop()}, {@link #localAddress()},
 * {@link #remoteAddress()} and {@link #isOpen()}.
 */
public final class NioConnection implements Connection, IoHandle {

    /** Reads per readiness event before other connections get a turn. */
    static final int READS_PER_EVENT = 16;

    private enum State { CONNECTING, HANDSHAKING, OPEN, CLOSING, LINGERING, CLOSED }

    private final NioEventLoop loop;
    private final SocketChannel channel;
    private final ConnectionHandler handler;
    private SelectionKey key;
    private volatile State state;
    private SocketAddress localAddress;
    private SocketAddress remoteAddress;
    /** Output for the socket (ciphertext with TLS); null while nothing is pending. */
    private WriteQueue out;
    /** The TLS path; null for plaintext. */
    private TlsLayer tls;
    /** The connect or TLS handshake timeout until open; the linger deadline while lingering; otherwise null. */
    private Timeout timer;
    /** A client's connect future, until it completes. */
    private CompletableFuture<Connection> connectFuture;
    private boolean readingPaused;
    private boolean inputEnded;
    private boolean flushQueued;
    /** A write came up short: OP_WRITE is registered and onWritable is owed once the queue drains. */
    private boolean writeBlocked;
    /** The TLS codec is inside receive (calling the handler through the sink): flushes wait until it returns. */
    private boolean inTlsReceive;

    private NioConnection(NioEventLoop loop, SocketChannel channel, ConnectionHandler handler, State state) {
        this.loop = loop;
        this.channel = channel;
        this.handler = handler;
        this.state = state;
    }

    /** Adopts an accepted, non-blocking channel on its loop and opens it (or starts TLS). On the loop thread. */
    static void accepted(NioEventLoop loop, SocketChannel channel, ConnectionHandler handler, ListenOptions options) {
        NioConnection c = new NioConnection(loop, channel, handler, State.HANDSHAKING);
        try {
            c.key = loop.register(channel, SelectionKey.OP_READ, c);
            c.captureAddresses();
            if (options.tls() == null) {
                c.opened();
                return;
            }
            Duration timeout = options.tlsHandshakeTimeout();
            c.timer = loop.schedule(() -> c.fail(new SocketTimeoutException("TLS handshake with "
                    + c.remoteAddress + " did not complete within " + timeout.toMillis() + " ms")), timeout);
            c.tls = new TlsLayer(options.tls().newEngine(-1), c::deliver);
            c.startTls();
        } catch (IOException | RuntimeException e) {
            c.fail(e);
        }
    }

    /**
     * Starts a client connection on its loop: registers {@code channel} (open, non-blocking), arms the
     * timeout (which covers the TLS handshake too), connects. On the loop thread.
     */
    static void connect(NioEventLoop loop, SocketChannel channel, ConnectOptions options, ConnectionHandler handler,
            CompletableFuture<Connection> future) {
        NioConnection c = new NioConnection(loop, channel, handler, State.CONNECTING);
        c.connectFuture = future;
        SocketAddress remote = options.remote();
        Duration timeout = options.connectTimeout();
        try {
            c.key = loop.register(channel, 0, c);
            c.timer = loop.schedule(() -> c.fail(new SocketTimeoutException("connect to " + remote
                    + (options.tls() == null ? "" : " with TLS") + " did not complete within " + timeout.toMillis()
                    + " ms")), timeout);
            if (options.tls() != null) {
                int port = remote instanceof InetSocketAddress inet ? inet.getPort() : -1;
                c.tls = new TlsLayer(options.tls().newEngine(port), c::deliver); // handshake starts once connected
            }
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
        return tls != null && tls.isHandshakeComplete() ? Optional.of(tls.session()) : Optional.empty();
    }

    @Override
    public Optional<String> applicationProtocol() {
        if (tls == null || !tls.isHandshakeComplete()) {
            return Optional.empty();
        }
        String protocol = tls.applicationProtocol();
        return protocol.isEmpty() ? Optional.empty() : Optional.of(protocol);
    }

    @Override
    public void write(ByteBuffer bytes) {
        if (state != State.OPEN || !bytes.hasRemaining()) {
            return;
        }
        if (tls != null) {
            tls.queue(bytes);
        } else {
            if (out == null) {
                out = loop.writeQueue();
            }
            out.add(bytes);
        }
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
        long unwritten = out == null ? 0 : out.bytes();
        return tls == null ? unwritten : tls.pendingPlaintextBytes(unwritten);
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
            case CONNECTING, HANDSHAKING -> fail(new IOException("connection closed before it opened"));
            case OPEN -> {
                state = State.CLOSING;
                updateInterest();
                if (!writeBlocked) {
                    flushNow(); // queues close_notify (TLS); finishes the close once nothing is left to write
                }
            }
            case CLOSING, LINGERING, CLOSED -> { }
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
        return "Connection[" + localAddress + " <-> " + remoteAddress + (tls == null ? "" : ", TLS") + ", " + state + "]";
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
            if ((readyOps & SelectionKey.OP_READ) != 0 && readable()) {
                readSocket();
            }
        } catch (SSLException e) {
            failTls(e);
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
            return; // not yet; OP_CONNECT stays registered
        }
        captureAddresses();
        state = State.HANDSHAKING;
        key.interestOps(SelectionKey.OP_READ);
        if (tls != null) {
            startTls();
        } else {
            opened();
        }
    }

    private void startTls() throws SSLException {
        tls.begin();
        out = tls.drainInto(out);
        requestFlush();
    }

    private void opened() {
        CompletableFuture<Connection> future = connectFuture;
        if (future != null && future.isCancelled()) {
            fail(new CancellationException("connect future was cancelled"));
            return;
        }
        state = State.OPEN;
        if (timer != null) {
            timer.cancel();
            timer = null;
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

    private boolean readable() {
        return (state == State.OPEN || state == State.HANDSHAKING) && !readingPaused && !inputEnded;
    }

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
            if (tls == null) {
                deliver(buffer);
            } else {
                receiveTls(buffer);
            }
            if (n < buffer.capacity() || !readable()) {
                return; // the kernel had no more, or the handler closed or paused
            }
        }
    }

    private void receiveTls(ByteBuffer ciphertext) throws IOException {
        inTlsReceive = true;
        try {
            tls.receive(ciphertext);
        } finally {
            inTlsReceive = false;
        }
        if (state == State.CLOSED) {
            return;
        }
        out = tls.drainInto(out); // handshake answers, KeyUpdate replies
        if (out != null) {
            requestFlush();
        }
        if (state == State.HANDSHAKING && tls.isHandshakeComplete()) {
            opened();
        }
        if (tls.isInboundDone() && !inputEnded && state != State.CLOSED) {
            endOfInput();
        }
    }

    /** Hands plaintext to the handler; the TLS layer's sink. */
    private void deliver(ByteBuffer data) {
        if (state == State.HANDSHAKING && tls.isHandshakeComplete()) {
            opened(); // application data in the same read as the handshake's last message
        }
        if (state != State.OPEN) {
            return; // closed by an earlier chunk's handler call, or never opened
        }
        try {
            handler.onData(this, data);
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void endOfInput() throws IOException {
        inputEnded = true;
        updateInterest();
        if (state == State.HANDSHAKING) {
            throw new EOFException("the peer closed the connection during the TLS handshake");
        }
        if (state != State.OPEN) {
            return;
        }
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
        if (!writeBlocked && state != State.CLOSED && state != State.LINGERING) {
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

    /** Encrypts (TLS) and writes what is queued; completes a pending close once everything is out. */
    private void flushNow() {
        try {
            if (tls != null) {
                if (inTlsReceive) {
                    requestFlush(); // a handler inside the codec's receive: do not re-enter the codec
                    return;
                }
                out = state == State.CLOSING ? tls.closeOutbound(out) : tls.encryptInto(out);
            }
            if (out != null) {
                if (loop.writer().write(channel, out)) {
                    if (tls == null) {
                        loop.recycle(out); // the TLS layer may still hold the queue it returned
                    }
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
                outputWritten();
            }
        } catch (SSLException e) {
            failTls(e);
        } catch (IOException e) {
            fail(e);
        }
    }

    private void updateInterest() {
        if (state == State.CLOSED || state == State.LINGERING || key == null || !key.isValid()) {
            return;
        }
        int ops = readable() ? SelectionKey.OP_READ : 0;
        if (writeBlocked) {
            ops |= SelectionKey.OP_WRITE;
        }
        key.interestOps(ops);
    }

    // ---- closing ----

    /** Everything (with TLS, up to close_notify) is written after close(): linger, or close now. */
    private void outputWritten() {
        Duration linger = loop.lingerTimeout();
        if (linger.isZero() || inputEnded) {
            closeChannel(); // lingering turned off, or the peer sends nothing more (no unread input to cause a reset)
            finish(null);
            return;
        }
        try {
            channel.shutdownOutput(); // the peer reads our end of stream right after the last byte
        } catch (IOException e) {
            closeChannel(); // the peer reset the connection already: everything was written, nothing to protect
            finish(null);
            return;
        }
        state = State.LINGERING;
        key.attach(new LingeringClose(this, channel, loop.receiveBuffer()));
        key.interestOps(SelectionKey.OP_READ); // even if reading was paused: the point is to drain
        timer = loop.schedule(this::lingerEnded, linger);
    }

    /** Lingering is over (the peer's end of stream, the deadline, the discard limit, a read error): close. */
    void lingerEnded() {
        if (state == State.LINGERING) {
            closeChannel();
            finish(null);
        }
    }

    /** Fails after a TLS error, first writing the alert the codec may have queued (best effort, no waiting). */
    private void failTls(SSLException cause) {
        if (state == State.CLOSED) {
            return;
        }
        out = tls.drainInto(out);
        if (out != null) {
            try {
                loop.writer().write(channel, out);
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
        }
        fail(cause);
    }

    /**
     * Closes now with {@code cause}: socket closed, output dropped, onClosed deferred. Idempotent. While
     * lingering the cause is dropped: close() has already written everything, so the close stays clean and
     * this only cuts the wait short.
     */
    void fail(Throwable cause) {
        if (state == State.CLOSED) {
            return;
        }
        closeChannel();
        finish(state == State.LINGERING ? null : cause);
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
        if (timer != null) {
            timer.cancel();
            timer = null;
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
