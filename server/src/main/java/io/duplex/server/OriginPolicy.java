package io.duplex.server;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which browser origins may open WebSockets (cross-site WebSocket hijacking defence). Requests without an
 * Origin header (non-browser clients) always pass; a rejected request gets 403.
 *
 * <p>RFC 6455 10.2 leaves the check to the server; browsers always send Origin (RFC 6454 7), so comparing
 * it with the Host the browser connected to stops other sites' pages from riding on a user's cookies.
 *
 * <p>Threading: immutable.
 */
public final class OriginPolicy {

    private static final OriginPolicy SAME_ORIGIN = new OriginPolicy(false, List.of());
    private static final OriginPolicy ANY = new OriginPolicy(true, List.of());

    private final boolean any;
    private final List<String> allowed;

    private OriginPolicy(boolean any, List<String> allowed) {
        this.any = any;
        this.allowed = allowed;
    }

    /**
     * The default: the Origin's host and port must equal the Host header's (scheme http for ws, https
     * for wss, default ports implied).
     */
    public static OriginPolicy sameOrigin() {
        return SAME_ORIGIN;
    }

    /** Same origin, plus exactly these origins (for example "https://app.example.com"), compared case-insensitively. */
    public static OriginPolicy allow(String... origins) {
        for (String origin : origins) {
            if (origin == null || origin.isBlank()) {
                throw new IllegalArgumentException("allowed origin \"" + origin + "\" is empty");
            }
        }
        return new OriginPolicy(false, List.of(origins));
    }

    /** Any origin: for public APIs that authenticate otherwise. */
    public static OriginPolicy any() {
        return ANY;
    }

    /** The extra allowed origins (empty for {@link #sameOrigin()} and {@link #any()}). */
    public List<String> allowedOrigins() {
        return allowed;
    }

    /** Whether {@code request} passes. */
    public boolean allows(HttpRequest request) {
        Optional<String> header = request.header("Origin");
        if (any || header.isEmpty()) {
            return true;
        }
        String origin = header.get();
        for (String candidate : allowed) {
            if (candidate.equalsIgnoreCase(origin)) {
                return true;
            }
        }
        return isSameOrigin(origin, request.header("Host").orElse(null), request.secure());
    }

    /**
     * RFC 6454 4 and 6.2: an origin is scheme "://" host [":" port]; the tuple compared is (scheme, host,
     * port) with the scheme's default port implied. The scheme must be the one a page on this server has:
     * http for ws, https for wss.
     */
    static boolean isSameOrigin(String origin, String host, boolean secure) {
        if (host == null) {
            return false;
        }
        String scheme = secure ? "https" : "http";
        int defaultPort = secure ? 443 : 80;
        String prefix = scheme + "://";
        if (!origin.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return false; // another scheme, or the opaque origin "null"
        }
        HostPort fromOrigin = HostPort.parse(origin.substring(prefix.length()), defaultPort);
        HostPort fromHost = HostPort.parse(host, defaultPort);
        return fromOrigin != null && fromOrigin.equals(fromHost);
    }

    /** A host, lower-cased, and a port. */
    private record HostPort(String host, int port) {

        /** Parses "host", "host:port", "[v6]" or "[v6]:port"; null if malformed. */
        static HostPort parse(String text, int defaultPort) {
            String host;
            String rest;
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                if (close < 0) {
                    return null;
                }
                host = text.substring(0, close + 1);
                rest = text.substring(close + 1);
            } else {
                int colon = text.indexOf(':');
                host = colon < 0 ? text : text.substring(0, colon);
                rest = colon < 0 ? "" : text.substring(colon);
            }
            if (host.isEmpty()) {
                return null;
            }
            int port = defaultPort;
            if (!rest.isEmpty()) {
                if (rest.charAt(0) != ':' || rest.length() == 1 || rest.length() > 6) {
                    return null;
                }
                for (int i = 1; i < rest.length(); i++) {
                    if (rest.charAt(i) < '0' || rest.charAt(i) > '9') {
                        return null; // a path, user info or garbage: not a serialized origin
                    }
                }
                port = Integer.parseInt(rest.substring(1));
            }
            return new HostPort(host.toLowerCase(Locale.ROOT), port);
        }
    }

    @Override
    public String toString() {
        return any ? "OriginPolicy[any]" : allowed.isEmpty() ? "OriginPolicy[same origin]"
                : "OriginPolicy[same origin + " + allowed + "]";
    }
}
