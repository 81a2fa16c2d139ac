package io.duplex.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.core.handshake.ClientHandshake;
import io.duplex.core.handshake.HttpResponseHead;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the README's "Using the server" example (on port 0) and talks to each of its routes. */
@Timeout(60)
class ReadmeExampleTest {

    @Test
    void theReadmeServerExampleWorksAsDescribed() throws Exception {
        byte[] page = "<!doctype html><title>chat</title>".getBytes(StandardCharsets.UTF_8);
        WebSocketHandler chat = new WebSocketHandler() {
            @Override
            public void onText(ServerWebSocket ws, String text) {
                ws.sendText(ws.userData() + ": " + text);
            }
        };

        // The README's lines, with port 0 instead of 8080.
        WebSocketServer server = WebSocketServer.builder()
            .listen("127.0.0.1", 0)
            .route("/echo", new WebSocketHandler() {
                @Override public void onText(ServerWebSocket ws, String text) { ws.sendText(text); }
                @Override public void onBinary(ServerWebSocket ws, ByteBuffer data) { ws.sendBinary(data); }
            })
            .route(Route.builder("/chat", chat)
                .upgradeHook(request -> request.cookies().containsKey("session")
                    ? UpgradeDecision.accept().subprotocol("chat.v1").userData(request.cookies().get("session"))
                    : UpgradeDecision.reject(401, "log in first"))
                .backpressureLimit(256 * 1024).backpressurePolicy(BackpressurePolicy.CLOSE_TRY_AGAIN_LATER)
                .execution(HandlerExecution.VIRTUAL_THREAD)
                .build())
            .http("/", request -> HttpResponse.of(200, "text/html; charset=utf-8", page))
            .build()
            .start();
        try {
            int port = server.port();
            try (TestClient echo = TestClient.open(port, "/echo")) {
                echo.sendText("hello");
                assertThat(echo.readFrame().text()).isEqualTo("hello");
            }

            try (TestClient anonymous = TestClient.connect(port)) {
                HttpResponseHead refused = anonymous.upgrade(
                    TestClient.handshake(port, "/chat").subprotocols(List.of("chat.v1")).build());
                assertThat(refused.status()).isEqualTo(401);
                assertThat(anonymous.readToEnd()).isEqualTo("log in first");
            }

            try (TestClient member = TestClient.connect(port)) {
                ClientHandshake handshake = TestClient.handshake(port, "/chat")
                    .subprotocols(List.of("chat.v1")).header("Cookie", "session=ada").build();
                assertThat(handshake.validateResponse(member.upgrade(handshake)).subprotocol()).isEqualTo("chat.v1");
                member.sendText("hi");
                assertThat(member.readFrame().text()).isEqualTo("ada: hi");
            }

            try (TestClient browser = TestClient.connect(port)) {
                browser.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                assertThat(browser.readResponseHead().status()).isEqualTo(200);
                assertThat(browser.readToEnd()).isEqualTo(new String(page, StandardCharsets.UTF_8));
            }
        } finally {
            assertThat(server.stop(Duration.ofSeconds(5))).isTrue();
        }
    }
}
