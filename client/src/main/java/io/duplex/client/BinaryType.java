package io.duplex.client;

/**
 * How a {@link WebSocket} exposes binary messages in {@link MessageEvent#data()} (the standard's
 * {@code BinaryType} enum).
 *
 * <p>Threading: immutable.
 */
public enum BinaryType {
    /** As a {@link Blob}: the default, as in browsers. */
    BLOB,
    /** As a read-only {@link java.nio.ByteBuffer} (the browser's {@code ArrayBuffer}). */
    ARRAYBUFFER;

    /** @return the name the web platform uses: "blob" or "arraybuffer" */
    public String webName() {
        return switch (this) {
            case BLOB -> "blob";
            case ARRAYBUFFER -> "arraybuffer";
        };
    }
}
