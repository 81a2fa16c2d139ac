package io.duplex.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns the pieces of one data message into a whole {@link Event.Text} or {@link Event.Binary}. It holds
 * memory only while a message is partial: a message that arrives in one piece is built straight from
 * that piece, and the buffer of a multi-piece message is dropped once the message is complete.
 *
 * <p>The assembler does not check limits or UTF-8; its caller does, as each piece arrives (see {@link
 * WebSocketConnection}), so that a bad message fails at its first bad byte rather than at its end.
 *
 * <p>Threading: not thread-safe; confined to one owner thread.
 */
public final class MessageAssembler {

    private static final int FIRST_CAPACITY = 256;

    private byte[] buffer;
    private int size;

    /** Creates an empty assembler. */
    public MessageAssembler() {
    }

    /** @return the number of bytes of the partial message held so far */
    public int size() {
        return size;
    }

    /**
     * Adds a piece of the current message.
     *
     * @param piece bytes from position to limit; copied, and the buffer is left untouched
     */
    public void append(ByteBuffer piece) {
        int length = piece.remaining();
        if (length == 0) {
            return;
        }
        ensureCapacity(length);
        piece.get(piece.position(), buffer, size, length);
        size += length;
    }

    /**
     * Completes the message with its last piece and resets the assembler.
     *
     * @param type {@link Opcode#TEXT} or {@link Opcode#BINARY}
     * @param lastPiece the final bytes, possibly empty; copied, and the buffer is left untouched
     * @return the whole message
     */
    public Event complete(Opcode type, ByteBuffer lastPiece) {
        if (size == 0) {
            return single(type, lastPiece);
        }
        append(lastPiece);
        Event message = switch (type) {
            case TEXT -> new Event.Text(new String(buffer, 0, size, StandardCharsets.UTF_8));
            case BINARY -> new Event.Binary(ByteBuffer.wrap(Arrays.copyOf(buffer, size)));
            default -> throw new IllegalArgumentException("message type " + type + " is not TEXT or BINARY");
        };
        reset();
        return message;
    }

    /** Drops any partial message and its buffer. */
    public void reset() {
        buffer = null;
        size = 0;
    }

    /**
     * Builds a message that arrived in one piece, without an intermediate copy.
     *
     * @param type {@link Opcode#TEXT} or {@link Opcode#BINARY}
     * @param piece the whole message, left untouched
     * @return the message
     */
    public static Event single(Opcode type, ByteBuffer piece) {
        int length = piece.remaining();
        return switch (type) {
            // A direct buffer is copied out in bulk first: decoding it in place would go byte by byte
            // through a CharsetDecoder and a CharBuffer, many times slower than the JDK's String path.
            case TEXT -> new Event.Text(piece.hasArray()
                    ? new String(piece.array(), piece.arrayOffset() + piece.position(), length, StandardCharsets.UTF_8)
                    : new String(copy(piece), StandardCharsets.UTF_8));
            case BINARY -> new Event.Binary(ByteBuffer.wrap(copy(piece)));
            default -> throw new IllegalArgumentException("message type " + type + " is not TEXT or BINARY");
        };
    }

    private static byte[] copy(ByteBuffer piece) {
        byte[] copy = new byte[piece.remaining()];
        piece.get(piece.position(), copy);
        return copy;
    }

    private void ensureCapacity(int more) {
        int needed = size + more;
        if (buffer == null) {
            buffer = new byte[Math.max(FIRST_CAPACITY, needed)];
        } else if (needed > buffer.length) {
            // Doubling keeps appends amortised O(1); the caller's message limit bounds the growth.
            buffer = Arrays.copyOf(buffer, Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 8, 2L * buffer.length)));
        }
    }
}
