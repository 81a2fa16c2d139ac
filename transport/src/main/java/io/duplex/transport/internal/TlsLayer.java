package io.duplex.transport.internal;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * The TLS path of a {@link NioConnection}: everything the connection does differently when it carries TLS,
 * so that the plaintext path stays a null check away from the socket.
 *
 * <p>Inbound, ciphertext read from the socket goes to {@link TlsCodec#receive}, whose decrypted chunks go to
 * the connection's plaintext sink. Outbound, the application's writes are queued here as plaintext and, at
 * flush time, handed to the codec in one gathering {@link TlsCodec#send(ByteBuffer[])}; the ciphertext the
 * codec produces (records, handshake messages, alerts, close_notify) is moved into the connection's socket
 * {@link WriteQueue}. The codec owns the TLS state; the connection owns the socket and the life cycle.
 *
 * <p>Threading: not thread-safe; confined to the connection's loop thread.
 */
final class TlsLayer {

    private final TlsCodec codec;
    private final Consumer<ByteBuffer> sink;
    /** Application plaintext not yet given to the codec; null while none is pending. */
    private WriteQueue plaintext;

    TlsLayer(SSLEngine engine, Consumer<ByteBuffer> sink) {
        this.codec = new TlsCodec(engine);
        this.sink = sink;
    }

    /** Starts the handshake (a client's ClientHello goes into the net output). */
    void begin() throws SSLException {
        codec.beginHandshake();
    }

    /** Decrypts {@code netIn} into the sink; answers (handshake messages, alerts) wait in the net output. */
    void receive(ByteBuffer netIn) throws SSLException {
        codec.receive(netIn, sink);
    }

    /** Queues application plaintext until the next flush. */
    void queue(ByteBuffer bytes) {
        if (plaintext == null) {
            plaintext = new WriteQueue();
        }
        plaintext.add(bytes);
    }

    /** Plaintext queued and not yet encrypted. */
    long pendingPlaintextBytes() {
        return plaintext == null ? 0 : plaintext.bytes();
    }

    /**
     * Encrypts the queued plaintext in one gathering send and moves every pending ciphertext buffer to
     * {@code socket}. Returns {@code socket}, or a new queue if it was null and ciphertext was pending.
     */
    WriteQueue encryptInto(WriteQueue socket) throws SSLException {
        if (plaintext != null) {
            ByteBuffer[] buffers = plaintext.takeAll();
            plaintext = null;
            codec.send(buffers);
        }
        return drainInto(socket);
    }

    /** Moves pending ciphertext (handshake answers, alerts) to {@code socket}; see {@link #encryptInto}. */
    WriteQueue drainInto(WriteQueue socket) {
        for (ByteBuffer b; (b = codec.pollNetOutput()) != null; ) {
            if (socket == null) {
                socket = new WriteQueue();
            }
            socket.add(b);
        }
        return socket;
    }

    /** Encrypts what is queued, then queues close_notify behind it. */
    WriteQueue closeOutbound(WriteQueue socket) throws SSLException {
        socket = encryptInto(socket);
        codec.closeOutbound();
        return drainInto(socket);
    }

    boolean isHandshakeComplete() {
        return codec.isHandshakeComplete();
    }

    boolean isInboundDone() {
        return codec.isInboundDone();
    }

    SSLSession session() {
        return codec.session();
    }

    /** The ALPN protocol agreed, or "". */
    String applicationProtocol() {
        return codec.applicationProtocol();
    }
}
