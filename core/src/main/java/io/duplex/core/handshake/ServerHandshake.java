package io.duplex.core.handshake;

import io.duplex.core.extension.Extension;
import io.duplex.core.extension.ExtensionHeader;
import io.duplex.core.extension.ExtensionNegotiationException;
import io.duplex.core.extension.ExtensionOffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The server's side of the opening handshake (RFC 6455 4.2): checks a request head and writes the 101 answer,
 * or the error answer when the request is refused.
 *
 * <p>Flow: parse the head with {@link HttpHeadParser#forRequests}; {@link #validateRequest}; choose a
 * subprotocol from {@link Request#subprotocols()} and extensions with
 * {@link io.duplex.core.extension.ExtensionNegotiator#negotiateServer}; send {@link #acceptResponse}. On a
 * {@link HandshakeException}, from either step, send {@link #rejectResponse(HandshakeException)} and close.
 *
 * <p>Statuses chosen where RFC 6455 leaves a choice:
 * <ul>
 *   <li>a method other than GET: 405 with {@code Allow: GET}, since the resource exists but only for GET
 *       (RFC 7231 6.5.5 requires the Allow header);</li>
 *   <li>HTTP/1.0: 400, as RFC 6455 4.2.1 requires HTTP/1.1 or higher;</li>
 *   <li>no {@code websocket} token in Upgrade: 426 with {@code Upgrade: websocket} and
 *       {@code Connection: Upgrade}, which tells a plain HTTP client what this endpoint speaks (RFC 7231
 *       6.5.15 requires the Upgrade header with 426);</li>
 *   <li>every other malformed request: 400.</li>
 * </ul>
 *
 * <p>Threading: stateless; safe to call from any thread.
 */
public final class ServerHandshake {

    /** RFC 6455 1.3: the GUID appended to the key before hashing. */
    static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** Headers acceptResponse writes itself, which extra headers must not repeat. */
    private static final Set<String> ACCEPT_HEADERS = Set.of("upgrade", "connection", "sec-websocket-accept",
            "sec-websocket-protocol", "sec-websocket-extensions");

    /** Headers rejectResponse writes itself (a Connection header given is merged into its own). */
    private static final Set<String> REJECT_HEADERS = Set.of("content-length", "content-type",
            "transfer-encoding");

    private static final String SWITCHING_PROTOCOLS = "HTTP/1.1 101 Switching Protocols";

    /** RFC 6455 4.2.2 step 5.2-5.3; the Sec-WebSocket-Accept line (step 5.4) is written after these two. */
    private static final HttpHeaders PLAIN_101_HEADERS = HttpHeaders.of("Upgrade", "websocket", "Connection", "Upgrade");

    private static final byte[] NO_BODY = {};

    private ServerHandshake() {
    }

    /**
     * A valid opening handshake request.
     *
     * <p>Threading: immutable.
     *
     * @param head the request as parsed
     * @param key the {@code Sec-WebSocket-Key}, checked to be base64 of 16 bytes
     * @param subprotocols the subprotocols the client asks for, in its order of preference; empty if none
     * @param extensionOffers the parsed {@code Sec-WebSocket-Extensions}, in order; empty if none
     * @param origin the {@code Origin} header, if sent (browsers always send it; checking it is the
     *     application's decision, RFC 6455 10.2)
     */
    public record Request(HttpRequestHead head, String key, List<String> subprotocols,
                          List<ExtensionOffer> extensionOffers, Optional<String> origin) {
        /** Copies the lists. */
        public Request {
            Objects.requireNonNull(head, "head");
            Objects.requireNonNull(key, "key");
            subprotocols = List.copyOf(subprotocols);
            extensionOffers = List.copyOf(extensionOffers);
            Objects.requireNonNull(origin, "origin");
        }
    }

    /**
     * Checks a request against RFC 6455 4.2.1.
     *
     * @param head the parsed request head
     * @return the request's handshake fields
     * @throws HandshakeException with the status and headers to answer with, and a message naming the
     *     offending value and the rule
     */
    public static Request validateRequest(HttpRequestHead head) throws HandshakeException {
        HttpHeaders h = head.headers();
        // RFC 6455 4.2.1: the method must be GET
        if (!head.method().equals("GET")) {
            throw new HandshakeException(405, HttpHeaders.of("Allow", "GET"), "method " + head.method()
                    + " is not GET (RFC 6455 4.2.1)");
        }
        // RFC 6455 4.2.1: HTTP/1.1 or higher
        String version = head.version();
        if (version.length() != 8 || !version.startsWith("HTTP/1.") || version.charAt(7) < '1'
                || version.charAt(7) > '9') {
            throw new HandshakeException(400, "HTTP version " + version + " is not HTTP/1.1 or higher"
                    + " (RFC 6455 4.2.1)");
        }
        // RFC 6455 4.2.1: a Host header (RFC 7230 5.4: exactly one)
        int hosts = h.count("Host");
        if (hosts != 1) {
            throw new HandshakeException(400, hosts + " Host headers instead of one (RFC 6455 4.2.1,"
                    + " RFC 7230 5.4)");
        }
        // RFC 6455 4.2.1: an Upgrade header with the token "websocket", compared case-insensitively
        if (!h.containsToken("Upgrade", "websocket")) {
            throw new HandshakeException(426, HttpHeaders.of("Upgrade", "websocket", "Connection", "Upgrade"),
                    "Upgrade " + h.all("Upgrade") + " lacks the token websocket (RFC 6455 4.2.1)");
        }
        // RFC 6455 4.2.1: a Connection header with the token "Upgrade", compared case-insensitively
        if (!h.containsToken("Connection", "upgrade")) {
            throw new HandshakeException(400, "Connection " + h.all("Connection")
                    + " lacks the token Upgrade (RFC 6455 4.2.1)");
        }
        // RFC 6455 4.2.2, 4.4: a version other than 13 gets 426 and the versions this server speaks
        if (h.count("Sec-WebSocket-Version") != 1 || !"13".equals(h.value("Sec-WebSocket-Version"))) {
            throw new HandshakeException(426, HttpHeaders.of("Sec-WebSocket-Version", "13"),
                    "Sec-WebSocket-Version " + h.all("Sec-WebSocket-Version") + " is not 13 (RFC 6455 4.2.1, 4.4)");
        }
        String key = checkKey(h);
        List<ExtensionOffer> offers = List.of();
        if (h.contains("Sec-WebSocket-Extensions")) {
            try {
                offers = ExtensionHeader.parse(h.all("Sec-WebSocket-Extensions"));
            } catch (ExtensionNegotiationException e) {
                throw new HandshakeException(400, e.getMessage());
            }
        }
        // RFC 6455 4.1: the Sec-WebSocket-Protocol elements are tokens
        List<String> subprotocols = h.tokens("Sec-WebSocket-Protocol");
        for (String subprotocol : subprotocols) {
            if (!ExtensionHeader.isToken(subprotocol)) {
                throw new HandshakeException(400, "subprotocol \"" + subprotocol
                        + "\" in Sec-WebSocket-Protocol is not a token (RFC 6455 4.1)");
            }
        }
        return new Request(head, key, subprotocols, offers, h.first("Origin"));
    }

    private static String checkKey(HttpHeaders h) throws HandshakeException {
        // RFC 6455 4.2.1: exactly one Sec-WebSocket-Key, the base64 of 16 bytes, which is always 24 characters
        int keys = h.count("Sec-WebSocket-Key");
        if (keys != 1) {
            throw new HandshakeException(400, keys + " Sec-WebSocket-Key headers instead of one"
                    + " (RFC 6455 4.2.1, 11.3.1)");
        }
        String key = h.value("Sec-WebSocket-Key");
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            throw new HandshakeException(400, "Sec-WebSocket-Key \"" + key + "\" is not base64 (RFC 6455 4.2.1)");
        }
        if (decoded.length != 16 || key.length() != 24) {
            throw new HandshakeException(400, "Sec-WebSocket-Key \"" + key + "\" decodes to " + decoded.length
                    + " bytes, not 16 (RFC 6455 4.2.1)");
        }
        return key;
    }

    /**
     * RFC 6455 4.2.2: the {@code Sec-WebSocket-Accept} value for a key, base64(SHA-1(key + GUID)).
     *
     * @param key the {@code Sec-WebSocket-Key} as sent
     * @return the accept value
     */
    public static String acceptKey(String key) {
        return AcceptKey.of(key);
    }

    /**
     * Writes the 101 response that completes the handshake (RFC 6455 4.2.2).
     *
     * @param request the validated request
     * @param subprotocol the subprotocol chosen from {@link Request#subprotocols()}, or null for none
     * @param extensions the extensions accepted, in the order to list them
     * @param extraHeaders more headers to send (cookies, for example); not the handshake's own
     * @return the response bytes, ready to read
     * @throws IllegalArgumentException if the subprotocol was not requested or an extra header is one this
     *     method writes
     */
    public static ByteBuffer acceptResponse(Request request, String subprotocol, List<Extension> extensions,
                                            HttpHeaders extraHeaders) {
        // RFC 6455 4.2.2: the selected subprotocol must be one of the client's
        if (subprotocol != null && !request.subprotocols().contains(subprotocol)) {
            throw new IllegalArgumentException("subprotocol \"" + subprotocol + "\" is not one the client requested, "
                    + request.subprotocols() + " (RFC 6455 4.2.2)");
        }
        if (subprotocol == null && extensions.isEmpty() && extraHeaders.size() == 0) {
            return HttpHeaders.writeHead(SWITCHING_PROTOCOLS, PLAIN_101_HEADERS, 2, request.key(), NO_BODY);
        }
        HttpHeaders.Builder headers = HttpHeaders.builder().addAll(PLAIN_101_HEADERS);
        if (subprotocol != null) {
            headers.add("Sec-WebSocket-Protocol", subprotocol);
        }
        if (!extensions.isEmpty()) {
            List<ExtensionOffer> negotiated = new ArrayList<>();
            for (Extension extension : extensions) {
                negotiated.add(extension.negotiated());
            }
            headers.add("Sec-WebSocket-Extensions", ExtensionHeader.format(negotiated));
        }
        headers.addAll(requireNoneOf(ACCEPT_HEADERS, extraHeaders));
        return HttpHeaders.writeHead(SWITCHING_PROTOCOLS, headers.build(), 2, request.key(), NO_BODY);
    }

    /**
     * Writes the answer to a refused handshake.
     *
     * @param failure the failure from {@link HttpHeadParser} or {@link #validateRequest}
     * @return the response bytes, with the failure's message as the body
     * @throws IllegalArgumentException if the failure has no error status (a client-side failure)
     */
    public static ByteBuffer rejectResponse(HandshakeException failure) {
        return rejectResponse(failure.status(), failure.responseHeaders(), failure.getMessage());
    }

    /**
     * Writes an HTTP/1.1 error response that closes the connection: {@code Content-Type: text/plain;
     * charset=utf-8}, {@code Content-Length} and {@code Connection: close} are added. Connection options
     * given in {@code headers} (the {@code Upgrade} option a 426 carries, RFC 7230 6.7) are merged into that
     * one Connection header, before {@code close}.
     *
     * @param status an error or redirect status, 300-599
     * @param headers more headers, not the ones this method writes
     * @param body the body text
     * @return the response bytes, ready to read
     * @throws IllegalArgumentException for a status outside 300-599 or a header this method writes
     */
    public static ByteBuffer rejectResponse(int status, HttpHeaders headers, String body) {
        if (status < 300 || status > 599) {
            throw new IllegalArgumentException("status " + status + " is not a refusal (300-599)");
        }
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        requireNoneOf(REJECT_HEADERS, headers);
        HttpHeaders.Builder all = HttpHeaders.builder();
        List<String> connectionOptions = new ArrayList<>();
        for (HttpHeaders.Field field : headers) {
            if (field.name().equalsIgnoreCase("Connection")) {
                connectionOptions.addAll(HttpHeaders.of("Connection", field.value()).tokens("Connection"));
            } else {
                all.add(field.name(), field.value());
            }
        }
        connectionOptions.removeIf(option -> option.equalsIgnoreCase("close"));
        connectionOptions.add("close");
        all.add("Content-Type", "text/plain; charset=utf-8")
                .add("Content-Length", Integer.toString(bodyBytes.length))
                .add("Connection", String.join(", ", connectionOptions));
        return HttpHeaders.writeHead("HTTP/1.1 " + status + " " + reasonPhrase(status), all.build(), bodyBytes);
    }

    private static HttpHeaders requireNoneOf(Set<String> reserved, HttpHeaders headers) {
        for (HttpHeaders.Field field : headers) {
            if (reserved.contains(field.name().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header " + field.name()
                        + " is written by the handshake itself and may not be given as an extra header");
            }
        }
        return headers;
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 426 -> "Upgrade Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }
}
