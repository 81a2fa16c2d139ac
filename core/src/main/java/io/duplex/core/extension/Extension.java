package io.duplex.core.extension;

import io.duplex.core.Opcode;
import io.duplex.core.ProtocolException;
import java.nio.ByteBuffer;

/**
 * A negotiated extension on one connection (RFC 6455 9): it owns some RSV bits and transforms the payload
 * of data messages, inbound and outbound. permessage-deflate (RFC 7692) is the one in common use.
 *
 * <p>{@link io.duplex.core.WebSocketConnection} calls it per message. Inbound, a message whose first
 * frame sets any of {@link #reservedBits()} is passed through {@link #decode} chunk by chunk, and the
 * decoded bytes go to a sink that counts them against the message limit, so an extension that expands
 * data (decompression) is bounded as it goes. Frames that set RSV bits no negotiated extension owns fail
 * with 1002 before reaching here (RFC 6455 5.2).
 *
 * <p>Threading: not thread-safe; confined to its connection's owner thread.
 */
public interface Extension {

    /** RSV1, the bit in {@link #reservedBits()} for the first reserved bit (0x40 of the first byte). */
    int RSV1 = 0b100;
    /** RSV2, the bit for the second reserved bit (0x20 of the first byte). */
    int RSV2 = 0b010;
    /** RSV3, the bit for the third reserved bit (0x10 of the first byte). */
    int RSV3 = 0b001;

    /** @return the extension token, e.g. {@code permessage-deflate} */
    String name();

    /**
     * The extension as agreed: what a server puts in its response header, and what a client reports as
     * {@code extensions}.
     *
     * @return the name and negotiated parameters
     */
    ExtensionOffer negotiated();

    /** @return the RSV bits this extension owns, a combination of {@link #RSV1}, {@link #RSV2}, {@link #RSV3} */
    int reservedBits();

    /**
     * Receives decoded payload bytes; the connection's implementation enforces the message limit.
     */
    @FunctionalInterface
    interface PayloadSink {
        /**
         * @param decoded bytes of decoded payload, valid only during the call
         * @throws ProtocolException when the bytes break a limit or, for text, UTF-8
         */
        void accept(ByteBuffer decoded) throws ProtocolException;
    }

    /**
     * Decodes one chunk of an inbound data message's payload.
     *
     * @param rsv the RSV bits of the message's first frame, as {@link #RSV1}-style bits
     * @param chunk payload bytes as received (unmasked), valid only during the call
     * @param fin whether this chunk ends the message
     * @param out where decoded bytes go, in order, as soon as they are produced
     * @throws ProtocolException if the payload is corrupt for this extension (1002, or 1007 for data that
     *     cannot be decoded) or {@code out} rejects it
     */
    void decode(int rsv, ByteBuffer chunk, boolean fin, PayloadSink out) throws ProtocolException;

    /**
     * The result of encoding an outbound message or fragment.
     *
     * @param rsv the RSV bits to set on the frame, as {@link #RSV1}-style bits
     * @param payload the payload to put on the wire, ready to read
     */
    record Encoded(int rsv, ByteBuffer payload) {
    }

    /**
     * Encodes an outbound data message, or one fragment of it.
     *
     * @param opcode {@link Opcode#TEXT} or {@link Opcode#BINARY}, the type of the message
     * @param payload the payload; must not be modified (it may be the application's buffer)
     * @param first whether this is the message's first fragment (RSV bits go on the first frame only)
     * @param fin whether this is the message's last fragment
     * @return the transformed payload and the RSV bits for this frame
     */
    Encoded encode(Opcode opcode, ByteBuffer payload, boolean first, boolean fin);

    /** Releases native or pooled resources (e.g. {@code Deflater}); called once when the connection ends. */
    default void release() {
    }
}
