package io.duplex.core;

import io.duplex.core.extension.Extension;
import io.duplex.core.frame.FrameReader;
import java.nio.ByteBuffer;

/**
 * The strict decoder: consumes the frame parts that {@link FrameReader} reports and enforces RFC 6455 on
 * them (opcodes, RSV bits, masking direction, control frame rules, fragmentation, UTF-8, limits), then
 * hands whole control frames and messages (or message pieces, when streaming) to its {@link
 * WebSocketConnection}. Every rule broken throws {@link ProtocolException} into the connection's failure
 * funnel.
 *
 * <p>Memory: an idle connection holds no buffer here. A control frame's payload is gathered in an array of
 * its size, dropped when the frame ends; a data message is built straight from the receive buffer when it
 * arrives in one piece, and otherwise in a {@link MessageAssembler} that is freed when the message
 * completes; a text message is validated in one call when it arrives in one piece, and otherwise by a
 * {@link Utf8Validator} kept only while the message is partial. Settings the connection already holds
 * (role, extensions) are read from it rather than copied.
 *
 * <p>Threading: not thread-safe; confined to its connection's owner thread.
 */
final class InboundDecoder implements FrameReader.Consumer {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final byte[] NO_BYTES = new byte[0];
    private static final Extension.PayloadSink[] NO_SINKS = new Extension.PayloadSink[0];
    /** A message assembled in a byte[] cannot exceed this, whatever the configured limit. */
    private static final long MAX_ARRAY_MESSAGE = Integer.MAX_VALUE - 8;

    // Kept small: one decoder per connection, most of them idle.
    private final WebSocketConnection connection;
    private final Limits limits;
    private final Extension.PayloadSink[] sinks;
    private final FrameReader reader = new FrameReader();
    private final boolean streaming;

    // The frame being read (its remaining payload is the reader's).
    private boolean frameFin;
    private Opcode frameOpcode;
    private byte[] control;

    // The data message being read; messageType is null between messages.
    private boolean extensionSawEnd;
    private int messageRsv;
    private Opcode messageType;
    private long messageSize;
    private Utf8Validator utf8;
    private MessageAssembler assembler;

    InboundDecoder(WebSocketConnection connection, Limits limits, boolean streaming) {
        this.connection = connection;
        this.limits = limits;
        this.streaming = streaming;
        Extension[] extensions = connection.extensions;
        this.sinks = extensions.length == 0 ? NO_SINKS : new Extension.PayloadSink[extensions.length];
        for (int i = 0; i < extensions.length; i++) {
            int next = i - 1;
            sinks[i] = decoded -> decodeThrough(next, decoded, false);
        }
    }

    void read(ByteBuffer bytes) throws ProtocolException {
        reader.read(bytes, this);
    }

    /** Drops buffers held for a partial message once the connection is over. */
    void release() {
        assembler = null;
        utf8 = null;
        control = null;
    }

    /** The largest message accepted: the limit, and for whole messages what a byte[] can hold. */
    private long maxMessageSize() {
        long limit = limits.maxMessageSize();
        return streaming ? limit : Math.min(limit, MAX_ARRAY_MESSAGE);
    }

    @Override
    public void frameHeader(boolean fin, int rsv, int opcode, boolean masked, int maskKey, long payloadLength)
            throws ProtocolException {
        Opcode op = Opcode.of(opcode);
        // RFC 6455 5.2: reserved opcodes 0x3-0x7 and 0xB-0xF fail the connection.
        if (op == null) {
            throw ProtocolException.protocolError("reserved opcode 0x" + Integer.toHexString(opcode)
                    + " (RFC 6455 5.2)");
        }
        // RFC 6455 5.1: a client masks all frames it sends; a server masks none.
        Role role = connection.role();
        if (role == Role.SERVER && !masked) {
            throw ProtocolException.protocolError(op + " frame from the client is not masked (RFC 6455 5.1)");
        }
        if (role == Role.CLIENT && masked) {
            throw ProtocolException.protocolError(op + " frame from the server is masked (RFC 6455 5.1)");
        }
        if (op.isControl()) {
            // RFC 6455 5.5: control frames are not fragmented and carry at most 125 bytes.
            if (!fin) {
                throw ProtocolException.protocolError(op + " frame without FIN; control frames must not be"
                        + " fragmented (RFC 6455 5.5)");
            }
            if (payloadLength > 125) {
                throw ProtocolException.protocolError(op + " frame payload of " + payloadLength
                        + " bytes exceeds 125 (RFC 6455 5.5)");
            }
            // RFC 6455 5.2: RSV bits must be 0 unless an extension defines them; ours define them for the
            // first frame of data messages only (as RFC 7692 6 does for RSV1).
            requireNoRsv(rsv, op);
            control = payloadLength == 0 ? NO_BYTES : new byte[(int) payloadLength];
        } else {
            if (op == Opcode.CONTINUATION) {
                // RFC 6455 5.4: a continuation frame continues a message that was started.
                if (messageType == null) {
                    throw ProtocolException.protocolError("continuation frame without a message to continue"
                            + " (RFC 6455 5.4)");
                }
                requireNoRsv(rsv, op);
            } else {
                // RFC 6455 5.4: fragments of one message are not interleaved with another message.
                if (messageType != null) {
                    throw ProtocolException.protocolError(op + " frame while a fragmented " + messageType
                            + " message is unfinished (RFC 6455 5.4)");
                }
                // RFC 6455 5.2: RSV bits are rejected unless a negotiated extension owns them.
                int unowned = rsv & ~extensionBits();
                if (unowned != 0) {
                    throw ProtocolException.protocolError("RSV bits 0b" + Integer.toBinaryString(rsv) + " on a "
                            + op + " frame are not owned by a negotiated extension (RFC 6455 5.2)");
                }
                startMessage(op, rsv);
            }
            if (payloadLength > limits.maxFramePayload()) {
                throw ProtocolException.tooBig("frame payload of " + payloadLength + " bytes exceeds limit "
                        + limits.maxFramePayload());
            }
            // Without a transforming extension the wire size is the message size: fail before buffering.
            long max = maxMessageSize();
            if (messageRsv == 0 && messageSize + payloadLength > max) {
                throw ProtocolException.tooBig("message of at least " + (messageSize + payloadLength)
                        + " bytes exceeds limit " + max);
            }
        }
        frameOpcode = op;
        frameFin = fin;
    }

    @Override
    public void payload(ByteBuffer chunk) throws ProtocolException {
        int length = chunk.remaining();
        long frameRemaining = reader.payloadRemaining(); // after this chunk
        if (frameOpcode.isControl()) {
            chunk.get(control, control.length - (int) frameRemaining - length, length);
            return;
        }
        boolean messageEnds = frameFin && frameRemaining == 0;
        if (messageRsv != 0) {
            extensionSawEnd = messageEnds;
            decodeThrough(sinks.length - 1, chunk, messageEnds);
        } else {
            acceptData(chunk, messageEnds);
        }
    }

    @Override
    public boolean frameEnd() throws ProtocolException {
        switch (frameOpcode) {
            case PING -> connection.onPing(ByteBuffer.wrap(takeControl()));
            case PONG -> connection.onPong(ByteBuffer.wrap(takeControl()));
            case CLOSE -> {
                connection.onClose(CloseStatus.parse(ByteBuffer.wrap(takeControl())));
                // RFC 6455 5.5.1: nothing after the close frame is processed.
                return false;
            }
            case TEXT, BINARY, CONTINUATION -> {
                // A message still open here ended with a final frame that had no payload chunk (empty, or
                // all of it went through an extension): finish it.
                if (frameFin && messageType != null) {
                    if (messageRsv != 0 && !extensionSawEnd) {
                        decodeThrough(sinks.length - 1, EMPTY, true);
                    }
                    acceptData(EMPTY, true);
                }
            }
        }
        return true;
    }

    /** The control frame's payload, which the decoder lets go of. */
    private byte[] takeControl() {
        byte[] payload = control;
        control = null;
        return payload;
    }

    private int extensionBits() {
        int bits = 0;
        for (Extension extension : connection.extensions) {
            bits |= extension.reservedBits();
        }
        return bits;
    }

    private void startMessage(Opcode type, int rsv) {
        messageType = type;
        messageRsv = rsv;
        messageSize = 0;
        extensionSawEnd = false;
        utf8 = null;
    }

    /**
     * Passes a chunk through the extensions that transform this message, last negotiated first (the
     * reverse of the sending order), then to {@link #acceptData}.
     */
    private void decodeThrough(int index, ByteBuffer data, boolean fin) throws ProtocolException {
        Extension[] extensions = connection.extensions;
        int i = index;
        while (i >= 0 && (messageRsv & extensions[i].reservedBits()) == 0) {
            i--;
        }
        if (i < 0) {
            if (data.hasRemaining()) {
                acceptData(data, false);
            }
            return;
        }
        extensions[i].decode(messageRsv, data, fin, sinks[i]);
        if (fin) {
            decodeThrough(i - 1, EMPTY, true);
        }
    }

    /** Takes decoded message bytes: counts them, validates text, and delivers or buffers them. */
    private void acceptData(ByteBuffer data, boolean last) throws ProtocolException {
        int length = data.remaining();
        boolean whole = last && messageSize == 0;
        messageSize += length;
        // Counted after any decompression, chunk by chunk (RFC 7692 gives no bound; we do).
        long max = maxMessageSize();
        if (messageSize > max) {
            throw ProtocolException.tooBig("message of at least " + messageSize + " bytes exceeds limit " + max);
        }
        Opcode type = messageType;
        if (whole && !streaming) {
            // The common case, a message in one piece: built straight from the receive buffer. Text in a
            // direct buffer is copied out once first, then validated and decoded from that array (the bulk
            // copy costs less than reading a direct buffer byte by byte, twice).
            ByteBuffer piece = type == Opcode.TEXT && !data.hasArray() ? ByteBuffer.wrap(copy(data)) : data;
            if (type == Opcode.TEXT) {
                validateText(piece, true, true);
            }
            connection.onMessage(MessageAssembler.single(type, piece));
        } else if (streaming) {
            if (type == Opcode.TEXT) {
                validateText(data, whole, last);
            }
            if (length > 0 || last) {
                ByteBuffer piece = ByteBuffer.allocate(length);
                piece.put(0, data, data.position(), length);
                connection.onMessage(new Event.Fragment(type, piece, last));
            }
        } else {
            if (type == Opcode.TEXT) {
                validateText(data, false, last);
            }
            if (last) {
                connection.onMessage(assembler == null ? MessageAssembler.single(type, data) : assembler.complete(type, data));
                assembler = null; // per-connection memory only while a message is partial
            } else if (length > 0) {
                if (assembler == null) {
                    assembler = new MessageAssembler();
                }
                assembler.append(data);
            }
        }
        if (last) {
            messageType = null;
            messageRsv = 0;
        }
    }

    /**
     * RFC 6455 8.1: text must be valid UTF-8; fail at the first invalid byte, not at the end. A message in
     * one piece is checked in one call; a partial one feeds a validator that lives until the message ends.
     */
    private void validateText(ByteBuffer data, boolean whole, boolean last) throws ProtocolException {
        if (whole && Utf8Validator.isValid(data)) {
            return;
        }
        if (utf8 == null) {
            utf8 = new Utf8Validator();
        }
        if (!utf8.feed(data)) {
            throw ProtocolException.invalidPayload("text message is not valid UTF-8 at byte "
                    + utf8.validBytes() + " (RFC 6455 8.1)");
        }
        if (last) {
            boolean complete = utf8.isComplete();
            utf8 = null;
            if (!complete) {
                throw ProtocolException.invalidPayload("text message of " + messageSize
                        + " bytes ends inside a UTF-8 sequence (RFC 6455 8.1)");
            }
        }
    }

    private static byte[] copy(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(data.position(), bytes);
        return bytes;
    }

    private static void requireNoRsv(int rsv, Opcode op) throws ProtocolException {
        if (rsv != 0) {
            throw ProtocolException.protocolError("RSV bits 0b" + Integer.toBinaryString(rsv) + " on a " + op
                    + " frame; no extension defines them there (RFC 6455 5.2)");
        }
    }
}
