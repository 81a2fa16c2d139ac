package io.duplex.transport;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * One byte-stream connection (TCP or Unix domain socket, optionally wrapped in TLS), owned by one
 * {@link EventLoop} for its whole life.
 *
 * <p>Writes are corked: {@link #write} only queues; everything queued during one loop tick goes out in
 * one gathering write when the tick ends (or at {@link #flush()}). The loop asks the selector for
 * OP_WRITE only while output is pending after a short write.
 *
 * <p>Threading: every method must be called on {@link #loop()}'s thread, except {@link #loop()},
 * {@link #localAddress()}, {@link #remoteAddress()} and {@link #isOpen()}, which any thread may call.
 * Other threads hop onto the loop with {@code connection.loop().execute(...)}.
 */
public interface Connection {

    /** The loop that owns this connection. */
    EventLoop loop();

    /** The local address: an {@link java.net.InetSocketAddress} or a {@link java.net.UnixDomainSocketAddress}. */
    SocketAddress localAddress();

    /** The peer's address; for Unix domain sockets, usually an unnamed address. */
    SocketAddress remoteAddress();

    /** The TLS session once the TLS handshake has completed; empty for plaintext connections. */
    Optional<SSLSession> tlsSession();

    /**
     * The application protocol agreed through TLS ALPN (RFC 7301, for example "http/1.1") once the TLS
     * handshake has completed; empty for plaintext connections and when none was agreed. (The
     * {@link SSLSession} does not carry it.) The default returns empty, for implementations without TLS.
     */
    default Optional<String> applicationProtocol() {
        return Optional.empty();
    }

    /**
     * Queues bytes for writing. The connection takes ownership of {@code bytes} from its position to its
     * limit: the caller must not change it afterwards. Ignored (and the buffer dropped) once the
     * connection is closing or closed.
     */
    void write(ByteBuffer bytes);

    /** Writes what is queued now instead of at the end of the loop tick. */
    void flush();

    /**
     * Bytes queued and not yet accepted by the kernel, counted in plaintext (before TLS framing). It never
     * exceeds the bytes handed to {@link #write} and not yet written, and is 0 exactly when nothing written is
     * still queued. With TLS, bytes already encrypted count until the last of their ciphertext is written; as
     * ciphertext leaves in buffers of up to 4 TLS records (about 64 KiB), the count can lag the true plaintext
     * remainder by that much. TLS's own messages (handshake, alerts, close_notify) are not counted.
     */
    long pendingWriteBytes();

    /** Stops reading from the socket (receive backpressure) until {@link #resumeReading()}. Idempotent. */
    void pauseReading();

    /** Resumes reading after {@link #pauseReading()}. Idempotent. */
    void resumeReading();

    /** Whether reading is paused. */
    boolean isReadingPaused();

    /**
     * Closes gracefully: stops delivering input, writes what is queued (then a TLS close_notify), shuts down
     * the socket's output, then lingers: reads and discards input until the peer ends its side, for at most
     * the group's {@linkplain EventLoopGroup.Builder#lingerTimeout linger timeout} and 1 MiB, so that the
     * socket is not closed with unread input (which would make the kernel send a reset that can destroy the
     * last bytes written before the peer reads them). Then it closes the socket, and
     * {@link ConnectionHandler#onClosed} follows with a null cause. Nothing read while lingering is
     * delivered, and {@link ConnectionHandler#onEndOfInput} is not called. If the peer's input had already
     * ended, or the linger timeout is zero, the socket closes as soon as the output is written. Idempotent.
     */
    void close();

    /**
     * Closes at once, discarding queued output (the kernel may send a TCP reset). Idempotent. After
     * {@link #close()}, while the connection lingers, it only cuts the wait short: the cause handed to
     * {@link ConnectionHandler#onClosed} stays null, as everything was written.
     */
    void abort();

    /**
     * True until the socket is closed; then false forever. A connection that {@link #close()} is closing
     * counts as open until its output is written and its lingering is over.
     */
    boolean isOpen();
}
