package io.duplex.core.frame;

import io.duplex.core.ProtocolException;
import java.nio.ByteBuffer;

/**
 * The dumb reader: turns bytes into frame parts and reports them to a {@link Consumer}, in this order for
 * every frame: one {@link Consumer#frameHeader}, zero or more {@link Consumer#payload} chunks (already
 * unmasked), one {@link Consumer#frameEnd}. A frame's payload is reported as it arrives, so nothing is
 * buffered here but a partial header (at most 14 bytes). Which opcodes, RSV bits and masks are allowed
 * is the consumer's business (the strict decoder, {@link io.duplex.core.WebSocketConnection}); the reader
 * rejects only what makes the bytes themselves unreadable: a length with the 64-bit high bit set or not in
 * its minimal encoding (RFC 6455 5.2).
 *
 * <p>Payload chunks are unmasked in place in the input buffer, which belongs to the transport.
 *
 * <p>Threading: not thread-safe; confined to its connection's owner thread.
 */
public final class FrameReader {

    /** Receives frame parts in the documented order. */
    public interface Consumer {
        /**
         * A frame header, complete.
         *
         * @param fin the FIN bit
         * @param rsv the RSV1-3 bits as a 3-bit value (RSV1 = 0b100)
         * @param opcode the 4-bit opcode, possibly a reserved one
         * @param masked the MASK bit
         * @param maskKey the masking key, big-endian (key byte 0 most significant); 0 when not masked
         * @param payloadLength the payload length, 0 to 2^63-1
         * @throws ProtocolException to fail the connection; the reader then stops
         */
        void frameHeader(boolean fin, int rsv, int opcode, boolean masked, int maskKey, long payloadLength)
                throws ProtocolException;

        /**
         * A chunk of the current frame's payload, unmasked. The buffer is the reader's input with its
         * position and limit set around the chunk; it is valid only during the call and the consumer may
         * move its position.
         *
         * @param chunk the payload bytes
         * @throws ProtocolException to fail the connection
         */
        void payload(ByteBuffer chunk) throws ProtocolException;

        /**
         * The current frame ended.
         *
         * @return true to go on reading, false to stop before the next frame (after a close frame)
         * @throws ProtocolException to fail the connection
         */
        boolean frameEnd() throws ProtocolException;
    }

    private static final int MAX_HEADER = 14;

    // Kept small: one reader per connection, most of them idle.
    /** A header split across reads, while it is; else null. */
    private byte[] header;
    private byte headerFilled;
    private boolean inPayload;
    private boolean stopped;
    private long payloadRemaining;
    /**
     * The masking key rotated so that its most significant byte applies to the next payload byte; 0 when
     * the frame is not masked (a zero key unmasks nothing either, so both skip the work).
     */
    private int maskKey;

    /** Creates a reader waiting for the first byte of a frame. */
    public FrameReader() {
    }

    /**
     * Reads as many frame parts as {@code in} holds and reports them. Consumes the whole buffer unless the
     * consumer stops or fails, in which case {@code in}'s position is left just after the last byte used.
     *
     * @param in bytes from the peer; payload bytes in it are unmasked in place
     * @param consumer where the parts go
     * @throws ProtocolException from the reader (bad length encoding) or the consumer; the reader is then
     *     stopped for good
     */
    public void read(ByteBuffer in, Consumer consumer) throws ProtocolException {
        if (stopped) {
            return;
        }
        try {
            while (true) {
                if (!inPayload) {
                    if (!readHeader(in, consumer)) {
                        return;
                    }
                    if (payloadRemaining == 0 && endFrame(consumer)) {
                        return;
                    }
                    continue;
                }
                int available = in.remaining();
                if (available == 0) {
                    return;
                }
                int chunk = (int) Math.min(available, payloadRemaining);
                int start = in.position();
                int end = start + chunk;
                if (maskKey != 0) {
                    Masking.unmask(in, start, end, maskKey, 0);
                    maskKey = Integer.rotateLeft(maskKey, (chunk & 3) << 3);
                }
                payloadRemaining -= chunk;
                int limit = in.limit();
                in.limit(end);
                consumer.payload(in);
                in.limit(limit).position(end);
                if (payloadRemaining == 0 && endFrame(consumer)) {
                    return;
                }
            }
        } catch (ProtocolException e) {
            stopped = true;
            throw e;
        }
    }

    /** @return true once a consumer stopped the reader or a failure did; nothing is read after that */
    public boolean isStopped() {
        return stopped;
    }

    /** @return true when the reader is between frames (no partial header or payload pending) */
    public boolean isAtFrameBoundary() {
        return !inPayload && headerFilled == 0;
    }

    /**
     * The payload bytes of the current frame not reported yet. During {@link Consumer#payload} the chunk
     * being reported is already counted out, so 0 there means the chunk ends the frame's payload.
     *
     * @return the bytes still to come in the current frame; 0 between frames
     */
    public long payloadRemaining() {
        return inPayload ? payloadRemaining : 0;
    }

    /** Returns true when the consumer asked to stop. */
    private boolean endFrame(Consumer consumer) throws ProtocolException {
        inPayload = false;
        if (!consumer.frameEnd()) {
            stopped = true;
            return true;
        }
        return false;
    }

    /**
     * Reads a header, from {@code in} directly when it holds the whole header (the common case), else
     * through the 14-byte accumulator. Returns false when more bytes are needed.
     */
    private boolean readHeader(ByteBuffer in, Consumer consumer) throws ProtocolException {
        if (headerFilled == 0 && in.remaining() >= 2) {
            int pos = in.position();
            int second = in.get(pos + 1);
            int needed = headerLength(second);
            if (in.remaining() >= needed) {
                parseHeader(in, pos, consumer);
                in.position(pos + needed);
                return true;
            }
        }
        while (in.hasRemaining()) {
            if (header == null) {
                header = new byte[MAX_HEADER];
            }
            header[headerFilled++] = in.get();
            if (headerFilled >= 2 && headerFilled == headerLength(header[1])) {
                ByteBuffer whole = ByteBuffer.wrap(header);
                header = null;
                headerFilled = 0;
                parseHeader(whole, 0, consumer);
                return true;
            }
        }
        return false;
    }

    private static int headerLength(int secondByte) {
        int length7 = secondByte & 0x7F;
        int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        return 2 + extended + ((secondByte & 0x80) != 0 ? 4 : 0);
    }

    // RFC 6455 5.2: the base framing protocol.
    //
    //   0                   1                   2                   3
    //   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    //  +-+-+-+-+-------+-+-------------+-------------------------------+
    //  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
    //  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
    //  |N|V|V|V|       |S|             |   (if payload len==126/127)   |
    //  | |1|2|3|       |K|             |                               |
    //  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
    //  |     Extended payload length continued, if payload len == 127  |
    //  + - - - - - - - - - - - - - - - +-------------------------------+
    //  |                               |Masking-key, if MASK set to 1  |
    //  +-------------------------------+-------------------------------+
    //  | Masking-key (continued)       |          Payload Data         |
    //  +-------------------------------- - - - - - - - - - - - - - - - +
    private void parseHeader(ByteBuffer b, int pos, Consumer consumer) throws ProtocolException {
        int first = b.get(pos) & 0xFF;
        int second = b.get(pos + 1) & 0xFF;
        boolean fin = (first & 0x80) != 0;
        int rsv = (first >> 4) & 0x7;
        int opcode = first & 0x0F;
        boolean masked = (second & 0x80) != 0;
        long length = second & 0x7F;
        int next = pos + 2;
        if (length == 126) {
            length = ((b.get(next) & 0xFF) << 8) | (b.get(next + 1) & 0xFF);
            next += 2;
            // RFC 6455 5.2: "the minimal number of bytes MUST be used to encode the length".
            if (length < 126) {
                throw ProtocolException.protocolError("payload length " + length
                        + " sent in the 16-bit form; RFC 6455 5.2 requires the minimal encoding");
            }
        } else if (length == 127) {
            length = bigEndianLong(b, next);
            next += 8;
            // RFC 6455 5.2: "the most significant bit MUST be 0" in the 64-bit length.
            if (length < 0) {
                throw ProtocolException.protocolError("64-bit payload length has its most significant bit set"
                        + " (RFC 6455 5.2)");
            }
            if (length <= 0xFFFF) {
                throw ProtocolException.protocolError("payload length " + length
                        + " sent in the 64-bit form; RFC 6455 5.2 requires the minimal encoding");
            }
        }
        int key = masked ? bigEndianInt(b, next) : 0;
        maskKey = key;
        payloadRemaining = length;
        inPayload = true;
        consumer.frameHeader(fin, rsv, opcode, masked, key, length);
    }

    private static int bigEndianInt(ByteBuffer b, int index) {
        return ((b.get(index) & 0xFF) << 24) | ((b.get(index + 1) & 0xFF) << 16)
                | ((b.get(index + 2) & 0xFF) << 8) | (b.get(index + 3) & 0xFF);
    }

    /** Reads 8 bytes big-endian whatever the buffer's byte order (the wire is big-endian, RFC 6455 5.2). */
    private static long bigEndianLong(ByteBuffer b, int index) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (b.get(index + i) & 0xFF);
        }
        return value;
    }
}
