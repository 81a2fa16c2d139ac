package io.duplex.core.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duplex.core.extension.Extension;
import io.duplex.core.extension.ExtensionOffer;
import io.duplex.core.extension.ExtensionParameter;
import io.duplex.core.extension.FakeExtensionFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerHandshakeTest {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    /** A valid request with the named header removed and the given fields added. */
    private static HttpRequestHead requestWith(String method, String version, String without, String... extra) {
        HttpHeaders.Builder h = HttpHeaders.builder();
        String[] base = {"Host", "server.example.com", "Upgrade", "websocket", "Connection", "Upgrade",
                         "Sec-WebSocket-Key", KEY, "Sec-WebSocket-Version", "13"};
        for (int i = 0; i < base.length; i += 2) {
            if (!base[i].equals(without)) {
                h.add(base[i], base[i + 1]);
            }
        }
        h.addAll(HttpHeaders.of(extra));
        return new HttpRequestHead(method, "/chat", version, h.build());
    }

    private static HttpRequestHead request(String without, String... extra) {
        return requestWith("GET", "HTTP/1.1", without, extra);
    }

    private static HandshakeException failure(HttpRequestHead head) {
        try {
            ServerHandshake.Request accepted = ServerHandshake.validateRequest(head);
            throw new AssertionError("expected a failure, got " + accepted);
        } catch (HandshakeException e) {
            return e;
        }
    }

    private static String text(ByteBuffer bytes) {
        return StandardCharsets.UTF_8.decode(bytes).toString();
    }

    @Test
    void acceptKeyMatchesRfc6455Example() {
        // RFC 6455 1.3 prints this pair; checked independently with Python hashlib
        assertThat(ServerHandshake.acceptKey(KEY)).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void serverAcceptsValidRequestAndExposesItsFields() throws Exception {
        ServerHandshake.Request r = ServerHandshake.validateRequest(request("none",
                "Origin", "http://example.com",
                "Sec-WebSocket-Protocol", "chat, superchat",
                "Sec-WebSocket-Protocol", "v2",
                "Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits",
                "Connection", "keep-alive"));

        assertThat(r.key()).isEqualTo(KEY);
        assertThat(r.subprotocols()).containsExactly("chat", "superchat", "v2");
        assertThat(r.extensionOffers()).containsExactly(ExtensionOffer.of("permessage-deflate",
                ExtensionParameter.of("client_max_window_bits")));
        assertThat(r.origin()).contains("http://example.com");
    }

    @Test
    void serverAcceptsTokensInAnyCaseAndAmongOthers() throws Exception {
        HttpRequestHead head = new HttpRequestHead("GET", "/", "HTTP/1.1", HttpHeaders.of(
                "Host", "a", "Upgrade", "foo/1, WebSocket", "Connection", "keep-alive, UPGRADE",
                "Sec-WebSocket-Key", KEY, "Sec-WebSocket-Version", "13"));

        assertThat(ServerHandshake.validateRequest(head).origin()).isEmpty();
    }

    @Test
    void serverRejectsMethodOtherThanGetWith405AndAllow() {
        HandshakeException e = failure(requestWith("POST", "HTTP/1.1", "none"));
        assertThat(e.status()).isEqualTo(405);
        assertThat(e.responseHeaders()).isEqualTo(HttpHeaders.of("Allow", "GET"));
        assertThat(e).hasMessage("method POST is not GET (RFC 6455 4.2.1)");
    }

    @Test
    void serverRejectsHttp10With400() {
        HandshakeException e = failure(requestWith("GET", "HTTP/1.0", "none"));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageContaining("HTTP/1.0 is not HTTP/1.1 or higher");
    }

    @Test
    void serverRejectsRequestWithoutHost() {
        HandshakeException e = failure(request("Host"));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageContaining("0 Host headers instead of one");
        assertThat(failure(request("none", "Host", "b"))).hasMessageContaining("2 Host headers");
    }

    @Test
    void serverRejectsRequestWithoutUpgradeHeaderWith426() {
        HandshakeException e = failure(request("Upgrade"));
        assertThat(e.status()).isEqualTo(426);
        assertThat(e.responseHeaders()).isEqualTo(HttpHeaders.of("Upgrade", "websocket", "Connection", "Upgrade"));
        assertThat(failure(request("Upgrade", "Upgrade", "h2c")))
                .hasMessage("Upgrade [h2c] lacks the token websocket (RFC 6455 4.2.1)");
    }

    @Test
    void serverRejectsRequestWithoutConnectionUpgrade() {
        HandshakeException e = failure(request("Connection", "Connection", "keep-alive"));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessage("Connection [keep-alive] lacks the token Upgrade (RFC 6455 4.2.1)");
    }

    @Test
    void serverRejectsVersion8With426AndVersionHeader() {
        HandshakeException e = failure(request("Sec-WebSocket-Version", "Sec-WebSocket-Version", "8"));
        assertThat(e.status()).isEqualTo(426);
        assertThat(e.responseHeaders()).isEqualTo(HttpHeaders.of("Sec-WebSocket-Version", "13"));
        assertThat(e).hasMessage("Sec-WebSocket-Version [8] is not 13 (RFC 6455 4.2.1, 4.4)");
        assertThat(failure(request("Sec-WebSocket-Version")).status()).isEqualTo(426);
        assertThat(failure(request("none", "Sec-WebSocket-Version", "13")).status()).isEqualTo(426);
    }

    @Test
    void serverRejectsKeyNotDecodingTo16Bytes() {
        HandshakeException e = failure(request("Sec-WebSocket-Key", "Sec-WebSocket-Key", "c2hvcnQ="));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessage("Sec-WebSocket-Key \"c2hvcnQ=\" decodes to 5 bytes, not 16 (RFC 6455 4.2.1)");
        assertThat(failure(request("Sec-WebSocket-Key", "Sec-WebSocket-Key", "not base64!")))
                .hasMessageContaining("is not base64");
        assertThat(failure(request("Sec-WebSocket-Key", "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ")).status())
                .as("unpadded").isEqualTo(400);
    }

    @Test
    void serverRejectsMissingOrRepeatedKey() {
        assertThat(failure(request("Sec-WebSocket-Key"))).hasMessageContaining("0 Sec-WebSocket-Key headers");
        assertThat(failure(request("none", "Sec-WebSocket-Key", KEY)))
                .hasMessageContaining("2 Sec-WebSocket-Key headers");
    }

    @Test
    void serverRejectsMalformedExtensionsHeaderWith400() {
        HandshakeException e = failure(request("none", "Sec-WebSocket-Extensions", "a; b=\"x y\""));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageContaining("not a token");
    }

    @Test
    void serverRejectsSubprotocolThatIsNotAToken() {
        HandshakeException e = failure(request("none", "Sec-WebSocket-Protocol", "chat, a b"));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageContaining("subprotocol \"a b\"");
    }

    @Test
    void serverWrites101WithAcceptSubprotocolAndExtensions() throws Exception {
        ServerHandshake.Request r = ServerHandshake.validateRequest(
                request("none", "Sec-WebSocket-Protocol", "chat, superchat"));
        FakeExtensionFactory factory = FakeExtensionFactory.of("x-fake", Extension.RSV1);
        Extension extension = factory.acceptOffer(ExtensionOffer.of("x-fake", new ExtensionParameter("n", "1")));

        String response = text(ServerHandshake.acceptResponse(r, "superchat", List.of(extension),
                HttpHeaders.of("Set-Cookie", "id=1")));

        assertThat(response).isEqualTo("HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                + "Sec-WebSocket-Protocol: superchat\r\n"
                + "Sec-WebSocket-Extensions: x-fake; n=1\r\n"
                + "Set-Cookie: id=1\r\n"
                + "\r\n");
    }

    @Test
    void serverRefusesToSelectSubprotocolNotRequested() throws Exception {
        ServerHandshake.Request r = ServerHandshake.validateRequest(request("none", "Sec-WebSocket-Protocol", "chat"));

        assertThatThrownBy(() -> ServerHandshake.acceptResponse(r, "other", List.of(), HttpHeaders.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("subprotocol \"other\" is not one the client requested, [chat] (RFC 6455 4.2.2)");
        assertThat(text(ServerHandshake.acceptResponse(r, null, List.of(), HttpHeaders.empty())))
                .doesNotContain("Sec-WebSocket-Protocol");
    }

    @Test
    void serverRefusesExtraHeadersItWritesItself() throws Exception {
        ServerHandshake.Request r = ServerHandshake.validateRequest(request("none"));

        assertThatThrownBy(() -> ServerHandshake.acceptResponse(r, null, List.of(),
                HttpHeaders.of("sec-websocket-accept", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sec-websocket-accept");
        assertThatThrownBy(() -> ServerHandshake.rejectResponse(400, HttpHeaders.of("Content-Length", "0"), ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void serverWritesRejectionWithLengthTypeAndClose() {
        String response = text(ServerHandshake.rejectResponse(
                new HandshakeException(426, HttpHeaders.of("Sec-WebSocket-Version", "13"), "version 8 is not 13 \u2714")));

        assertThat(response).isEqualTo("HTTP/1.1 426 Upgrade Required\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 23\r\n"
                + "Connection: close\r\n"
                + "\r\n"
                + "version 8 is not 13 \u2714");
    }

    @Test
    void rfc7230_6_7_rejectionOf426MergesConnectionUpgradeWithClose() {
        HandshakeException e = failure(request("Upgrade"));
        String response = text(ServerHandshake.rejectResponse(e));

        assertThat(response).startsWith("HTTP/1.1 426 Upgrade Required\r\n"
                + "Upgrade: websocket\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n");
        assertThat(response).contains("\r\nConnection: Upgrade, close\r\n\r\n");
        assertThat(response.split("Connection:", -1)).hasSize(2);
    }

    @Test
    void serverRejectionRequiresAnErrorStatus() {
        assertThatThrownBy(() -> ServerHandshake.rejectResponse(new HandshakeException(0, "client side")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("status 0 is not a refusal (300-599)");
        assertThatThrownBy(() -> ServerHandshake.rejectResponse(101, HttpHeaders.empty(), ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void serverRejectionCannotBeSplitByHeaderValues() {
        assertThatThrownBy(() -> ServerHandshake.rejectResponse(400,
                HttpHeaders.of("X-Reason", "bad\r\nSet-Cookie: evil=1"), "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x0D");
    }
}
