package io.duplex.core;

import io.duplex.core.extension.Extension;
import io.duplex.core.frame.FrameWriter;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One WebSocket connection after the opening handshake, sans-I/O: the transport feeds it bytes and end of
 * stream, and drains events and bytes to write; the application calls send and close.
 *
 * <h2>Theory of operation</h2>
 * <pre>
 *            close() / failure                    peer's close frame (echo queued)
 *   OPEN ---------------------------&gt; CLOSING ------------------------------------&gt; CLOSED
 *     \                                                                              ^
 *      +-------- peer's close frame (echo queued) or failure (close frame queued) ---+
 * </pre>
 * <ul>
 *   <li>Inbound bytes go through a {@link io.duplex.core.frame.FrameReader} (the dumb reader) into {@link
 *       InboundDecoder} (the strict decoder), which enforces RFC 6455 frame, fragmentation, UTF-8 and limit
 *       rules and hands back messages, pings, pongs and close frames.</li>
 *   <li><b>The failure funnel.</b> Every rule the peer breaks surfaces as one {@link ProtocolException}
 *       caught in {@link #receive}: the connection queues a close frame with its code (1002, 1007, 1009,
 *       1010, 1011; RFC 6455 7.4.1), reports {@link Event.Failure}, moves to CLOSED and processes nothing
 *       more (RFC 6455 7.1.7).</li>
 *   <li><b>Closing.</b> The first close frame received is echoed with its code (RFC 6455 5.5.1); after
 *       a close frame is sent no data frame follows; after one is received nothing is processed.</li>
 *   <li><b>Signals to the transport.</b> {@link #closeExpected()} turns true when this side has sent its
 *       close frame: arm the close timer, and when it fires close the TCP connection and call {@link
 *       #receiveEof()}. {@link #transportShouldClose()} turns true when the transport should flush the
 *       output and close TCP now: after a failure, and on the server once the closing handshake is done,
 *       because the server closes the TCP connection first (RFC 6455 7.1.1) while the client waits for
 *       it.</li>
 *   <li>End of stream ({@link #receiveEof()}) ends the connection with a final {@link Event.Closed}:
 *       clean only if both close frames were exchanged, 1006 if no close frame arrived (RFC 6455 7.1.5).</li>
 * </ul>
 *
 * <p>Threading: not thread-safe. A connection is confined to one owner thread, typically its transport's
 * event loop; calls from other threads must be handed to that thread.
 */
public final class WebSocketConnection {

    /** The states of the closing handshake (the opening handshake is done before construction). */
    public enum State {
        /** Messages flow both ways. */
        OPEN,
        /** This side sent a close frame and waits for the peer's. Inbound messages are still processed. */
        CLOSING,
        /** The closing handshake is complete or the connection failed; nothing more is processed. */
        CLOSED
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final Extension[] NO_EXTENSIONS = new Extension[0];

    // Kept small: one connection per socket, most of them idle. The state is derived from the flags below.
    private final Role role;
    /** The negotiated extensions (shared with the decoder); a shared empty array when there are none. */
    final Extension[] extensions;
    private final RandomGenerator maskKeys;
    private final InboundDecoder decoder;

    private boolean closeSent;
    private boolean eofReceived;
    private CloseStatus closeReceived;
    private CloseStatus failureStatus;

    private Opcode outboundMessage;
    private Utf8Validator outboundUtf8;

    private ArrayDeque<Event> events;
    private ArrayDeque<ByteBuffer> output;
    private long outputBytes;

    private WebSocketConnection(Builder builder) {
        this.role = builder.role;
        this.extensions = builder.extensions.isEmpty() ? NO_EXTENSIONS : builder.extensions.toArray(Extension[]::new);
        this.maskKeys = builder.maskKeys;
        this.decoder = new InboundDecoder(this, builder.limits, builder.streaming);
    }

    /**
     * Starts building a connection.
     *
     * @param role which end this side is
     * @return a builder with default limits, no extensions, whole messages
     */
    public static Builder builder(Role role) {
        return new Builder(role);
    }

    // ---------------------------------------------------------------- inbound

    /**
     * Processes bytes received from the peer. Events and any automatic replies (pong, close echo, the
     * close frame of a failure) are queued. Payload bytes are unmasked in place in {@code bytes}.
     *
     * @param bytes received bytes, consumed entirely
     */
    public void receive(ByteBuffer bytes) {
        // RFC 6455 7.1.7 and 5.5.1: nothing is processed after a failure or after the peer's close frame.
        if (state() == State.CLOSED) {
            bytes.position(bytes.limit());
            return;
        }
        try {
            decoder.read(bytes);
        } catch (ProtocolException e) {
            fail(e);
        } catch (RuntimeException e) {
            // A bug in an extension (or here) must not kill the transport's thread: RFC 6455 7.4.1's 1011.
            fail(new ProtocolException(CloseStatus.INTERNAL_ERROR, "unexpected " + e + " while decoding inbound data", e));
        }
        bytes.position(bytes.limit());
    }

    /**
     * Reports that the TCP connection ended: the peer closed it, it broke, or the transport closed it
     * (e.g. when the close timer fired). Emits the final {@link Event.Closed}; later calls do nothing.
     */
    public void receiveEof() {
        if (eofReceived) {
            return;
        }
        eofReceived = true;
        boolean clean = failureStatus == null && closeSent && closeReceived != null;
        CloseStatus status;
        if (failureStatus != null) {
            status = failureStatus;
        } else if (closeReceived != null) {
            status = closeReceived;
        } else {
            // RFC 6455 7.1.5: no close frame received means the close code is 1006.
            status = CloseStatus.ABNORMAL;
        }
        decoder.release();
        for (Extension extension : extensions) {
            extension.release();
        }
        emit(new Event.Closed(status, clean));
    }

    /**
     * The next event, in the order they happened.
     *
     * @return the event, or null when none is pending
     */
    public Event pollEvent() {
        return events == null ? null : events.poll();
    }

    /** @return true when {@link #pollEvent()} would return an event */
    public boolean hasEvents() {
        return events != null && !events.isEmpty();
    }

    // ---------------------------------------------------------------- outbound

    /**
     * Sends a text message. Unpaired surrogates in {@code text} are sent as U+FFFD, as the web platform's
     * USVString conversion does.
     *
     * @param text the message
     * @throws WebSocketStateException after a close frame was sent, or inside a fragmented message
     */
    public void sendText(String text) {
        requireNoFragmentedMessage(Opcode.TEXT);
        sendData(Opcode.TEXT, ByteBuffer.wrap(Utf8.encode(text)), true, true);
    }

    /**
     * Sends a text message already encoded as UTF-8 (for instance with {@link Utf8#encode}, on another
     * thread, so that its length is known before the send is queued). It is checked, never trusted: invalid
     * UTF-8 must not reach the wire, where the peer would fail the connection with 1007 (RFC 6455 8.1).
     *
     * @param utf8 the message's bytes from position to limit; left untouched and may be reused after the call
     * @throws IllegalArgumentException if the bytes are not complete, valid UTF-8
     * @throws WebSocketStateException after a close frame was sent, or inside a fragmented message
     */
    public void sendText(ByteBuffer utf8) {
        requireNoFragmentedMessage(Opcode.TEXT);
        if (!Utf8Validator.isValid(utf8)) {
            throw new IllegalArgumentException("text of " + utf8.remaining() + " bytes is not valid UTF-8");
        }
        sendData(Opcode.TEXT, utf8, true, true);
    }

    /**
     * Sends a binary message.
     *
     * @param data the bytes from position to limit; left untouched and may be reused after the call
     * @throws WebSocketStateException after a close frame was sent, or inside a fragmented message
     */
    public void sendBinary(ByteBuffer data) {
        requireNoFragmentedMessage(Opcode.BINARY);
        sendData(Opcode.BINARY, data, true, true);
    }

    /**
     * Sends one fragment of a message (RFC 6455 5.4), for streaming. The first fragment fixes the type;
     * the fragment with {@code last} true ends the message. Control frames may be sent in between; other
     * messages may not.
     *
     * @param type {@link Opcode#TEXT} or {@link Opcode#BINARY}
     * @param payload the bytes from position to limit, left untouched; for text, UTF-8 that may split a
     *     code point across fragments
     * @param last whether this fragment ends the message
     * @throws IllegalArgumentException if the type is not TEXT or BINARY, differs from the message's, or
     *     the text is not valid UTF-8
     * @throws WebSocketStateException after a close frame was sent
     */
    public void sendFragment(Opcode type, ByteBuffer payload, boolean last) {
        if (type != Opcode.TEXT && type != Opcode.BINARY) {
            throw new IllegalArgumentException("fragment type " + type + " is not TEXT or BINARY");
        }
        if (outboundMessage != null && outboundMessage != type) {
            throw new IllegalArgumentException("fragment of type " + type + " inside a " + outboundMessage
                    + " message (RFC 6455 5.4)");
        }
        requireOpen("send a fragment");
        if (type == Opcode.TEXT) {
            // Never put invalid UTF-8 on the wire: the peer would fail us with 1007 (RFC 6455 8.1).
            if (outboundUtf8 == null) {
                outboundUtf8 = new Utf8Validator();
            }
            if (!outboundUtf8.feed(payload) || (last && !outboundUtf8.isComplete())) {
                long at = outboundUtf8.validBytes();
                outboundUtf8 = null;
                throw new IllegalArgumentException("text fragment is not valid UTF-8 at message byte " + at);
            }
            if (last) {
                outboundUtf8 = null; // kept only while a message is partial
            }
        }
        boolean first = outboundMessage == null;
        outboundMessage = last ? null : type;
        sendData(type, payload, first, last);
    }

    /**
     * Sends a data frame that was encoded once for many connections (a broadcast): server frames are
     * unmasked (RFC 6455 5.1), so the same wire bytes serve every peer. The connection checks its state as
     * for any send and queues a read-only view of {@code frame}; the caller's buffer is left untouched.
     *
     * @param frame one whole, unfragmented, unmasked TEXT or BINARY frame with no RSV bits, from position
     *     to limit
     * @throws IllegalArgumentException if the first two bytes are not those of such a frame
     * @throws WebSocketStateException on a client (which must mask each frame with a fresh key), with
     *     extensions negotiated (they transform each message), inside a fragmented message, or after a close
     *     frame was sent
     */
    public void sendPreEncoded(ByteBuffer frame) {
        if (role != Role.SERVER) {
            throw new WebSocketStateException("cannot send a pre-encoded frame as a client: RFC 6455 5.3 asks"
                    + " for a fresh masking key per frame");
        }
        if (extensions.length > 0) {
            throw new WebSocketStateException("cannot send a pre-encoded frame with extensions negotiated ("
                    + extensions[0].name() + " transforms each message)");
        }
        int first = frame.remaining() < 2 ? -1 : frame.get(frame.position()) & 0xFF;
        int second = first < 0 ? -1 : frame.get(frame.position() + 1) & 0xFF;
        if ((first != 0x81 && first != 0x82) || (second & 0x80) != 0) {
            throw new IllegalArgumentException(String.format("pre-encoded frame starts with 0x%02X 0x%02X;"
                    + " expected a final unmasked TEXT (0x81) or BINARY (0x82) frame", first, second));
        }
        requireNoFragmentedMessage(first == 0x81 ? Opcode.TEXT : Opcode.BINARY);
        requireOpen("send a pre-encoded frame");
        enqueueOutput(frame.asReadOnlyBuffer());
    }

    /**
     * Sends a ping (RFC 6455 5.5.2).
     *
     * @param payload 0-125 bytes from position to limit, left untouched
     * @throws IllegalArgumentException if the payload is longer than 125 bytes
     * @throws WebSocketStateException after a close frame was sent
     */
    public void sendPing(ByteBuffer payload) {
        sendControl(Opcode.PING, payload);
    }

    /**
     * Sends a pong (RFC 6455 5.5.3), e.g. an unsolicited one as a unidirectional heartbeat. Pings are
     * answered automatically.
     *
     * @param payload 0-125 bytes from position to limit, left untouched
     * @throws IllegalArgumentException if the payload is longer than 125 bytes
     * @throws WebSocketStateException after a close frame was sent
     */
    public void sendPong(ByteBuffer payload) {
        sendControl(Opcode.PONG, payload);
    }

    /**
     * Starts the closing handshake with a status (RFC 6455 5.5.1, 7.1.2). Does nothing if a close frame
     * was already sent, so it is safe to call twice.
     *
     * @param status the code and reason to send; the code must be one allowed on the wire
     * @return true if a close frame was queued
     * @throws IllegalArgumentException if the code may not be sent (1005, 1006, 1015, reserved codes)
     */
    public boolean close(CloseStatus status) {
        return startClosing(status.encode()); // encode() refuses codes that may not be on the wire
    }

    /**
     * Starts the closing handshake with an empty close frame: the peer reports 1005, no status.
     *
     * @return true if a close frame was queued
     */
    public boolean close() {
        return startClosing(EMPTY);
    }

    /**
     * The next buffer of bytes to write to the peer, in order.
     *
     * @return the buffer, ready to read and owned by the caller, or null when nothing is pending
     */
    public ByteBuffer pollOutput() {
        if (output == null) {
            return null;
        }
        ByteBuffer next = output.poll();
        if (next != null) {
            outputBytes -= next.remaining();
        }
        return next;
    }

    /** @return true when {@link #pollOutput()} would return bytes */
    public boolean hasOutput() {
        return output != null && !output.isEmpty();
    }

    /** @return the number of bytes queued for writing, framing included */
    public long pendingOutputBytes() {
        return outputBytes;
    }

    /**
     * Lets go of the internal event and output queues if they are empty, so that a connection gone quiet
     * holds no more than a new one (they are made again by the next event or frame). For transports that
     * keep many idle connections: call it when one has been quiet for a while; it costs nothing otherwise.
     */
    public void trim() {
        if (events != null && events.isEmpty()) {
            events = null;
        }
        if (output != null && output.isEmpty()) {
            output = null;
        }
    }

    // ---------------------------------------------------------------- state

    /** @return the state of the closing handshake */
    public State state() {
        if (closeReceived != null || failureStatus != null || eofReceived) {
            return State.CLOSED;
        }
        return closeSent ? State.CLOSING : State.OPEN;
    }

    /** @return which end this side is */
    public Role role() {
        return role;
    }

    /** @return the negotiated extensions, in negotiation order */
    public List<Extension> extensions() {
        return List.of(extensions);
    }

    /**
     * Whether this side sent its close frame and now waits for the peer to finish: the transport should
     * arm its close timer, and on expiry close TCP and call {@link #receiveEof()}.
     *
     * @return true from the close frame sent until end of stream
     */
    public boolean closeExpected() {
        return closeSent && !eofReceived;
    }

    /**
     * Whether the transport should flush the queued output and then close the TCP connection: after a
     * failure (RFC 6455 7.1.7), and on the server side once the closing handshake is complete (RFC 6455
     * 7.1.1: the server closes first; the client waits for it, under the close timer).
     *
     * @return true when the transport should close after flushing
     */
    public boolean transportShouldClose() {
        if (eofReceived) {
            return false;
        }
        return failureStatus != null || (closeReceived != null && role == Role.SERVER);
    }

    /** @return the peer's close status, once its close frame arrived; else null */
    public CloseStatus closeReceived() {
        return closeReceived;
    }

    // ---------------------------------------------------------------- called by the decoder

    /** A ping arrived; {@code payload} is the decoder's own copy and now belongs to the event. */
    void onPing(ByteBuffer payload) {
        // RFC 6455 5.5.2: answer a ping with a pong carrying the same application data, unless a close
        // frame was already sent (5.5.1: after that, the closing handshake is all that remains).
        if (!closeSent) {
            enqueueFrame(Opcode.PONG, 0, payload, true);
        }
        emit(new Event.Ping(payload));
    }

    /** A pong arrived; {@code payload} is the decoder's own copy and now belongs to the event. */
    void onPong(ByteBuffer payload) {
        emit(new Event.Pong(payload));
    }

    void onClose(CloseStatus status) {
        closeReceived = status;
        if (!closeSent) {
            // RFC 6455 5.5.1: reply with a close frame, echoing the status code received; an empty
            // close frame is answered with an empty one.
            ByteBuffer echo = status == CloseStatus.NO_STATUS ? EMPTY : CloseStatus.of(status.code()).encode();
            enqueueFrame(Opcode.CLOSE, 0, echo, true);
            closeSent = true;
        }
        emit(new Event.CloseReceived(status));
    }

    void onMessage(Event message) {
        emit(message);
    }

    // ---------------------------------------------------------------- internals

    /** The failure funnel: RFC 6455 7.1.7, fail the WebSocket connection. */
    private void fail(ProtocolException e) {
        failureStatus = new CloseStatus(e.closeCode(), e.wireReason());
        if (!closeSent) {
            // RFC 6455 7.1.7: send a close frame with the code before closing, if the connection is open.
            enqueueFrame(Opcode.CLOSE, 0, failureStatus.encode(), true);
            closeSent = true;
        }
        decoder.release();
        emit(new Event.Failure(e));
    }

    private boolean startClosing(ByteBuffer payload) {
        if (closeSent || state() == State.CLOSED) {
            return false;
        }
        enqueueFrame(Opcode.CLOSE, 0, payload, true);
        closeSent = true;
        return true;
    }

    private void sendControl(Opcode opcode, ByteBuffer payload) {
        // RFC 6455 5.5: control frames carry at most 125 bytes of payload.
        if (payload.remaining() > 125) {
            throw new IllegalArgumentException(opcode + " payload of " + payload.remaining()
                    + " bytes exceeds 125 (RFC 6455 5.5)");
        }
        requireOpen("send " + opcode);
        enqueueFrame(opcode, 0, payload, true);
    }

    private void sendData(Opcode type, ByteBuffer payload, boolean first, boolean last) {
        requireOpen("send " + type);
        int rsv = 0;
        ByteBuffer wire = payload;
        for (Extension extension : extensions) {
            Extension.Encoded encoded = extension.encode(type, wire, first, last);
            rsv |= encoded.rsv();
            wire = encoded.payload();
        }
        // RFC 6455 5.4: the first frame carries the type, the others are continuations.
        enqueueFrame(first ? type : Opcode.CONTINUATION, rsv, wire, last);
    }

    private void requireOpen(String action) {
        // RFC 6455 5.5.1: after sending a close frame, the endpoint must not send any more data frames.
        if (closeSent) {
            throw new WebSocketStateException("cannot " + action + ": the connection is " + state()
                    + " and a close frame was already sent (RFC 6455 5.5.1)");
        }
    }

    private void requireNoFragmentedMessage(Opcode type) {
        if (outboundMessage != null) {
            throw new WebSocketStateException("cannot send a whole " + type + " message inside a fragmented "
                    + outboundMessage + " message (RFC 6455 5.4)");
        }
    }

    private void enqueueFrame(Opcode opcode, int rsv, ByteBuffer payload, boolean fin) {
        // RFC 6455 5.1, 5.3: a client masks every frame with a fresh key; a server never masks.
        boolean masked = role == Role.CLIENT;
        enqueueOutput(FrameWriter.encode(fin, rsv, opcode, payload, masked, masked ? maskKeys.nextInt() : 0));
    }

    private void enqueueOutput(ByteBuffer frame) {
        if (output == null) {
            output = new ArrayDeque<>(4);
        }
        output.add(frame);
        outputBytes += frame.remaining();
    }

    private void emit(Event event) {
        if (events == null) {
            events = new ArrayDeque<>(4);
        }
        events.add(event);
    }

    /**
     * Configures a {@link WebSocketConnection}.
     *
     * <p>Threading: not thread-safe; build on one thread.
     */
    public static final class Builder {
        private static final SecureRandom DEFAULT_MASK_KEYS = new SecureRandom();

        private final Role role;
        private Limits limits = Limits.DEFAULT;
        private List<Extension> extensions = List.of();
        private boolean streaming;
        private RandomGenerator maskKeys = DEFAULT_MASK_KEYS;

        private Builder(Role role) {
            if (role == null) {
                throw new IllegalArgumentException("role is null");
            }
            this.role = role;
        }

        /**
         * @param limits the limits to enforce
         * @return this builder
         */
        public Builder limits(Limits limits) {
            if (limits == null) {
                throw new IllegalArgumentException("limits is null");
            }
            this.limits = limits;
            return this;
        }

        /**
         * @param extensions the extensions the opening handshake negotiated, in its order
         * @return this builder
         * @throws IllegalArgumentException if two extensions claim the same RSV bit
         */
        public Builder extensions(List<Extension> extensions) {
            int claimed = 0;
            for (Extension extension : extensions) {
                if ((claimed & extension.reservedBits()) != 0) {
                    throw new IllegalArgumentException("extension " + extension.name()
                            + " claims an RSV bit already owned by another extension");
                }
                claimed |= extension.reservedBits();
            }
            this.extensions = List.copyOf(extensions);
            return this;
        }

        /**
         * @param streaming true to receive {@link Event.Fragment}s as bytes arrive, false (the default)
         *     to receive whole {@link Event.Text} and {@link Event.Binary} messages
         * @return this builder
         */
        public Builder streaming(boolean streaming) {
            this.streaming = streaming;
            return this;
        }

        /**
         * @param maskKeys where a client draws its masking keys (RFC 6455 5.3 asks for a strong source of
         *     entropy; the default is a shared {@link SecureRandom}); unused by servers
         * @return this builder
         */
        public Builder maskKeys(RandomGenerator maskKeys) {
            if (maskKeys == null) {
                throw new IllegalArgumentException("maskKeys is null");
            }
            this.maskKeys = maskKeys;
            return this;
        }

        /** @return a new connection in state OPEN */
        public WebSocketConnection build() {
            return new WebSocketConnection(this);
        }
    }
}
