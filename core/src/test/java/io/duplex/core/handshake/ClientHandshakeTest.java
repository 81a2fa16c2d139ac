package io.duplex.core.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duplex.core.extension.Extension;
import io.duplex.core.extension.ExtensionOffer;
import io.duplex.core.extension.ExtensionParameter;
import io.duplex.core.extension.FakeExtensionFactory;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class ClientHandshakeTest {

    /** Yields zero bytes, so the key is known: base64 of 16 zero bytes. */
    private static final RandomGenerator ZEROS = () -> 0L;
    private static final String ZERO_KEY = "AAAAAAAAAAAAAAAAAAAAAA==";

    private final FakeExtensionFactory fake = new FakeExtensionFactory("x-fake", Extension.RSV1,
            List.of(ExtensionOffer.of("x-fake", new ExtensionParameter("n", "1")), ExtensionOffer.of("x-fake")));

    private ClientHandshake.Builder builder() {
        return ClientHandshake.builder().host("example.com").random(ZEROS);
    }

    private static String text(ClientHandshake handshake) {
        return StandardCharsets.US_ASCII.decode(handshake.request()).toString();
    }

    private static String host(ClientHandshake handshake) {
        return handshake.requestHead().headers().first("Host").orElseThrow();
    }

    private ClientHandshake offering() {
        return builder().subprotocols(List.of("chat", "superchat")).extensions(List.of(fake)).build();
    }

    private static HttpResponseHead response(int status, String... headers) {
        return new HttpResponseHead("HTTP/1.1", status, "", HttpHeaders.of(headers));
    }

    private static HttpResponseHead accepting(String... more) {
        HttpHeaders base = HttpHeaders.of("Upgrade", "websocket", "Connection", "Upgrade",
                "Sec-WebSocket-Accept", ServerHandshake.acceptKey(ZERO_KEY));
        return new HttpResponseHead("HTTP/1.1", 101, "Switching Protocols",
                HttpHeaders.builder().addAll(base).addAll(HttpHeaders.of(more)).build());
    }

    private static HandshakeException failure(ClientHandshake handshake, HttpResponseHead response) {
        try {
            ClientHandshake.Result result = handshake.validateResponse(response);
            throw new AssertionError("expected a failure, got " + result);
        } catch (HandshakeException e) {
            return e;
        }
    }

    @Test
    void clientWritesRfc6455Request() {
        ClientHandshake handshake = builder().port(8080).resource("/chat?room=1").origin("http://example.com")
                .subprotocols(List.of("chat", "superchat")).extensions(List.of(fake))
                .header("Cookie", "id=1").build();

        assertThat(handshake.key()).isEqualTo(ZERO_KEY);
        assertThat(text(handshake)).isEqualTo("GET /chat?room=1 HTTP/1.1\r\n"
                + "Host: example.com:8080\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: chat, superchat\r\n"
                + "Sec-WebSocket-Extensions: x-fake; n=1, x-fake\r\n"
                + "Origin: http://example.com\r\n"
                + "Cookie: id=1\r\n"
                + "\r\n");
    }

    @Test
    void clientRequestOmitsOptionalHeadersWhenUnused() {
        assertThat(text(builder().build())).isEqualTo("GET / HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    }

    @Test
    void clientHostOmitsDefaultPortOnly() {
        assertThat(host(builder().port(80).build())).isEqualTo("example.com");
        assertThat(host(builder().secure(true).build())).isEqualTo("example.com");
        assertThat(host(builder().secure(true).port(443).build())).isEqualTo("example.com");
        assertThat(host(builder().secure(true).port(80).build())).isEqualTo("example.com:80");
    }

    @Test
    void clientHostBracketsIpv6Literal() {
        assertThat(host(builder().host("::1").port(9000).build())).isEqualTo("[::1]:9000");
        assertThat(host(builder().host("[::1]").build())).isEqualTo("[::1]");
    }

    @Test
    void clientKeyIsAFresh16ByteNonce() {
        ClientHandshake first = ClientHandshake.builder().host("a").build();
        ClientHandshake second = ClientHandshake.builder().host("a").build();

        assertThat(Base64.getDecoder().decode(first.key())).hasSize(16);
        assertThat(first.key()).isNotEqualTo(second.key());
    }

    @Test
    void clientBuilderRejectsInvalidSettings() {
        assertThatThrownBy(() -> builder().resource("/a#frag")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no fragment (RFC 6455 3)");
        assertThatThrownBy(() -> builder().resource("a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().subprotocols(List.of("a b"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().subprotocols(List.of("a", "a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("repeated");
        assertThatThrownBy(() -> builder().header("sec-websocket-key", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().header("X", "a\r\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().host("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().port(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientHandshake.builder().build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void clientAcceptsValidResponse() throws Exception {
        HttpResponseHead response = accepting("Sec-WebSocket-Protocol", "superchat",
                "Sec-WebSocket-Extensions", "x-fake; n=1");

        ClientHandshake.Result result = offering().validateResponse(response);

        assertThat(result.subprotocol()).isEqualTo("superchat");
        assertThat(result.extensions()).singleElement().extracting(Extension::negotiated)
                .isEqualTo(ExtensionOffer.of("x-fake", new ExtensionParameter("n", "1")));
        assertThat(result.response()).isSameAs(response);
    }

    @Test
    void clientAcceptsResponseWithoutSubprotocolOrExtensions() throws Exception {
        ClientHandshake.Result result = offering().validateResponse(accepting());
        assertThat(result.subprotocol()).isEmpty();
        assertThat(result.extensions()).isEmpty();
    }

    @Test
    void clientRejectsNon101Status() {
        HandshakeException e = failure(offering(), new HttpResponseHead("HTTP/1.1", 403, "Forbidden", HttpHeaders.empty()));
        assertThat(e.status()).isEqualTo(403);
        assertThat(e).hasMessage("server answered 403 Forbidden instead of 101 (RFC 6455 4.1)");
    }

    @Test
    void clientRejectsResponseWithoutUpgradeHeader() {
        HandshakeException e = failure(offering(), response(101, "Connection", "Upgrade",
                "Sec-WebSocket-Accept", ServerHandshake.acceptKey(ZERO_KEY)));
        assertThat(e.status()).isEqualTo(101);
        assertThat(e).hasMessage("Upgrade [] in the response lacks the token websocket (RFC 6455 4.1)");
    }

    @Test
    void clientRejectsResponseWithoutConnectionUpgrade() {
        assertThat(failure(offering(), response(101, "Upgrade", "WebSocket", "Connection", "close")))
                .hasMessage("Connection [close] in the response lacks the token Upgrade (RFC 6455 4.1)");
    }

    @Test
    void clientRejectsWrongAcceptKey() {
        HandshakeException e = failure(offering(), response(101, "Upgrade", "websocket", "Connection", "upgrade",
                "Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        assertThat(e).hasMessageContaining("Sec-WebSocket-Accept [s3pPLMBiTxaQ9kYGzzhZRbK+xOo=] is not [")
                .hasMessageContaining("key " + ZERO_KEY);
        assertThat(failure(offering(), response(101, "Upgrade", "websocket", "Connection", "upgrade")))
                .hasMessageContaining("Sec-WebSocket-Accept []");
    }

    @Test
    void clientRejectsSubprotocolNotOffered() {
        assertThat(failure(offering(), accepting("Sec-WebSocket-Protocol", "Chat")))
                .hasMessage("server chose subprotocol \"Chat\" that the client did not offer;"
                        + " offered [chat, superchat] (RFC 6455 4.1)");
    }

    @Test
    void clientRejectsSubprotocolWhenNoneOffered() {
        assertThat(failure(builder().build(), accepting("Sec-WebSocket-Protocol", "chat")))
                .hasMessageContaining("offered []");
    }

    @Test
    void clientRejectsMoreThanOneSubprotocol() {
        assertThat(failure(offering(), accepting("Sec-WebSocket-Protocol", "chat, superchat")))
                .hasMessageContaining("names more or less than one subprotocol");
        assertThat(failure(offering(), accepting("Sec-WebSocket-Protocol", "chat", "Sec-WebSocket-Protocol", "chat")))
                .hasMessageContaining("names more or less than one subprotocol");
        assertThat(failure(offering(), accepting("Sec-WebSocket-Protocol", "")))
                .hasMessageContaining("names more or less than one subprotocol");
    }

    @Test
    void clientRejectsExtensionNotOffered() {
        HandshakeException e = failure(offering(), accepting("Sec-WebSocket-Extensions", "permessage-deflate"));
        assertThat(e.status()).isEqualTo(101);
        assertThat(e).hasMessageContaining("\"permessage-deflate\" that the client did not offer");
    }

    @Test
    void clientRejectsMalformedExtensionsHeader() {
        assertThat(failure(offering(), accepting("Sec-WebSocket-Extensions", "x-fake; n=\"1 2\"")))
                .hasMessageContaining("not a token");
    }
}
