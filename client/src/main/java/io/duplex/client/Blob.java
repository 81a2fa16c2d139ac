package io.duplex.client;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Immutable bytes with a MIME type: the File API's {@code Blob}, as {@link MessageEvent#data()} carries
 * binary messages when {@link WebSocket#binaryType()} is {@link BinaryType#BLOB}, and as {@link
 * WebSocket#send(Blob)} takes them. The bytes are in memory, so the reading methods answer at once
 * instead of returning promises.
 *
 * <p>Threading: immutable; safe to share.
 */
public final class Blob {

    private static final byte[] NONE = new byte[0];

    private final byte[] bytes;
    private final int offset;
    private final int size;
    private final String type;

    private Blob(byte[] bytes, int offset, int size, String type) {
        this.bytes = bytes;
        this.offset = offset;
        this.size = size;
        this.type = type;
    }

    /**
     * A blob holding a copy of {@code bytes}, of type "".
     *
     * @param bytes the content
     * @return the blob
     */
    public static Blob of(byte[] bytes) {
        return of(bytes, "");
    }

    /**
     * A blob holding a copy of {@code bytes}.
     *
     * @param bytes the content
     * @param type a MIME type; lower-cased, and "" if it holds characters outside U+0020-U+007E (the File
     *     API's rule)
     * @return the blob
     */
    public static Blob of(byte[] bytes, String type) {
        byte[] copy = bytes.clone();
        return new Blob(copy, 0, copy.length, normalizeType(type));
    }

    /**
     * A blob holding the UTF-8 encoding of {@code text}, of type "".
     *
     * @param text the content
     * @return the blob
     */
    public static Blob ofText(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return new Blob(utf8, 0, utf8.length, "");
    }

    /** An empty blob. */
    static Blob empty() {
        return new Blob(NONE, 0, 0, "");
    }

    /** Wraps without copying: for bytes no one else holds. */
    static Blob wrap(ByteBuffer owned) {
        if (owned.hasArray()) {
            return new Blob(owned.array(), owned.arrayOffset() + owned.position(), owned.remaining(), "");
        }
        byte[] copy = new byte[owned.remaining()];
        owned.get(owned.position(), copy);
        return new Blob(copy, 0, copy.length, "");
    }

    /** @return the number of bytes */
    public long size() {
        return size;
    }

    /** @return the MIME type, lower case, or "" if unknown */
    public String type() {
        return type;
    }

    /** @return a copy of the bytes */
    public byte[] bytes() {
        return Arrays.copyOfRange(bytes, offset, offset + size);
    }

    /** @return the bytes as a read-only buffer (no copy), position 0 (the File API's {@code arrayBuffer()}) */
    public ByteBuffer arrayBuffer() {
        return ByteBuffer.wrap(bytes, offset, size).slice().asReadOnlyBuffer();
    }

    /** @return a stream over the bytes */
    public InputStream stream() {
        return new ByteArrayInputStream(bytes, offset, size);
    }

    /** @return the bytes decoded as UTF-8, malformed sequences replaced by U+FFFD (the File API's {@code text()}) */
    public String text() {
        return new String(bytes, offset, size, StandardCharsets.UTF_8);
    }

    /**
     * A blob of part of these bytes, without copying: the File API's {@code slice(start, end,
     * contentType)}. Negative indices count from the end; indices are clamped to {@code [0, size]}.
     *
     * @param start the first byte, inclusive
     * @param end the last byte, exclusive
     * @param contentType the new blob's type
     * @return the slice; empty if {@code end <= start} after clamping
     */
    public Blob slice(long start, long end, String contentType) {
        int from = clamp(start);
        int to = clamp(end);
        int span = Math.max(to - from, 0);
        return new Blob(bytes, offset + from, span, normalizeType(contentType));
    }

    /**
     * {@link #slice(long, long, String)} with type "".
     *
     * @param start the first byte, inclusive
     * @param end the last byte, exclusive
     * @return the slice
     */
    public Blob slice(long start, long end) {
        return slice(start, end, "");
    }

    private int clamp(long index) {
        // File API, slice: a negative index counts back from the end; both are clamped to [0, size]
        long relative = index < 0 ? Math.max(size + index, 0) : Math.min(index, size);
        return (int) relative;
    }

    private static String normalizeType(String type) {
        Objects.requireNonNull(type, "type");
        // File API, Blob constructor: a type with a character outside U+0020-U+007E becomes ""
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return "";
            }
        }
        return type.toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Blob b && type.equals(b.type)
                && Arrays.equals(bytes, offset, offset + size, b.bytes, b.offset, b.offset + b.size);
    }

    @Override
    public int hashCode() {
        int h = type.hashCode();
        for (int i = offset; i < offset + size; i++) {
            h = 31 * h + bytes[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return "Blob[size=" + size + ", type=\"" + type + "\"]";
    }
}
