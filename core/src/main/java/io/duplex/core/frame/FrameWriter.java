package io.duplex.core.frame;

import io.duplex.core.Opcode;
import java.nio.ByteBuffer;

/**
 * Encodes frames (RFC 6455 5.2): the header with the minimal length encoding, and the payload, masked
 * into the output when the sender is a client (RFC 6455 5.3). The caller's payload buffer is never
 * modified, not even its position, so one application buffer can be sent to many connections.
 *
 * <p>Threading: stateless; safe from any thread.
 */
public final class FrameWriter {

    /** The longest header: 2 bytes, 8 of extended length, 4 of masking key. */
    public static final int MAX_HEADER_LENGTH = 14;

    private FrameWriter() {
    }

    /**
     * The header length for a payload.
     *
     * @param payloadLength the payload length
     * @param masked whether a masking key follows the length
     * @return 2 to 14
     */
    public static int headerLength(long payloadLength, boolean masked) {
        int length = payloadLength < 126 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
        return masked ? length + 4 : length;
    }

    /**
     * Writes a frame header at {@code target}'s position and advances it.
     *
     * @param target where the header goes; needs {@link #headerLength} bytes free
     * @param fin the FIN bit
     * @param rsv the RSV1-3 bits as a 3-bit value (RSV1 = 0b100)
     * @param opcode the opcode
     * @param payloadLength the payload length, 0 to 2^63-1
     * @param masked whether to set MASK and write {@code maskKey}
     * @param maskKey the masking key, big-endian
     */
    public static void writeHeader(ByteBuffer target, boolean fin, int rsv, Opcode opcode, long payloadLength,
                                   boolean masked, int maskKey) {
        if (payloadLength < 0) {
            throw new IllegalArgumentException("payload length " + payloadLength + " is negative");
        }
        target.put((byte) ((fin ? 0x80 : 0) | (rsv & 0x7) << 4 | opcode.code()));
        int maskBit = masked ? 0x80 : 0;
        // RFC 6455 5.2: 7-bit lengths up to 125, 126 then 16 bits, 127 then 64 bits; the minimal form.
        if (payloadLength < 126) {
            target.put((byte) (maskBit | payloadLength));
        } else if (payloadLength <= 0xFFFF) {
            target.put((byte) (maskBit | 126));
            target.put((byte) (payloadLength >>> 8)).put((byte) payloadLength);
        } else {
            target.put((byte) (maskBit | 127));
            for (int shift = 56; shift >= 0; shift -= 8) {
                target.put((byte) (payloadLength >>> shift));
            }
        }
        if (masked) {
            target.put((byte) (maskKey >>> 24)).put((byte) (maskKey >>> 16))
                    .put((byte) (maskKey >>> 8)).put((byte) maskKey);
        }
    }

    /**
     * Writes a whole frame at {@code target}'s position and advances it.
     *
     * @param target where the frame goes; needs header plus payload bytes free
     * @param fin the FIN bit
     * @param rsv the RSV1-3 bits as a 3-bit value
     * @param opcode the opcode
     * @param payload the payload, read from position to limit and left untouched
     * @param masked whether to mask (client to server, RFC 6455 5.3)
     * @param maskKey the masking key, big-endian
     */
    public static void writeFrame(ByteBuffer target, boolean fin, int rsv, Opcode opcode, ByteBuffer payload,
                                  boolean masked, int maskKey) {
        writeHeader(target, fin, rsv, opcode, payload.remaining(), masked, maskKey);
        if (masked) {
            Masking.mask(payload, target, maskKey);
        } else {
            target.put(target.position(), payload, payload.position(), payload.remaining());
            target.position(target.position() + payload.remaining());
        }
    }

    /**
     * Encodes a whole frame into a new heap buffer.
     *
     * @param fin the FIN bit
     * @param rsv the RSV1-3 bits as a 3-bit value
     * @param opcode the opcode
     * @param payload the payload, read from position to limit and left untouched
     * @param masked whether to mask (client to server, RFC 6455 5.3)
     * @param maskKey the masking key, big-endian
     * @return the frame, ready to read
     */
    public static ByteBuffer encode(boolean fin, int rsv, Opcode opcode, ByteBuffer payload, boolean masked,
                                    int maskKey) {
        int length = payload.remaining();
        ByteBuffer frame = ByteBuffer.allocate(headerLength(length, masked) + length);
        writeFrame(frame, fin, rsv, opcode, payload, masked, maskKey);
        return frame.flip();
    }
}
