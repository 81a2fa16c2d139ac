package io.duplex.transport.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * Sans-I/O TLS around one {@link SSLEngine}: ciphertext in, plaintext out through a sink; plaintext in,
 * ciphertext out through a queue that the event loop drains into the socket.
 *
 * <p>Theory of operation. The engine holds the TLS state machine; this class only feeds it. Every engine
 * call is followed by {@link #advanceHandshake}, which obeys the handshake status until the engine waits for
 * the peer: NEED_TASK runs the delegated tasks inline, NEED_WRAP wraps (handshake messages, TLS 1.3
 * post-handshake answers such as KeyUpdate, close_notify replies and alerts), FINISHED marks the handshake
 * complete (the first time). The same loop serves the initial handshake, TLS 1.3 NewSessionTicket and
 * KeyUpdate, TLS 1.2 renegotiation and closure, so there is no separate state here beyond four flags:
 * handshake begun, handshake complete, inbound done (peer's close_notify), failed.
 *
 * <p>Inbound: records are unwrapped straight from the caller's buffer. A record cut short by the end of a
 * read (BUFFER_UNDERFLOW) is copied into {@code partialRecord}, allocated from the session's packet size
 * only while such a remainder is pending; exactly the missing bytes of that one record are copied in later
 * (the 5-byte record header gives its length, RFC 8446 5.1), so whole records never take the copy.
 *
 * <p>Outbound: plaintext sent before the handshake completes (or while a TLS 1.2 renegotiation holds the
 * engine) is copied into {@code queued} and encrypted once the engine accepts application data again.
 * Ciphertext goes into {@code netOutput} as right-sized buffers, each labelled with the application plaintext
 * it carries ({@link #nextNetOutputPlaintextBytes()}), so that the connection can count its pending output in
 * plaintext bytes.
 *
 * <p>Memory. The two big working buffers (unwrap's plaintext destination, about 16 KiB, and wrap's
 * ciphertext destination, four packets) are not per connection: each loop thread keeps one of each in
 * {@link ScratchPool}s, taken for the length of one call and handed back, so an idle connection costs only
 * its engine (plus a partial record or queued bytes if any). Re-entrant use (a sink that drives another
 * codec on the same thread) simply allocates.
 *
 * <p>Every loop is bounded: a call that makes no progress for {@link #MAX_IDLE_STEPS} engine calls, or a
 * buffer that would have to grow again and again, ends in an SSLException rather than a spin.
 *
 * <p>Threading: not thread-safe; confined to the connection's event loop thread.
 */
public final class TlsCodec {

    private static final System.Logger LOG = System.getLogger(TlsCodec.class.getName());

    /** Engine calls in a row that neither consume nor produce bytes before we call the engine stuck. */
    static final int MAX_IDLE_STEPS = 64;
    /** Ciphertext scratch holds this many packets, so bulk sends leave in ~64 KiB buffers. */
    private static final int PACKETS_PER_SCRATCH = 4;
    /** RFC 8446 5.1: TLSPlaintext header is type (1), legacy_record_version (2), length (2). */
    private static final int RECORD_HEADER_LENGTH = 5;
    private static final ByteBuffer[] NO_DATA = {ByteBuffer.allocate(0)};

    private static final ScratchPool PLAINTEXT_SCRATCH = new ScratchPool();
    private static final ScratchPool CIPHERTEXT_SCRATCH = new ScratchPool();

    private final SSLEngine engine;
    private final ArrayDeque<ByteBuffer> netOutput = new ArrayDeque<>();
    /** Application plaintext carried by each {@link #netOutput} buffer, in the same order. */
    private final ArrayDeque<Long> netOutputPlaintext = new ArrayDeque<>();
    /** Application plaintext consumed by wrap so far, and the part of it already labelled onto net output. */
    private long plaintextWrapped;
    private long plaintextLabelled;
    private final ArrayDeque<ByteBuffer> queued = new ArrayDeque<>();
    private long netOutputBytes;
    private int packetSize;

    /** Remainder of an incomplete inbound record, in read mode; null when none is pending. */
    private ByteBuffer partialRecord;
    /** Wrap destination, taken from the scratch pool while a call wraps; null otherwise. */
    private ByteBuffer ciphertext;
    /** Unwrap destination, taken from the scratch pool for one receive call; null otherwise. */
    private ByteBuffer plaintext;

    private boolean handshakeBegun;
    private boolean handshakeComplete;
    private boolean inboundDone;
    private boolean outboundClosed;
    private SSLException failure;

    /**
     * Wraps {@code engine}, whose client or server mode is already set (see TlsConfig.newEngine).
     *
     * @param engine the engine; this codec becomes its only user
     */
    public TlsCodec(SSLEngine engine) {
        this.engine = engine;
        this.packetSize = engine.getSession().getPacketBufferSize();
    }

    /** Starts the handshake; a client's ClientHello goes into the net output. Idempotent. */
    public void beginHandshake() throws SSLException {
        checkUsable();
        if (handshakeBegun) {
            return;
        }
        handshakeBegun = true;
        try {
            engine.beginHandshake();
            advanceHandshake(engine.getHandshakeStatus());
        } catch (SSLException e) {
            throw fail(e);
        } finally {
            releaseCiphertext();
        }
    }

    /**
     * Consumes ciphertext from {@code netIn} (advances its position; keeps a partial record internally,
     * copying it only when the record is incomplete). Each chunk of decrypted application data is handed to
     * {@code sink} (valid only during the call). Handshake messages that must be answered are produced into
     * pending net output. Bytes after the peer's close_notify are discarded.
     *
     * @throws SSLException on a TLS failure, after which pending net output may hold an alert that should
     *     be flushed best-effort; the codec is then unusable
     */
    public void receive(ByteBuffer netIn, Consumer<ByteBuffer> sink) throws SSLException {
        checkUsable();
        handshakeBegun = true;
        try {
            receiveRecords(netIn, sink);
            flushQueued();
        } catch (SSLException e) {
            throw fail(e);
        } finally {
            releasePlaintext();
            releaseCiphertext();
        }
    }

    /** Encrypts plaintext (position..limit, consumed) into pending net output; queued until the handshake completes. */
    public void send(ByteBuffer plaintext) throws SSLException {
        send(new ByteBuffer[] {plaintext});
    }

    /** Encrypts several buffers at once (gathering); queued until the handshake completes. */
    public void send(ByteBuffer[] plaintext) throws SSLException {
        checkUsable();
        if (outboundClosed) {
            throw new SSLException("cannot send " + remaining(plaintext) + " bytes: close_notify is already queued");
        }
        try {
            if (handshakeComplete && queued.isEmpty()) {
                wrapApplicationData(plaintext);
            }
            if (remaining(plaintext) > 0) {
                for (ByteBuffer buffer : plaintext) {
                    if (buffer.hasRemaining()) {
                        queued.add(ByteBuffer.allocate(buffer.remaining()).put(buffer).flip());
                    }
                }
                if (!handshakeBegun) {
                    handshakeBegun = true;
                    engine.beginHandshake();
                    advanceHandshake(engine.getHandshakeStatus());
                }
                flushQueued();
            }
        } catch (SSLException e) {
            throw fail(e);
        } finally {
            releaseCiphertext();
        }
    }

    /** The next ciphertext buffer to write to the socket (removed from the queue), or null. */
    public ByteBuffer pollNetOutput() {
        ByteBuffer next = netOutput.poll();
        if (next != null) {
            netOutputBytes -= next.remaining();
            netOutputPlaintext.poll();
        }
        return next;
    }

    /**
     * Bytes of application plaintext encrypted into the buffer that {@link #pollNetOutput()} returns next: 0
     * for handshake messages, alerts and close_notify, and when no net output is pending. (Buffers hold whole
     * records: a record is never split between two of them.)
     */
    public long nextNetOutputPlaintextBytes() {
        Long next = netOutputPlaintext.peek();
        return next == null ? 0 : next;
    }

    /** Whether ciphertext is waiting to be written. */
    public boolean hasNetOutput() {
        return !netOutput.isEmpty();
    }

    /** Bytes of ciphertext waiting to be written. */
    public long pendingNetOutputBytes() {
        return netOutputBytes;
    }

    /**
     * Bytes of plaintext held because the engine does not take application data yet (handshake or TLS 1.2
     * renegotiation in progress); not included in {@link #pendingNetOutputBytes()}.
     */
    public long queuedPlaintextBytes() {
        long total = 0;
        for (ByteBuffer buffer : queued) {
            total += buffer.remaining();
        }
        return total;
    }

    /** True once the engine reported FINISHED for the first time; stays true. */
    public boolean isHandshakeComplete() {
        return handshakeComplete;
    }

    /** Whether the peer's close_notify has been received. */
    public boolean isInboundDone() {
        return inboundDone;
    }

    /** Whether our close_notify has been queued (or the engine closed its outbound side after a failure). */
    public boolean isOutboundDone() {
        return outboundClosed || engine.isOutboundDone();
    }

    /**
     * Queues close_notify. Plaintext still queued behind an unfinished handshake is dropped. A failure while
     * closing is logged and remembered, not thrown: the connection is going away anyway.
     */
    public void closeOutbound() {
        if (outboundClosed || failure != null) {
            return;
        }
        outboundClosed = true;
        queued.clear();
        engine.closeOutbound();
        try {
            advanceHandshake(HandshakeStatus.NEED_WRAP);
        } catch (SSLException e) {
            LOG.log(System.Logger.Level.DEBUG, "TLS failure while queuing close_notify", e);
            fail(e);
        } finally {
            releaseCiphertext();
        }
    }

    /** Bytes of an incomplete inbound record held until the rest arrives (0 when none: nothing allocated). */
    int heldInboundBytes() {
        return partialRecord == null ? 0 : partialRecord.remaining();
    }

    /** The engine's session (a placeholder during the initial handshake). */
    public SSLSession session() {
        return engine.getSession();
    }

    /** The ALPN protocol agreed, or "" if none was (or the handshake is not complete). */
    public String applicationProtocol() {
        String protocol = engine.getApplicationProtocol();
        return protocol == null ? "" : protocol;
    }

    private void receiveRecords(ByteBuffer netIn, Consumer<ByteBuffer> sink) throws SSLException {
        int idle = 0;
        while (!inboundDone) {
            ByteBuffer source;
            if (partialRecord != null) {
                int before = netIn.remaining();
                if (!completePartialRecord(netIn)) {
                    return;
                }
                idle = before == netIn.remaining() ? idle : 0;
                source = partialRecord;
            } else if (netIn.hasRemaining()) {
                source = netIn;
            } else {
                return;
            }
            SSLEngineResult result = unwrap(source, sink);
            switch (result.getStatus()) {
                case OK -> {
                }
                case BUFFER_UNDERFLOW -> {
                    if (source == partialRecord) {
                        throw new SSLException("the engine reported a short record though " + partialRecord.remaining()
                                + " bytes of it are held (packet buffer size " + packetSize + ")");
                    }
                    packetSize = Math.max(packetSize, engine.getSession().getPacketBufferSize());
                    partialRecord = ByteBuffer.allocate(packetSize).flip();
                    completePartialRecord(netIn);
                    return;
                }
                case CLOSED -> {
                    if (!engine.isInboundDone()) {
                        throw new SSLException("the engine refused inbound data (CLOSED) before the peer's close_notify");
                    }
                    inboundDone = true;
                }
                case BUFFER_OVERFLOW -> throw new AssertionError("unwrap() grows the plaintext buffer itself");
            }
            if (partialRecord != null && source == partialRecord && !partialRecord.hasRemaining()) {
                partialRecord = null;
            }
            if (result.bytesConsumed() > 0 || result.bytesProduced() > 0) {
                idle = 0;
            } else if (++idle > MAX_IDLE_STEPS) {
                throw new SSLException("TLS engine made no progress on " + source.remaining()
                        + " inbound bytes in " + MAX_IDLE_STEPS + " calls (handshake status " + engine.getHandshakeStatus() + ")");
            }
        }
        // RFC 8446 6.1: "Any data received after a closure alert has been received MUST be ignored."
        netIn.position(netIn.limit());
        partialRecord = null;
    }

    /**
     * Moves bytes from {@code netIn} into {@code partialRecord} until it holds one whole record, growing it
     * for a record larger than the packet size; returns whether the record is now whole.
     */
    private boolean completePartialRecord(ByteBuffer netIn) {
        // At most three rounds: the header, the body, and a check.
        for (int round = 0; round < 3; round++) {
            int held = partialRecord.remaining();
            int wanted = recordLength(partialRecord);
            if (held >= wanted) {
                return true;
            }
            if (!netIn.hasRemaining()) {
                return false;
            }
            if (partialRecord.capacity() < wanted) {
                partialRecord = ByteBuffer.allocate(wanted).put(partialRecord).flip();
            }
            int count = Math.min(wanted - held, netIn.remaining());
            partialRecord.compact();
            partialRecord.put(netIn.slice(netIn.position(), count));
            partialRecord.flip();
            netIn.position(netIn.position() + count);
        }
        return partialRecord.remaining() >= recordLength(partialRecord);
    }

    /**
     * The length of the record starting at {@code buffer}'s position, header included, from its header
     * (RFC 8446 5.1, the same layout as TLS 1.2's RFC 5246 6.2.1); the header length while the header is
     * incomplete. An unknown content type is not ours to judge: what is held is handed to the engine,
     * which fails it with the right alert.
     */
    private static int recordLength(ByteBuffer buffer) {
        if (buffer.remaining() < RECORD_HEADER_LENGTH) {
            return RECORD_HEADER_LENGTH;
        }
        int at = buffer.position();
        int type = buffer.get(at) & 0xff;
        // ContentType: change_cipher_spec(20), alert(21), handshake(22), application_data(23), heartbeat(24).
        if (type < 20 || type > 24) {
            return buffer.remaining();
        }
        return RECORD_HEADER_LENGTH + ((buffer.get(at + 3) & 0xff) << 8 | (buffer.get(at + 4) & 0xff));
    }

    private SSLEngineResult unwrap(ByteBuffer source, Consumer<ByteBuffer> sink) throws SSLException {
        if (plaintext == null) {
            plaintext = PLAINTEXT_SCRATCH.take(engine.getSession().getApplicationBufferSize());
        }
        for (int attempt = 0; ; attempt++) {
            SSLEngineResult result = engine.unwrap(source, plaintext);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                if (attempt >= 2) {
                    throw new SSLException("unwrap still overflows a plaintext buffer of " + plaintext.capacity() + " bytes");
                }
                int size = Math.max(engine.getSession().getApplicationBufferSize(), plaintext.capacity() * 2);
                PLAINTEXT_SCRATCH.give(plaintext);
                plaintext = PLAINTEXT_SCRATCH.take(size);
                continue;
            }
            if (result.bytesProduced() > 0) {
                plaintext.flip();
                sink.accept(plaintext);
                plaintext.clear();
            }
            advanceHandshake(result.getHandshakeStatus());
            return result;
        }
    }

    /** Obeys the engine until it waits for the peer (NEED_UNWRAP) or is not handshaking. */
    private void advanceHandshake(HandshakeStatus status) throws SSLException {
        int idle = 0;
        while (true) {
            switch (status) {
                case FINISHED -> {
                    handshakeComplete = true;
                    status = engine.getHandshakeStatus();
                }
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                    status = engine.getHandshakeStatus();
                }
                case NEED_WRAP -> {
                    SSLEngineResult result = wrap(NO_DATA);
                    if (result.bytesProduced() == 0) {
                        if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                            return;
                        }
                        if (++idle > MAX_IDLE_STEPS) {
                            throw new SSLException("TLS engine asked to wrap " + MAX_IDLE_STEPS + " times without producing bytes");
                        }
                    } else {
                        idle = 0;
                    }
                    status = result.getHandshakeStatus();
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN, NOT_HANDSHAKING -> {
                    return;
                }
            }
        }
    }

    /** Wraps queued plaintext once the engine accepts application data. */
    private void flushQueued() throws SSLException {
        if (!handshakeComplete || queued.isEmpty() || outboundClosed) {
            return;
        }
        ByteBuffer[] buffers = queued.toArray(new ByteBuffer[0]);
        wrapApplicationData(buffers);
        while (!queued.isEmpty() && !queued.peek().hasRemaining()) {
            queued.poll();
        }
    }

    /** Wraps as much of {@code sources} as the engine takes now (all of it unless a renegotiation holds it). */
    private void wrapApplicationData(ByteBuffer[] sources) throws SSLException {
        int idle = 0;
        while (remaining(sources) > 0) {
            SSLEngineResult result = wrap(sources);
            if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException("cannot send " + remaining(sources) + " bytes: the TLS engine's outbound side is closed");
            }
            advanceHandshake(result.getHandshakeStatus());
            if (result.bytesConsumed() > 0 || result.bytesProduced() > 0) {
                idle = 0;
            } else if (engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP) {
                return; // a renegotiation waits for the peer; the caller queues the rest
            } else if (++idle > MAX_IDLE_STEPS) {
                throw new SSLException("TLS engine took none of " + remaining(sources) + " bytes in "
                        + MAX_IDLE_STEPS + " calls (handshake status " + engine.getHandshakeStatus() + ")");
            }
        }
    }

    private SSLEngineResult wrap(ByteBuffer[] sources) throws SSLException {
        for (int attempt = 0; ; attempt++) {
            if (ciphertext == null) {
                ciphertext = CIPHERTEXT_SCRATCH.take(PACKETS_PER_SCRATCH * packetSize);
            } else if (ciphertext.remaining() < packetSize) {
                flushCiphertext();
            }
            SSLEngineResult result = engine.wrap(sources, ciphertext);
            if (result.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                plaintextWrapped += result.bytesConsumed(); // its records are in the scratch buffer now
                return result;
            }
            if (attempt >= 2) {
                throw new SSLException("wrap still overflows a ciphertext buffer of " + ciphertext.remaining() + " bytes");
            }
            packetSize = Math.max(engine.getSession().getPacketBufferSize(), packetSize);
            flushCiphertext();
            if (ciphertext.capacity() < PACKETS_PER_SCRATCH * packetSize) {
                CIPHERTEXT_SCRATCH.give(ciphertext);
                ciphertext = CIPHERTEXT_SCRATCH.take(PACKETS_PER_SCRATCH * packetSize);
            }
        }
    }

    /** Copies the ciphertext produced so far into a right-sized buffer at the end of the net output. */
    private void flushCiphertext() {
        if (ciphertext.position() == 0) {
            return;
        }
        ciphertext.flip();
        ByteBuffer out = ByteBuffer.allocate(ciphertext.remaining()).put(ciphertext).flip();
        ciphertext.clear();
        netOutput.add(out);
        netOutputBytes += out.remaining();
        netOutputPlaintext.add(plaintextWrapped - plaintextLabelled);
        plaintextLabelled = plaintextWrapped;
    }

    private void releaseCiphertext() {
        if (ciphertext != null) {
            flushCiphertext();
            CIPHERTEXT_SCRATCH.give(ciphertext);
            ciphertext = null;
        }
    }

    private void releasePlaintext() {
        if (plaintext != null) {
            PLAINTEXT_SCRATCH.give(plaintext);
            plaintext = null;
        }
    }

    /**
     * Remembers the failure and lets the engine emit its alert into the net output (best effort: a second
     * failure while doing so is dropped).
     */
    private SSLException fail(SSLException cause) {
        if (failure == null) {
            failure = cause;
            try {
                for (int i = 0; i < 4; i++) {
                    if (wrap(NO_DATA).bytesProduced() == 0) {
                        break;
                    }
                }
            } catch (SSLException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "no alert could be produced after a TLS failure", e);
            } finally {
                releaseCiphertext();
            }
            partialRecord = null;
            queued.clear();
        }
        return cause;
    }

    private void checkUsable() throws SSLException {
        if (failure != null) {
            throw new SSLException("the TLS connection already failed: " + failure.getMessage(), failure);
        }
    }

    private static long remaining(ByteBuffer[] buffers) {
        long total = 0;
        for (ByteBuffer buffer : buffers) {
            total += buffer.remaining();
        }
        return total;
    }

    /**
     * One reusable heap buffer per thread: {@link #take} removes it from the thread's slot (so that a nested
     * take allocates instead of sharing), {@link #give} puts the larger of the two back.
     */
    private static final class ScratchPool {
        private final ThreadLocal<ByteBuffer[]> slot = ThreadLocal.withInitial(() -> new ByteBuffer[1]);

        ByteBuffer take(int capacity) {
            ByteBuffer[] held = slot.get();
            ByteBuffer buffer = held[0];
            if (buffer != null && buffer.capacity() >= capacity) {
                held[0] = null;
                return buffer.clear();
            }
            return ByteBuffer.allocate(capacity);
        }

        void give(ByteBuffer buffer) {
            ByteBuffer[] held = slot.get();
            if (held[0] == null || held[0].capacity() < buffer.capacity()) {
                held[0] = buffer;
            }
        }
    }
}
