package io.duplex.core;

/**
 * The bounds every connection enforces, on by default. Exceeding a frame or message limit fails the
 * connection with 1009 (RFC 6455 7.4.1); exceeding a handshake limit answers HTTP 431.
 *
 * <p>The defaults favour bounded memory over convenience, as a server facing the internet needs:
 * <ul>
 *   <li>{@code maxFramePayload} 1 MiB: checked against the frame header, before any payload is buffered;</li>
 *   <li>{@code maxMessageSize} 1 MiB: the sum of a message's payloads, counted after any decompression,
 *       chunk by chunk, so a compressed bomb fails the moment it crosses the limit;</li>
 *   <li>{@code maxHandshakeSize} 8 KiB: the whole HTTP head of the opening handshake, request line or
 *       status line and headers (the common reverse-proxy default);</li>
 *   <li>{@code maxHeaderLineLength} 8 KiB: one header or start line;</li>
 *   <li>{@code maxHeaderCount} 100: header fields in the head.</li>
 * </ul>
 * Raise them with the {@code with...} methods for applications that move large messages.
 *
 * <p>Threading: immutable.
 *
 * @param maxFramePayload largest frame payload accepted, in bytes
 * @param maxMessageSize largest message accepted, in bytes after decompression
 * @param maxHandshakeSize largest HTTP head accepted, in bytes
 * @param maxHeaderLineLength longest start line or header line accepted, in bytes, without CRLF
 * @param maxHeaderCount most header fields accepted
 */
public record Limits(long maxFramePayload, long maxMessageSize, int maxHandshakeSize, int maxHeaderLineLength,
                     int maxHeaderCount) {

    /** The defaults listed above. */
    public static final Limits DEFAULT = new Limits(1 << 20, 1 << 20, 8 << 10, 8 << 10, 100);

    /**
     * Checks that every limit is positive.
     *
     * @throws IllegalArgumentException naming the first limit that is not
     */
    public Limits {
        requirePositive("maxFramePayload", maxFramePayload);
        requirePositive("maxMessageSize", maxMessageSize);
        requirePositive("maxHandshakeSize", maxHandshakeSize);
        requirePositive("maxHeaderLineLength", maxHeaderLineLength);
        requirePositive("maxHeaderCount", maxHeaderCount);
    }

    /**
     * @param bytes the new frame limit
     * @return a copy with that limit
     */
    public Limits withMaxFramePayload(long bytes) {
        return new Limits(bytes, maxMessageSize, maxHandshakeSize, maxHeaderLineLength, maxHeaderCount);
    }

    /**
     * @param bytes the new message limit
     * @return a copy with that limit
     */
    public Limits withMaxMessageSize(long bytes) {
        return new Limits(maxFramePayload, bytes, maxHandshakeSize, maxHeaderLineLength, maxHeaderCount);
    }

    /**
     * Sets both the frame and the message limit, the usual single knob ("max payload").
     *
     * @param bytes the new limit for frames and messages
     * @return a copy with those limits
     */
    public Limits withMaxPayload(long bytes) {
        return new Limits(bytes, bytes, maxHandshakeSize, maxHeaderLineLength, maxHeaderCount);
    }

    /**
     * @param bytes the new head limit
     * @return a copy with that limit
     */
    public Limits withMaxHandshakeSize(int bytes) {
        return new Limits(maxFramePayload, maxMessageSize, bytes, maxHeaderLineLength, maxHeaderCount);
    }

    /**
     * @param bytes the new line limit
     * @return a copy with that limit
     */
    public Limits withMaxHeaderLineLength(int bytes) {
        return new Limits(maxFramePayload, maxMessageSize, maxHandshakeSize, bytes, maxHeaderCount);
    }

    /**
     * @param count the new header count limit
     * @return a copy with that limit
     */
    public Limits withMaxHeaderCount(int count) {
        return new Limits(maxFramePayload, maxMessageSize, maxHandshakeSize, maxHeaderLineLength, count);
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " of " + value + " must be positive");
        }
    }
}
