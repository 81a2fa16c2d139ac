package io.duplex.core.handshake;

import io.duplex.core.extension.Extension;
import io.duplex.core.extension.ExtensionFactory;
import io.duplex.core.extension.ExtensionHeader;
import io.duplex.core.extension.ExtensionNegotiationException;
import io.duplex.core.extension.ExtensionNegotiator;
import io.duplex.core.extension.ExtensionOffer;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The client's side of the opening handshake (RFC 6455 4.1): writes the request and checks the response.
 *
 * <p>Flow: {@link #builder()} ... {@link Builder#build()}; send {@link #request()}; parse the answer with
 * {@link HttpHeadParser#forResponses}; {@link #validateResponse} it. A {@link HandshakeException} means the
 * client must fail the WebSocket connection (RFC 6455 4.1): close the TCP connection, nothing is sent.
 *
 * <p>Threading: immutable once built; {@link #validateResponse} creates fresh extensions on each call.
 */
public final class ClientHandshake {

    /** Shared: SecureRandom is thread-safe, and seeding one per handshake would be wasteful. */
    private static final SecureRandom DEFAULT_RANDOM = new SecureRandom();

    /** Headers the handshake writes itself, which extra headers must not repeat. */
    private static final Set<String> OWN_HEADERS = Set.of("host", "upgrade", "connection", "sec-websocket-key",
            "sec-websocket-version", "sec-websocket-protocol", "sec-websocket-extensions", "origin");

    private final String key;
    private final List<String> subprotocols;
    private final List<ExtensionFactory> extensions;
    private final HttpRequestHead head;

    /**
     * The outcome of a valid response.
     *
     * <p>Threading: immutable record; the extensions are confined to the new connection.
     *
     * @param subprotocol the subprotocol the server chose, or "" if none
     * @param extensions the extensions in use, in the server's order
     * @param response the response head, for cookies and other headers
     */
    public record Result(String subprotocol, List<Extension> extensions, HttpResponseHead response) {
        /** Copies the list. */
        public Result {
            Objects.requireNonNull(subprotocol, "subprotocol");
            extensions = List.copyOf(extensions);
            Objects.requireNonNull(response, "response");
        }
    }

    private ClientHandshake(Builder b) {
        byte[] nonce = new byte[16];
        b.random.nextBytes(nonce);
        // RFC 6455 4.1: the key is a random 16-byte nonce, base64-encoded, new for each connection
        this.key = Base64.getEncoder().encodeToString(nonce);
        this.subprotocols = List.copyOf(b.subprotocols);
        this.extensions = List.copyOf(b.extensions);
        HttpHeaders.Builder h = HttpHeaders.builder()
                .add("Host", hostHeader(b.host, b.port == -1 ? (b.secure ? 443 : 80) : b.port, b.secure))
                .add("Upgrade", "websocket")
                .add("Connection", "Upgrade")
                .add("Sec-WebSocket-Key", key)
                .add("Sec-WebSocket-Version", "13");
        if (!subprotocols.isEmpty()) {
            h.add("Sec-WebSocket-Protocol", String.join(", ", subprotocols));
        }
        List<ExtensionOffer> offers = new ArrayList<>();
        for (ExtensionFactory factory : extensions) {
            offers.addAll(factory.clientOffers());
        }
        if (!offers.isEmpty()) {
            h.add("Sec-WebSocket-Extensions", ExtensionHeader.format(offers));
        }
        if (b.origin != null) {
            h.add("Origin", b.origin);
        }
        h.addAll(b.extraHeaders.build());
        this.head = new HttpRequestHead("GET", b.resource, "HTTP/1.1", h.build());
    }

    /** @return a builder; {@link Builder#host} is required */
    public static Builder builder() {
        return new Builder();
    }

    // RFC 6455 4.1: Host is the host, bracketed if an IPv6 literal, with the port unless it is the default
    private static String hostHeader(String host, int port, boolean secure) {
        String name = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return port == (secure ? 443 : 80) ? name : name + ":" + port;
    }

    /** @return the {@code Sec-WebSocket-Key} sent */
    public String key() {
        return key;
    }

    /** @return the request head this handshake sends */
    public HttpRequestHead requestHead() {
        return head;
    }

    /** @return the request bytes (ASCII), ready to read; a new buffer on each call */
    public ByteBuffer request() {
        return HttpHeaders.writeHead(head.method() + " " + head.target() + " " + head.version(), head.headers(),
                new byte[0]);
    }

    /**
     * Checks the server's response (RFC 6455 4.1, the client's steps on receiving the handshake response).
     *
     * @param response the parsed response head
     * @return the negotiated subprotocol and extensions
     * @throws HandshakeException if the client must fail the connection; its status is the response's
     */
    public Result validateResponse(HttpResponseHead response) throws HandshakeException {
        int status = response.status();
        HttpHeaders h = response.headers();
        // RFC 6455 4.1: any status other than 101 means the handshake did not complete
        if (status != 101) {
            throw new HandshakeException(status, "server answered " + status + " " + response.reason()
                    + " instead of 101 (RFC 6455 4.1)");
        }
        // RFC 6455 4.1: Upgrade must hold "websocket", compared case-insensitively
        if (!h.containsToken("Upgrade", "websocket")) {
            throw new HandshakeException(status, "Upgrade " + h.all("Upgrade")
                    + " in the response lacks the token websocket (RFC 6455 4.1)");
        }
        // RFC 6455 4.1: Connection must hold "Upgrade", compared case-insensitively
        if (!h.containsToken("Connection", "upgrade")) {
            throw new HandshakeException(status, "Connection " + h.all("Connection")
                    + " in the response lacks the token Upgrade (RFC 6455 4.1)");
        }
        // RFC 6455 4.1: Sec-WebSocket-Accept must be base64(SHA-1(key + GUID)), exactly
        String expected = ServerHandshake.acceptKey(key);
        List<String> accepts = h.all("Sec-WebSocket-Accept");
        if (!accepts.equals(List.of(expected))) {
            throw new HandshakeException(status, "Sec-WebSocket-Accept " + accepts + " is not [" + expected
                    + "], derived from key " + key + " (RFC 6455 4.1)");
        }
        String subprotocol = checkSubprotocol(status, h);
        List<Extension> negotiated;
        try {
            negotiated = ExtensionNegotiator.negotiateClient(
                    ExtensionHeader.parse(h.all("Sec-WebSocket-Extensions")), extensions);
        } catch (ExtensionNegotiationException e) {
            throw new HandshakeException(status, e.getMessage());
        }
        return new Result(subprotocol, negotiated, response);
    }

    private String checkSubprotocol(int status, HttpHeaders h) throws HandshakeException {
        // RFC 6455 4.1: a subprotocol in the response must be a single one of those the client offered;
        // names are compared exactly, as the registry treats them as case-sensitive (RFC 6455 11.5)
        List<String> lines = h.all("Sec-WebSocket-Protocol");
        if (lines.isEmpty()) {
            return "";
        }
        List<String> chosen = h.tokens("Sec-WebSocket-Protocol");
        if (lines.size() != 1 || chosen.size() != 1) {
            throw new HandshakeException(status, "Sec-WebSocket-Protocol " + lines
                    + " names more or less than one subprotocol (RFC 6455 4.1)");
        }
        String subprotocol = chosen.get(0);
        if (!subprotocols.contains(subprotocol)) {
            throw new HandshakeException(status, "server chose subprotocol \"" + subprotocol
                    + "\" that the client did not offer; offered " + subprotocols + " (RFC 6455 4.1)");
        }
        return subprotocol;
    }

    /**
     * Configures a {@link ClientHandshake}.
     *
     * <p>Threading: not thread-safe; confined to the thread building the handshake.
     */
    public static final class Builder {
        private String host;
        private int port = -1;
        private boolean secure;
        private String resource = "/";
        private String origin;
        private List<String> subprotocols = List.of();
        private List<ExtensionFactory> extensions = List.of();
        private final HttpHeaders.Builder extraHeaders = HttpHeaders.builder();
        private RandomGenerator random = DEFAULT_RANDOM;

        private Builder() {
        }

        /**
         * @param host the server's host name or IP literal (IPv6 with or without brackets)
         * @return this builder
         */
        public Builder host(String host) {
            if (host == null || host.isEmpty() || host.chars().anyMatch(c -> c <= 0x20 || c >= 0x7F || c == '/')) {
                throw new IllegalArgumentException("host \"" + host + "\" is empty or holds a space, control,"
                        + " slash or non-ASCII character");
            }
            this.host = host;
            return this;
        }

        /**
         * @param port the server's port, 1-65535; defaults to 80, or 443 when secure
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is outside 1-65535");
            }
            this.port = port;
            return this;
        }

        /**
         * @param secure whether the URI is {@code wss:} (default port 443)
         * @return this builder
         */
        public Builder secure(boolean secure) {
            this.secure = secure;
            return this;
        }

        /**
         * @param resource path and optional query, e.g. {@code /chat?room=1}; defaults to {@code /}
         * @return this builder
         * @throws IllegalArgumentException if it does not start with '/', holds a fragment (RFC 6455 3), or a
         *     space, control or non-ASCII character (percent-encode those)
         */
        public Builder resource(String resource) {
            if (resource == null || !resource.startsWith("/") || resource.indexOf('#') >= 0
                    || resource.chars().anyMatch(c -> c <= 0x20 || c >= 0x7F)) {
                throw new IllegalArgumentException("resource \"" + resource + "\" must start with '/' and hold only"
                        + " visible ASCII and no fragment (RFC 6455 3)");
            }
            this.resource = resource;
            return this;
        }

        /**
         * @param origin the {@code Origin} to send, or null for none
         * @return this builder
         */
        public Builder origin(String origin) {
            this.origin = origin;
            return this;
        }

        /**
         * @param subprotocols subprotocols to offer in order of preference; tokens, each once (RFC 6455 4.1)
         * @return this builder
         */
        public Builder subprotocols(List<String> subprotocols) {
            Set<String> seen = new HashSet<>();
            for (String subprotocol : subprotocols) {
                if (!ExtensionHeader.isToken(subprotocol) || !seen.add(subprotocol)) {
                    throw new IllegalArgumentException("subprotocol \"" + subprotocol
                            + "\" is not a token or is repeated (RFC 6455 4.1)");
                }
            }
            this.subprotocols = List.copyOf(subprotocols);
            return this;
        }

        /**
         * @param factories the extensions to offer, in order of preference
         * @return this builder
         */
        public Builder extensions(List<ExtensionFactory> factories) {
            this.extensions = List.copyOf(factories);
            return this;
        }

        /**
         * @param name a header to add (cookies, authorization); not one the handshake writes
         * @param value its value
         * @return this builder
         */
        public Builder header(String name, String value) {
            if (name != null && OWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header " + name + " is written by the handshake itself");
            }
            extraHeaders.add(name, value);
            return this;
        }

        /**
         * @param random the source of the key's nonce; defaults to a shared SecureRandom
         * @return this builder
         */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * @return the handshake, with a fresh key
         * @throws IllegalStateException if no host was set
         */
        public ClientHandshake build() {
            if (host == null) {
                throw new IllegalStateException("host is required");
            }
            return new ClientHandshake(this);
        }
    }
}
