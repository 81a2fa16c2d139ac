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
 * <p>Pending output is counted in plaintext, as {@link io.duplex.transport.Connection#pendingWriteBytes()}
 * promises: plaintext queued here, plus plaintext the codec holds (before the handshake completes or during a
 * TLS 1.2 renegotiation), plus the plaintext carried by ciphertext buffers that are in the socket queue and
 * not yet completely written. For the last part the layer keeps one entry per such buffer: where the buffer
 * ends in the running total of ciphertext moved to the socket queue, and how much plaintext it carries. The
 * connection reports how much ciphertext is still unwritten, which gives how far the kernel has taken the
 * running total, and every entry ending at or before that point is written. So the count never exceeds the
 * plaintext handed to {@link #queue} and not yet written, lags it by at most one buffer (4 TLS packets,
 * about 64 KiB), and is exactly 0 once the socket queue is empty. Handshake messages, alerts and close_notify
 * carry no plaintext and are not counted.
 *
 * <p>Threading: not thread-safe; confined to the connection's loop thread.
 */
final class TlsLayer {

    private final TlsCodec codec;
    private final Consumer<ByteBuffer> sink;
    /** Application plaintext not yet given to the codec; null while none is pending. */
    private WriteQueue plaintext;
    /** Ciphertext moved to the socket queue so far (a running total). */
    private long ciphertextMoved;
    /**
     * The socket queue's buffers that carry plaintext, oldest first, as a ring of pairs: [2i] where the buffer
     * ends in {@link #ciphertextMoved}'s running total, [2i + 1] the plaintext it carries.
     */
    private long[] inFlight = NO_ENTRIES;
    private int inFlightHead;
    private int inFlightCount;
    /** The sum of the plaintext of the entries in {@link #inFlight}. */
    private long inFlightPlaintext;

    private static final long[] NO_ENTRIES = new long[0];

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

    /**
     * Plaintext queued and not yet written (see the class comment): here until the next flush, in the codec
     * before the handshake completes or while a TLS 1.2 renegotiation holds the engine, or carried by
     * ciphertext of which some is among the {@code unwrittenCiphertext} bytes still in the socket queue.
     */
    long pendingPlaintextBytes(long unwrittenCiphertext) {
        forgetWritten(unwrittenCiphertext);
        return (plaintext == null ? 0 : plaintext.bytes()) + codec.queuedPlaintextBytes() + inFlightPlaintext;
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
        forgetWritten(socket == null ? 0 : socket.bytes());
        while (codec.hasNetOutput()) {
            long carried = codec.nextNetOutputPlaintextBytes();
            ByteBuffer b = codec.pollNetOutput();
            if (socket == null) {
                socket = new WriteQueue();
            }
            socket.add(b);
            ciphertextMoved += b.remaining();
            if (carried > 0) {
                addInFlight(ciphertextMoved, carried);
            }
        }
        return socket;
    }

    /** Encrypts what is queued, then queues close_notify behind it. */
    WriteQueue closeOutbound(WriteQueue socket) throws SSLException {
        socket = encryptInto(socket);
        codec.closeOutbound();
        return drainInto(socket);
    }

    /** Drops the entries of buffers written completely, now that {@code unwrittenCiphertext} bytes remain queued. */
    private void forgetWritten(long unwrittenCiphertext) {
        long written = ciphertextMoved - unwrittenCiphertext;
        int slotMask = inFlight.length / 2 - 1;
        while (inFlightCount > 0 && inFlight[2 * inFlightHead] <= written) {
            inFlightPlaintext -= inFlight[2 * inFlightHead + 1];
            inFlightHead = (inFlightHead + 1) & slotMask;
            inFlightCount--;
        }
    }

    private void addInFlight(long end, long carried) {
        int slots = inFlight.length / 2;
        if (inFlightCount == slots) {
            // Grow (the slot count stays a power of two), unrolling the ring to start at slot 0.
            long[] grown = new long[Math.max(8, inFlight.length * 2)];
            for (int i = 0; i < inFlightCount; i++) {
                int from = (inFlightHead + i) & (slots - 1);
                grown[2 * i] = inFlight[2 * from];
                grown[2 * i + 1] = inFlight[2 * from + 1];
            }
            inFlight = grown;
            inFlightHead = 0;
            slots = grown.length / 2;
        }
        int tail = (inFlightHead + inFlightCount) & (slots - 1);
        inFlight[2 * tail] = end;
        inFlight[2 * tail + 1] = carried;
        inFlightCount++;
        inFlightPlaintext += carried;
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
