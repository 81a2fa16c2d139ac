package io.duplex.server.internal;

import io.duplex.core.handshake.HttpHeaders;
import io.duplex.core.handshake.HttpRequestHead;
import io.duplex.server.UpgradeRequest;
import java.net.SocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A request head as the application sees it: an {@link UpgradeRequest} for WebSocket upgrades, an
 * {@link io.duplex.server.HttpRequest} for plain requests (no subprotocols then). The query and cookies are
 * parsed on first use.
 *
 * <p>Threading: immutable once its lazy fields are set; they are computed idempotently, so racing readers
 * at worst compute them twice.
 */
public final class RequestView implements UpgradeRequest {

    private final HttpRequestHead head;
    private final List<String> subprotocols;
    private final SocketAddress remoteAddress;
    private final boolean secure;
    private volatile Map<String, String> cookies;

    /**
     * @param head the parsed head
     * @param subprotocols the offered subprotocols (RFC 6455 4.2.1's Sec-WebSocket-Protocol), in order
     * @param remoteAddress the peer
     * @param secure whether the request came over TLS
     */
    public RequestView(HttpRequestHead head, List<String> subprotocols, SocketAddress remoteAddress, boolean secure) {
        this.head = Objects.requireNonNull(head, "head");
        this.subprotocols = List.copyOf(subprotocols);
        this.remoteAddress = remoteAddress;
        this.secure = secure;
    }

    @Override
    public String method() {
        return head.method();
    }

    @Override
    public String path() {
        return head.path();
    }

    @Override
    public String query() {
        return head.query().orElse("");
    }

    @Override
    public Optional<String> queryParameter(String name) {
        // application/x-www-form-urlencoded pairs, as browsers build query strings: '&' separates pairs,
        // '+' is a space, %XX is a UTF-8 byte.
        for (String pair : query().split("&", -1)) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (key != null && key.equals(name)) {
                return Optional.ofNullable(decode(eq < 0 ? "" : pair.substring(eq + 1)));
            }
        }
        return Optional.empty();
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null; // a malformed escape: the pair is unreadable, treat it as absent
        }
    }

    @Override
    public HttpHeaders headers() {
        return head.headers();
    }

    @Override
    public Optional<String> header(String name) {
        return head.headers().first(name);
    }

    @Override
    public Map<String, String> cookies() {
        Map<String, String> parsed = cookies;
        if (parsed == null) {
            parsed = parseCookies(head.headers().all("Cookie"));
            cookies = parsed;
        }
        return parsed;
    }

    /** RFC 6265 5.4: cookie-string = cookie-pair *( ";" SP cookie-pair ); we also accept missing spaces. */
    static Map<String, String> parseCookies(List<String> headers) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String header : headers) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String name = pair.substring(0, eq).strip();
                String value = pair.substring(eq + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1); // RFC 6265 4.1.1: DQUOTE *cookie-octet DQUOTE
                }
                if (!name.isEmpty()) {
                    result.putIfAbsent(name, value);
                }
            }
        }
        return Collections.unmodifiableMap(result);
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public boolean secure() {
        return secure;
    }

    @Override
    public List<String> subprotocols() {
        return subprotocols;
    }

    @Override
    public Optional<String> origin() {
        return head.headers().first("Origin");
    }

    @Override
    public String toString() {
        return head.method() + " " + head.target() + " from " + remoteAddress;
    }
}
