package io.duplex.client;

import io.duplex.server.WebSocketHandler;
import io.duplex.server.WebSocketServer;
import io.duplex.testkit.TestCertificates;
import io.duplex.transport.TlsConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DebugTmpTest {
    @Test
    void debug() throws Exception {
        try (WebSocketServer server = WebSocketServer.builder().listen("127.0.0.1", 0)
                .tls(TlsConfig.server(TestCertificates.shared().serverContext()))
                .route("/echo", new WebSocketHandler() {}).build().start()) {
            long t0 = System.nanoTime();
            WebSocket ws = WebSocket.builder("wss://localhost:" + server.port() + "/echo").connectTimeout(Duration.ofSeconds(3)).connect();
            CloseEvent c = ws.closed().toCompletableFuture().get(10, TimeUnit.SECONDS);
            System.out.println("DEBUG " + c + " after ms " + (System.nanoTime() - t0) / 1_000_000 + " cause " + c.cause());
        }
    }
}
