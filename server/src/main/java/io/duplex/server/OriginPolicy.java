package io.duplex.server;

import java.util.List;

/**
 * Which browser origins may open WebSockets (cross-site WebSocket hijacking defence). Requests without an
 * Origin header (non-browser clients) always pass; a rejected request gets 403.
 *
 * <p>Threading: immutable.
 */
public final class OriginPolicy {

    private OriginPolicy() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * The default: the Origin's host and port must equal the Host header's (scheme http for ws, https
     * for wss, default ports implied).
     */
    public static OriginPolicy sameOrigin() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Same origin, plus exactly these origins (for example "https://app.example.com"), compared case-insensitively. */
    public static OriginPolicy allow(String... origins) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Any origin: for public APIs that authenticate otherwise. */
    public static OriginPolicy any() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The extra allowed origins (empty for {@link #sameOrigin()} and {@link #any()}). */
    public List<String> allowedOrigins() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Whether {@code request} passes. */
    public boolean allows(HttpRequest request) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
