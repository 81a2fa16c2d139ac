package io.duplex.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.core.handshake.ClientHandshake;
import io.duplex.core.handshake.HttpHeaders;
import io.duplex.core.handshake.HttpResponseHead;
import io.duplex.core.handshake.ServerHandshake;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The opening handshake over loopback: every answer the server gives, and what a hook can do. */
@Timeout(30)
class HandshakeTest {

    private WebSocketServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            assertThat(server.stop(Duration.ofSeconds(5))).isTrue();
        }
    }

    private int start(WebSocketServer.Builder builder) throws IOException {
        server = builder.listen("127.0.0.1", 0).eventLoops(1).build().start();
        return server.port();
    }

    private static WebSocketHandler noop() {
        return new WebSocketHandler() { };
    }

    /** Sends {@code request}; the response as text: head and body, or only the head for a 101. */
    private static String raw(int port, String request) throws IOException {
        try (TestClient client = TestClient.connect(port)) {
            client.write(request.getBytes(StandardCharsets.ISO_8859_1));
            HttpResponseHead head = client.readResponseHead();
            StringBuilder text = new StringBuilder(head.version() + " " + head.status() + " " + head.reason() + "\r\n");
            for (HttpHeaders.Field field : head.headers()) {
                text.append(field.name()).append(": ").append(field.value()).append("\r\n");
            }
            text.append("\r\n");
            if (head.status() != 101) {
                text.append(client.readToEnd()); // the server closes after any other answer
            }
            return text.toString();
        }
    }

    private static String upgradeRequest(String path, String... extra) {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n");
        for (int i = 0; i < extra.length; i += 2) {
            request.append(extra[i]).append(": ").append(extra[i + 1]).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    @Test
    void rfc6455_4_2_2_acceptKeyIsSha1OfKeyAndGuid() throws IOException {
        int port = start(WebSocketServer.builder().route("/chat", noop()));
        String response = raw(port, upgradeRequest("/chat"));

        // RFC 6455 1.3's example key and accept value
        assertThat(response).startsWith("HTTP/1.1 101 Switching Protocols\r\n")
                .contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n")
                .containsIgnoringCase("\r\nUpgrade: websocket\r\n")
                .containsIgnoringCase("\r\nConnection: Upgrade\r\n");
    }

    @Test
    void rfc6455_4_2_2_hookChoosesSubprotocolAddsHeadersAndAttachesUserData() throws Exception {
        CompletableFuture<ServerWebSocket> opened = new CompletableFuture<>();
        CompletableFuture<UpgradeRequest> seen = new CompletableFuture<>();
        int port = start(WebSocketServer.builder().route(Route.builder("/rooms/*", new WebSocketHandler() {
            @Override
            public void onOpen(ServerWebSocket socket) {
                opened.complete(socket);
            }
        }).upgradeHook(request -> {
            seen.complete(request);
            return UpgradeDecision.accept().subprotocol(request.subprotocols().get(1))
                    .header("Set-Cookie", "session=abc").userData("user-42");
        }).build()));

        try (TestClient client = TestClient.connect(port)) {
            ClientHandshake handshake = TestClient.handshake(port, "/rooms/lobby?name=J%C3%BCrgen&x=1")
                    .subprotocols(List.of("v1.chat", "v2.chat")).header("Cookie", "a=1; b=2").build();
            HttpResponseHead response = client.upgrade(handshake);
            assertThat(response.status()).isEqualTo(101);
            assertThat(handshake.validateResponse(response).subprotocol()).isEqualTo("v2.chat");
            assertThat(response.headers().first("Set-Cookie")).contains("session=abc");

            ServerWebSocket socket = opened.get(5, TimeUnit.SECONDS);
            assertThat(socket.subprotocol()).isEqualTo("v2.chat");
            assertThat(socket.userData()).isEqualTo("user-42");
            assertThat(socket.path()).isEqualTo("/rooms/lobby");
            assertThat(socket.query()).isEqualTo("name=J%C3%BCrgen&x=1");
            UpgradeRequest request = seen.get();
            assertThat(request.queryParameter("name")).contains("J\u00fcrgen");
            assertThat(request.cookies()).containsEntry("a", "1").containsEntry("b", "2");
            assertThat(request.secure()).isFalse();
            assertThat(request.origin()).isEmpty();
        }
    }

    @Test
    void rfc6455_4_2_2_hookChoosingASubprotocolTheClientDidNotOfferAnswers500() throws IOException {
        int port = start(WebSocketServer.builder().route(Route.builder("/ws", noop())
                .upgradeHook(request -> UpgradeDecision.accept().subprotocol("never-offered")).build()));
        assertThat(raw(port, upgradeRequest("/ws", "Sec-WebSocket-Protocol", "chat")))
                .startsWith("HTTP/1.1 500 Internal Server Error\r\n").contains("Connection: close\r\n");
    }

    @Test
    void hookThatThrowsAnswers500() throws IOException {
        int port = start(WebSocketServer.builder().route(Route.builder("/ws", noop())
                .upgradeHook(request -> {
                    throw new IllegalStateException("database down");
                }).build()));
        String response = raw(port, upgradeRequest("/ws"));
        assertThat(response).startsWith("HTTP/1.1 500 ");
        assertThat(response).doesNotContain("database down");
    }

    @Test
    void hookRejectionSendsItsStatusHeadersAndBody() throws IOException {
        int port = start(WebSocketServer.builder().route(Route.builder("/ws", noop())
                .upgradeHook(request -> new UpgradeDecision.Reject(401,
                        HttpHeaders.of("WWW-Authenticate", "Bearer"), "token required".getBytes(StandardCharsets.UTF_8)))
                .build()));
        String response = raw(port, upgradeRequest("/ws"));
        assertThat(response).startsWith("HTTP/1.1 401 Unauthorized\r\n")
                .contains("\r\nWWW-Authenticate: Bearer\r\n")
                .contains("\r\nContent-Type: text/plain; charset=utf-8\r\n")
                .contains("\r\nContent-Length: 14\r\n")
                .contains("\r\nConnection: close\r\n")
                .endsWith("\r\n\r\ntoken required");
    }

    @Test
    void rfc6455_4_2_1_badKeyAnswers400() throws IOException {
        int port = start(WebSocketServer.builder().route("/ws", noop()));
        String response = raw(port, upgradeRequest("/ws").replace("dGhlIHNhbXBsZSBub25jZQ==", "short"));
        assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("Connection: close\r\n")
                .contains("Sec-WebSocket-Key");
    }

    @Test
    void rfc7230_3_1_1_requestLineWithoutVersionAnswers400() throws IOException {
        int port = start(WebSocketServer.builder().route("/ws", noop()));
        assertThat(raw(port, "GET /ws\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 400 Bad Request\r\n");
    }

    @Test
    void rfc6455_4_4_missingVersionAnswers426WithTheVersionSpoken() throws IOException {
        int port = start(WebSocketServer.builder().route("/ws", noop()));
        String response = raw(port, upgradeRequest("/ws").replace("Sec-WebSocket-Version: 13\r\n", ""));
        assertThat(response).startsWith("HTTP/1.1 426 Upgrade Required\r\n")
                .contains("\r\nSec-WebSocket-Version: 13\r\n");
    }

    @Test
    void rfc6455_4_2_1_postUpgradeAnswers405WithAllowGet() throws IOException {
        int port = start(WebSocketServer.builder().route("/ws", noop()));
        String response = raw(port, upgradeRequest("/ws").replaceFirst("GET", "POST"));
        assertThat(response).startsWith("HTTP/1.1 405 Method Not Allowed\r\n").contains("\r\nAllow: GET\r\n");
    }

    @Test
    void rfc7231_6_5_15_plainGetOnAWebSocketPathAnswers426WithUpgradeAndVersion() throws IOException {
        int port = start(WebSocketServer.builder().route("/ws", noop()));
        String response = raw(port, "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 426 Upgrade Required\r\n")
                .contains("\r\nUpgrade: websocket\r\n")
                .contains("\r\nSec-WebSocket-Version: 13\r\n")
                .contains("\r\nConnection: Upgrade, close\r\n");
    }

    @Test
    void unknownPathAnswers404ForUpgradesAndPlainRequests() throws IOException {
        int port = start(WebSocketServer.builder().route("/ws", noop()));
        assertThat(raw(port, upgradeRequest("/elsewhere"))).startsWith("HTTP/1.1 404 Not Found\r\n");
        assertThat(raw(port, "GET /elsewhere HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 404 Not Found\r\n");
        assertThat(raw(port, upgradeRequest("/ws/sub"))).startsWith("HTTP/1.1 404 ");
    }

    @Test
    void rfc6455_10_2_crossOriginIsRefusedWith403ByDefault() throws IOException {
        int port = start(WebSocketServer.builder().route("/ws", noop()));
        String host = "127.0.0.1:" + port;
        String cross = upgradeRequest("/ws", "Origin", "https://evil.example").replace("Host: 127.0.0.1", "Host: " + host);
        String same = upgradeRequest("/ws", "Origin", "http://" + host).replace("Host: 127.0.0.1", "Host: " + host);
        assertThat(raw(port, cross)).startsWith("HTTP/1.1 403 Forbidden\r\n");
        assertThat(raw(port, same)).startsWith("HTTP/1.1 101 ");
    }

    @Test
    void rfc6455_10_2_allowListedOriginIsAccepted() throws IOException {
        int port = start(WebSocketServer.builder().route(Route.builder("/ws", noop())
                .originPolicy(OriginPolicy.allow("https://app.example.com")).build()));
        assertThat(raw(port, upgradeRequest("/ws", "Origin", "HTTPS://APP.example.com"))).startsWith("HTTP/1.1 101 ");
        assertThat(raw(port, upgradeRequest("/ws", "Origin", "https://other.example.com"))).startsWith("HTTP/1.1 403 ");
    }

    @Test
    void headOverTheLimitAnswers431() throws IOException {
        int port = start(WebSocketServer.builder().route("/ws", noop()));
        String huge = upgradeRequest("/ws", "X-Padding", "a".repeat(1 << 20));
        try (TestClient client = TestClient.connect(port)) {
            try {
                client.write(huge.getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                // the server may close before it has read the whole megabyte: the answer is already sent
            }
            HttpResponseHead response = client.readResponseHead();
            assertThat(response.status()).isEqualTo(431);
        }
    }

    @Test
    void httpHandlerServesItsPathAndWebSocketsShareTheServer() throws IOException {
        int port = start(WebSocketServer.builder()
                .route("/ws", noop())
                .http("/", request -> HttpResponse.of(200, "text/html; charset=utf-8",
                        "<h1>hello</h1>".getBytes(StandardCharsets.UTF_8)))
                .http("/health/*", request -> HttpResponse.text(200, "ok " + request.path())));
        String page = raw(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(page).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nContent-Type: text/html; charset=utf-8\r\n")
                .contains("\r\nContent-Length: 14\r\n").contains("\r\nConnection: close\r\n")
                .endsWith("\r\n\r\n<h1>hello</h1>");
        assertThat(raw(port, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")).endsWith("ok /health/live");
        assertThat(raw(port, "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n")).contains("Content-Length: 14\r\n").endsWith("\r\n\r\n");
        assertThat(raw(port, upgradeRequest("/ws"))).startsWith("HTTP/1.1 101 ");
    }

    @Test
    void httpHandlerThatThrowsAnswers500() throws IOException {
        int port = start(WebSocketServer.builder().http("/", request -> {
            throw new IllegalStateException("bug");
        }));
        assertThat(raw(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 500 Internal Server Error\r\n");
    }

    @Test
    void rfc6455_4_2_2_acceptResponseMatchesTheCoreHandshake() {
        assertThat(ServerHandshake.acceptKey("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }
}
