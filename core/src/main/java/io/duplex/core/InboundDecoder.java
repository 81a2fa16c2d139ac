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
 * <p>Memory: a control frame is gathered in a 125-byte array; a data message is built straight from the
 * receive buffer when it arrives in one piece, and otherwise in a {@link MessageAssembler} that is freed
 * when the message completes.
 *
 * <p>Threading: not thread-safe; confined to its connection's owner thread.
 */
final class InboundDecoder implements FrameReader.Consumer {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final byte[] NO_BYTES = new byte[0];
    /** A message assembled in a byte[] cannot exceed this, whatever the configured limit. */
    private static final long MAX_ARRAY_MESSAGE = Integer.MAX_VALUE - 8;

    private final WebSocketConnection connection;
    private final Role role;
    private final Limits limits;
    private final Extension[] extensions;
    private final Extension.PayloadSink[] sinks;
    private final int extensionBits;
    private final boolean streaming;
    private final long maxMessageSize;
    private final FrameReader reader = new FrameReader();

    // The frame being read.
    private Opcode frameOpcode;
    private boolean frameFin;
    private long frameRemaining;
    private byte[] control;
    private int controlSize;

    // The data message being read; messageType is null between messages.
    private Opcode messageType;
    private int messageRsv;
    private long messageSize;
    private boolean extensionSawEnd;
    private Utf8Validator utf8;
    private MessageAssembler assembler;

    InboundDecoder(WebSocketConnection connection, Role role, Limits limits, Extension[] extensions,
                   boolean streaming) {
        this.connection = connection;
        this.role = role;
        this.limits = limits;
        this.extensions = extensions;
        this.streaming = streaming;
        this.maxMessageSize = streaming ? limits.maxMessageSize() : Math.min(limits.maxMessageSize(), MAX_ARRAY_MESSAGE);
        int bits = 0;
        this.sinks = new Extension.PayloadSink[extensions.length];
        for (int i = 0; i < extensions.length; i++) {
            bits |= extensions[i].reservedBits();
            int next = i - 1;
            sinks[i] = decoded -> decodeThrough(next, decoded, false);
        }
        this.extensionBits = bits;
    }

    void read(ByteBuffer bytes) throws ProtocolException {
        reader.read(bytes, this);
    }

    /** Drops buffers held for a partial message once the connection is over. */
    void release() {
        assembler = null;
        control = null;
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
            controlSize = 0;
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
                int unowned = rsv & ~extensionBits;
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
            if (messageRsv == 0 && messageSize + payloadLength > maxMessageSize) {
                throw ProtocolException.tooBig("message of at least " + (messageSize + payloadLength)
                        + " bytes exceeds limit " + maxMessageSize);
            }
        }
        frameOpcode = op;
        frameFin = fin;
        frameRemaining = payloadLength;
    }

    @Override
    public void payload(ByteBuffer chunk) throws ProtocolException {
        int length = chunk.remaining();
        frameRemaining -= length;
        if (frameOpcode.isControl()) {
            if (control == null) {
                control = new byte[125];
            }
            chunk.get(control, controlSize, length);
            controlSize += length;
            return;
        }
        boolean messageEnds = frameFin && frameRemaining == 0;
        if (messageRsv != 0) {
            extensionSawEnd = messageEnds;
            decodeThrough(extensions.length - 1, chunk, messageEnds);
        } else {
            acceptData(chunk, messageEnds);
        }
    }

    @Override
    public boolean frameEnd() throws ProtocolException {
        switch (frameOpcode) {
            case PING -> connection.onPing(ByteBuffer.wrap(controlBytes(), 0, controlSize));
            case PONG -> connection.onPong(ByteBuffer.wrap(controlBytes(), 0, controlSize));
            case CLOSE -> {
                connection.onClose(CloseStatus.parse(ByteBuffer.wrap(controlBytes(), 0, controlSize)));
                // RFC 6455 5.5.1: nothing after the close frame is processed.
                return false;
            }
            case TEXT, BINARY, CONTINUATION -> {
                // A message still open here ended with a final frame that had no payload chunk (empty, or
                // all of it went through an extension): finish it.
                if (frameFin && messageType != null) {
                    if (messageRsv != 0 && !extensionSawEnd) {
                        decodeThrough(extensions.length - 1, EMPTY, true);
                    }
                    acceptData(EMPTY, true);
                }
            }
        }
        return true;
    }

    private byte[] controlBytes() {
        return control == null ? NO_BYTES : control;
    }

    private void startMessage(Opcode type, int rsv) {
        messageType = type;
        messageRsv = rsv;
        messageSize = 0;
        extensionSawEnd = false;
        if (type == Opcode.TEXT) {
            if (utf8 == null) {
                utf8 = new Utf8Validator();
            } else {
                utf8.reset();
            }
        }
    }

    /**
     * Passes a chunk through the extensions that transform this message, last negotiated first (the
     * reverse of the sending order), then to {@link #acceptData}.
     */
    private void decodeThrough(int index, ByteBuffer data, boolean fin) throws ProtocolException {
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
        messageSize += length;
        // Counted after any decompression, chunk by chunk (RFC 7692 gives no bound; we do).
        if (messageSize > maxMessageSize) {
            throw ProtocolException.tooBig("message of at least " + messageSize + " bytes exceeds limit "
                    + maxMessageSize);
        }
        if (messageType == Opcode.TEXT) {
            // RFC 6455 8.1: text must be valid UTF-8; fail at the first invalid byte, not at the end.
            if (!utf8.feed(data)) {
                throw ProtocolException.invalidPayload("text message is not valid UTF-8 at byte "
                        + utf8.validBytes() + " (RFC 6455 8.1)");
            }
            if (last && !utf8.isComplete()) {
                throw ProtocolException.invalidPayload("text message of " + messageSize
                        + " bytes ends inside a UTF-8 sequence (RFC 6455 8.1)");
            }
        }
        Opcode type = messageType;
        if (streaming) {
            if (length > 0 || last) {
                ByteBuffer piece = ByteBuffer.allocate(length);
                piece.put(0, data, data.position(), length);
                connection.onMessage(new Event.Fragment(type, piece, last));
            }
        } else if (last) {
            if (assembler == null || assembler.size() == 0) {
                connection.onMessage(MessageAssembler.single(type, data));
            } else {
                connection.onMessage(assembler.complete(type, data));
                assembler = null; // per-connection memory only while a message is partial
            }
        } else if (length > 0) {
            if (assembler == null) {
                assembler = new MessageAssembler();
            }
            assembler.append(data);
        }
        if (last) {
            messageType = null;
            messageRsv = 0;
        }
    }

    private static void requireNoRsv(int rsv, Opcode op) throws ProtocolException {
        if (rsv != 0) {
            throw ProtocolException.protocolError("RSV bits 0b" + Integer.toBinaryString(rsv) + " on a " + op
                    + " frame; no extension defines them there (RFC 6455 5.2)");
        }
    }
}
