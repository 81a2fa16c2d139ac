package io.duplex.client.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * TLS inside a proxy tunnel, sans-I/O: for wss through a proxy, the TLS handshake with the WebSocket
 * server starts only once the proxy has opened the tunnel, so it cannot be the transport's TLS (which
 * starts at TCP connect). Network bytes in, application bytes and bytes to send out.
 *
 * <p>Theory of operation: {@link #begin()} starts the handshake and returns the ClientHello. {@link
 * #receive} feeds the server's bytes to {@link SSLEngine#unwrap}, running the engine's delegated tasks
 * inline and wrapping whatever the handshake asks for, until the engine needs more bytes; it returns the
 * bytes to send and the application data decrypted. {@link #wrap} encrypts application bytes once
 * {@link #handshakeDone()}. The engine carries the peer host for SNI and hostname verification (set by
 * {@link io.duplex.transport.TlsConfig#newEngine}).
 *
 * <p>Threading: not thread-safe; confined to the connection's loop.
 */
final class TunnelTls {

    /** What one {@link #receive} produced. */
    record Result(ByteBuffer send, ByteBuffer application) {
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private boolean handshakeDone;
    private boolean closed;

    TunnelTls(SSLEngine engine) {
        this.engine = engine;
        this.netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    /** @return the first handshake bytes (ClientHello) to send */
    ByteBuffer begin() throws SSLException {
        engine.beginHandshake();
        List<ByteBuffer> out = new ArrayList<>();
        advance(out);
        return concat(out);
    }

    /** @return whether the handshake has finished and application data may flow */
    boolean handshakeDone() {
        return handshakeDone;
    }

    /** @return whether the server sent close_notify */
    boolean closed() {
        return closed;
    }

    /**
     * Takes the server's bytes.
     *
     * @param net bytes received, consumed entirely
     * @return bytes to send back (handshake messages; possibly empty) and application data decrypted
     * @throws SSLException if the handshake fails (untrusted certificate, wrong host) or a record is bad
     */
    Result receive(ByteBuffer net) throws SSLException {
        netIn = ensure(netIn, net.remaining());
        netIn.put(net);
        netIn.flip();
        List<ByteBuffer> out = new ArrayList<>();
        try {
            while (true) {
                advance(out);
                if (!netIn.hasRemaining() || closed) {
                    break;
                }
                SSLEngineResult r = engine.unwrap(netIn, appIn);
                noteFinished(r);
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    appIn = ensure(appIn, engine.getSession().getApplicationBufferSize());
                } else if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    netIn = ensureReading(netIn, engine.getSession().getPacketBufferSize());
                    advance(out);
                    break; // a partial record: wait for more bytes
                } else if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    closed = true;
                } else if (r.bytesConsumed() == 0 && r.bytesProduced() == 0
                        && engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
                    break;
                }
            }
        } finally {
            netIn.compact();
        }
        appIn.flip();
        ByteBuffer application = ByteBuffer.allocate(appIn.remaining());
        application.put(appIn).flip();
        appIn.clear();
        return new Result(concat(out), application);
    }

    /**
     * Encrypts application bytes.
     *
     * @param app the bytes, consumed entirely
     * @return the TLS records to send
     * @throws SSLException if the engine refuses (closed)
     */
    ByteBuffer wrap(ByteBuffer app) throws SSLException {
        int records = app.remaining() / 16384 + 1;
        ByteBuffer out = ByteBuffer.allocate(app.remaining() + records * 128 + engine.getSession().getPacketBufferSize());
        while (app.hasRemaining()) {
            SSLEngineResult r = engine.wrap(app, out);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                out = ensure(out, engine.getSession().getPacketBufferSize());
            } else if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("TLS engine closed; cannot send " + app.remaining() + " more bytes");
            }
        }
        out.flip();
        return out;
    }

    /** @return a close_notify alert to send before closing TCP, or an empty buffer */
    ByteBuffer closeNotify() {
        engine.closeOutbound();
        List<ByteBuffer> out = new ArrayList<>();
        try {
            while (!engine.isOutboundDone()) {
                ByteBuffer b = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
                SSLEngineResult r = engine.wrap(EMPTY, b);
                b.flip();
                out.add(b);
                if (r.bytesProduced() == 0) {
                    break;
                }
            }
        } catch (SSLException e) {
            // best effort: the TCP close follows anyway
        }
        return concat(out);
    }

    /** Runs delegated tasks and wraps handshake messages until the engine waits for the peer. */
    private void advance(List<ByteBuffer> out) throws SSLException {
        while (true) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                    task.run(); // certificate checks: short, and this connection has nothing else to do
                }
            } else if (status == HandshakeStatus.NEED_WRAP) {
                ByteBuffer b = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
                SSLEngineResult r = engine.wrap(EMPTY, b);
                noteFinished(r);
                b.flip();
                out.add(b);
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    return;
                }
            } else {
                if (status == HandshakeStatus.NOT_HANDSHAKING && !handshakeDone && engine.getSession().isValid()
                        && engine.getSession().getCipherSuite() != null && !"SSL_NULL_WITH_NULL_NULL".equals(engine.getSession().getCipherSuite())) {
                    handshakeDone = true;
                }
                return;
            }
        }
    }

    private void noteFinished(SSLEngineResult r) {
        if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
            handshakeDone = true;
        }
    }

    /** A buffer in write mode with room for {@code more} bytes, keeping what it holds. */
    private static ByteBuffer ensure(ByteBuffer b, int more) {
        if (b.remaining() >= more) {
            return b;
        }
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + more));
        b.flip();
        bigger.put(b);
        return bigger;
    }

    /** For a buffer in read mode that must hold a whole record of {@code size} bytes. */
    private static ByteBuffer ensureReading(ByteBuffer b, int size) {
        if (b.capacity() >= size) {
            return b;
        }
        ByteBuffer bigger = ByteBuffer.allocate(size);
        bigger.put(b).flip();
        return bigger;
    }

    private static ByteBuffer concat(List<ByteBuffer> parts) {
        int size = 0;
        for (ByteBuffer p : parts) {
            size += p.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer p : parts) {
            all.put(p);
        }
        return all.flip();
    }
}
