package io.duplex.client;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The HTML standard's {@code MessageEvent}, as a {@link WebSocket} fires it for each message received.
 *
 * <p>{@link #data()} is a {@link String} for a text message; for a binary message it is a {@link Blob}
 * or a read-only {@link ByteBuffer} (position 0, limit the size), as {@link WebSocket#binaryType()} was
 * when the message was dispatched.
 *
 * <p>Threading: immutable once dispatched.
 */
public final class MessageEvent extends Event {

    private final Object data;
    private final String origin;

    /**
     * Creates a message event.
     *
     * @param type the event type, normally "message"
     * @param data a {@link String}, {@link Blob} or {@link ByteBuffer}
     * @param origin the serialized origin of the sender, e.g. "ws://example.com:8080"
     */
    public MessageEvent(String type, Object data, String origin) {
        super(type);
        Objects.requireNonNull(data, "data");
        if (!(data instanceof String || data instanceof Blob || data instanceof ByteBuffer)) {
            throw new IllegalArgumentException("data of " + data.getClass() + " is not a String, Blob or ByteBuffer");
        }
        this.data = data instanceof ByteBuffer b && !b.isReadOnly() ? b.asReadOnlyBuffer() : data;
        this.origin = Objects.requireNonNull(origin, "origin");
    }

    /** @return the message: a {@link String}, a {@link Blob} or a read-only {@link ByteBuffer} */
    public Object data() {
        return data;
    }

    /** @return whether the message was a text message ({@link #data()} is a String) */
    public boolean isText() {
        return data instanceof String;
    }

    /**
     * @return the text of a text message
     * @throws IllegalStateException if the message was binary
     */
    public String text() {
        if (data instanceof String s) {
            return s;
        }
        throw new IllegalStateException("message is binary (" + data.getClass().getSimpleName() + "), not text");
    }

    /**
     * @return the bytes of a binary message (for a ByteBuffer, from its position to its limit)
     * @throws IllegalStateException if the message was text
     */
    public byte[] bytes() {
        return switch (data) {
            case Blob b -> b.bytes();
            case ByteBuffer b -> {
                byte[] copy = new byte[b.remaining()];
                b.get(b.position(), copy);
                yield copy;
            }
            default -> throw new IllegalStateException("message is text, not binary");
        };
    }

    /** @return the serialized origin of the WebSocket's URL, e.g. "wss://example.com" */
    public String origin() {
        return origin;
    }

    /** @return "", as WebSocket messages have no event id */
    public String lastEventId() {
        return "";
    }

    @Override
    public String toString() {
        return "MessageEvent[type=" + type() + ", data=" + (data instanceof String s && s.length() > 64
                ? s.substring(0, 64) + "..." : data) + "]";
    }
}
