package io.duplex.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duplex.core.handshake.ClientHandshake;
import io.duplex.core.handshake.HttpResponseHead;
import io.duplex.testkit.RawFrame;
import io.duplex.testkit.TestCertificates;
import io.duplex.transport.TlsConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Graceful stop, terminate, virtual-thread handlers, Unix domain sockets and TLS, over real sockets. */
@Timeout(60)
class LifecycleTest {

    private WebSocketServer server;
    private final List<CloseInfo> closes = new CopyOnWriteArrayList<>();
    private final List<ServerWebSocket> sockets = new CopyOnWriteArrayList<>();

    private final WebSocketHandler echo = new WebSocketHandler() {
        @Override
        public void onOpen(ServerWebSocket socket) {
            sockets.add(socket);
        }

        @Override
        public void onText(ServerWebSocket socket, String text) {
            socket.sendText(text);
        }

        @Override
        public void onClose(ServerWebSocket socket, CloseInfo close) {
            closes.add(close);
        }
    };

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void gracefulStopDeliversQueuedDataThenClosesWith1001AndAnswersHandshakesInProgressWith503() throws Exception {
        server = WebSocketServer.builder().listen("127.0.0.1", 0).eventLoops(1)
                .route(Route.builder("/ws", echo).backpressureLimit(16 << 20).build()).build().start();
        int port = server.port();
        try (TestClient halfway = TestClient.connect(port);
             TestClient reader = TestClient.open(port, "/ws", 16 * 1024);
             TestClient idle = TestClient.open(port, "/ws")) {
            // Accepted in order on the one loop: once idle has its 101, halfway's connection is registered.
            halfway.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(Await.until(() -> sockets.size() == 2, Duration.ofSeconds(5))).isTrue();
            ServerWebSocket toReader = sockets.get(0);
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 64; i++) { // 4 MiB: more than the kernel holds for a reader that does not read
                chunk[0] = (byte) i;
                assertThat(toReader.sendBinary(chunk)).isEqualTo(SendStatus.SUCCESS);
            }

            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(20)));

            HttpResponseHead refused = halfway.readResponseHead();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(halfway.awaitEof()).isTrue();

            assertThat(idle.readFrame().closeCode()).isEqualTo(1001);
            idle.sendClose(1001);
            assertThat(idle.awaitEof()).isTrue();

            for (int i = 0; i < 64; i++) {
                TestClient.Frame frame = reader.readFrame();
                assertThat(frame.opcode()).isEqualTo(RawFrame.BINARY);
                assertThat(frame.payload()[0]).isEqualTo((byte) i);
            }
            assertThat(reader.readFrame().closeCode()).isEqualTo(1001);
            assertThat(stopped).isNotDone();
            reader.sendClose(1001);
            assertThat(reader.awaitEof()).isTrue();

            assertThat(stopped.get(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(closes).hasSize(2).allSatisfy(close -> {
            assertThat(close.cause()).isEqualTo(CloseCause.SERVER_STOPPING);
            assertThat(close.status().code()).isEqualTo(1001);
            assertThat(close.wasClean()).isTrue();
        });
        assertThat(server.openSockets()).isZero();
        assertThatThrownBy(() -> TestClient.connect(port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void stopTerminatesSocketsThatDoNotCloseByTheDeadline() throws Exception {
        server = WebSocketServer.builder().listen("127.0.0.1", 0).eventLoops(1).closeTimeout(Duration.ofSeconds(30))
                .route("/ws", echo).build().start();
        try (TestClient silent = TestClient.open(server.port(), "/ws")) {
            assertThat(Await.until(() -> sockets.size() == 1, Duration.ofSeconds(5))).isTrue();
            long start = System.nanoTime();
            assertThat(server.stop(Duration.ofMillis(300))).isFalse();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
            assertThat(silent.readFrame().closeCode()).isEqualTo(1001);
            assertThat(silent.awaitEof()).isTrue();
        }
        assertThat(closes).singleElement().satisfies(close -> assertThat(close.cause()).isEqualTo(CloseCause.TERMINATED));
    }

    @Test
    void terminateClosesTcpWithoutACloseFrame() throws Exception {
        server = WebSocketServer.builder().listen("127.0.0.1", 0).eventLoops(1).route("/ws", echo).build().start();
        try (TestClient client = TestClient.open(server.port(), "/ws")) {
            assertThat(Await.until(() -> sockets.size() == 1, Duration.ofSeconds(5))).isTrue();
            sockets.get(0).terminate();
            assertThat(client.nextFrame()).isNull();
        }
        assertThat(Await.until(() -> closes.size() == 1, Duration.ofSeconds(5))).isTrue();
        assertThat(closes.get(0)).isEqualTo(new CloseInfo(io.duplex.core.CloseStatus.ABNORMAL, CloseCause.TERMINATED, false));
    }

    @Test
    void virtualThreadHandlerMayBlockWithoutStallingTheLoopAndKeepsOrder() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Boolean> virtual = new CopyOnWriteArrayList<>();
        WebSocketHandler blocking = new WebSocketHandler() {
            @Override
            public void onText(ServerWebSocket socket, String text) {
                virtual.add(Thread.currentThread().isVirtual());
                if (text.equals("block")) {
                    try {
                        assertThat(release.await(20, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                socket.sendText(text);
            }
        };
        CompletableFuture<Boolean> hookOnVirtualThread = new CompletableFuture<>();
        server = WebSocketServer.builder().listen("127.0.0.1", 0).eventLoops(1)
                .route(Route.builder("/blocking", blocking).execution(HandlerExecution.VIRTUAL_THREAD)
                        .upgradeHook(request -> {
                            hookOnVirtualThread.complete(Thread.currentThread().isVirtual());
                            return UpgradeDecision.accept();
                        }).build())
                .route("/echo", echo)
                .build().start();
        int port = server.port();
        try (TestClient slow = TestClient.open(port, "/blocking"); TestClient fast = TestClient.open(port, "/echo")) {
            assertThat(hookOnVirtualThread.get(5, TimeUnit.SECONDS)).isTrue();
            slow.sendText("block");
            int many = 300; // beyond the executor's queue bound: reading pauses, then resumes
            for (int i = 0; i < many; i++) {
                slow.sendText("m" + i + "x".repeat(1000));
            }
            fast.sendText("the loop is free");
            assertThat(fast.readFrame().text()).isEqualTo("the loop is free");
            release.countDown();
            assertThat(slow.readFrame().text()).isEqualTo("block");
            for (int i = 0; i < many; i++) {
                assertThat(slow.readFrame().text()).isEqualTo("m" + i + "x".repeat(1000));
            }
        }
        assertThat(virtual).hasSize(301).containsOnly(true);
    }

    @Test
    void servesUnixDomainSockets(@TempDir Path dir) throws Exception {
        SocketAddress address = UnixDomainSocketAddress.of(dir.resolve("ws.sock"));
        server = WebSocketServer.builder().listen(address).eventLoops(1).route("/ws", echo).build().start();
        assertThat(server.localAddresses()).containsExactly(address);
        assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);
        try (TestClient client = TestClient.connect(address)) {
            ClientHandshake handshake = ClientHandshake.builder().host("localhost").resource("/ws").build();
            HttpResponseHead response = client.upgrade(handshake);
            assertThat(response.status()).isEqualTo(101);
            handshake.validateResponse(response);
            client.sendText("over a unix socket");
            assertThat(client.readFrame().text()).isEqualTo("over a unix socket");
            client.sendClose(1000);
            assertThat(client.readFrame().closeCode()).isEqualTo(1000);
        }
    }

    @Test
    void servesWssOverTls() throws Exception {
        TestCertificates certificates = TestCertificates.shared();
        CompletableFuture<Boolean> secure = new CompletableFuture<>();
        server = WebSocketServer.builder().listen("127.0.0.1", 0).eventLoops(1)
                .tls(TlsConfig.server(certificates.serverContext()))
                .route(Route.builder("/ws", echo).upgradeHook(request -> {
                    secure.complete(request.secure());
                    return UpgradeDecision.accept();
                }).build()).build().start();
        int port = server.port();
        try (TestClient client = TestClient.connectTls(port, certificates.clientContext())) {
            ClientHandshake handshake = TestClient.handshake(port, "/ws").secure(true)
                    .origin("https://127.0.0.1:" + port).build();
            HttpResponseHead response = client.upgrade(handshake);
            assertThat(response.status()).isEqualTo(101);
            assertThat(secure.get(5, TimeUnit.SECONDS)).isTrue();
            client.sendText("encrypted");
            assertThat(client.readFrame().text()).isEqualTo("encrypted");
            client.sendBinary(new byte[200_000]);
            client.sendText("after a large frame");
            assertThat(client.readFrame().text()).isEqualTo("after a large frame");
        }
        try (TestClient client = TestClient.connectTls(port, certificates.clientContext())) {
            // RFC 6455 10.2 with RFC 6454: a page served over http is another origin than wss's https.
            ClientHandshake handshake = TestClient.handshake(port, "/ws").secure(true)
                    .origin("http://127.0.0.1:" + port).build();
            assertThat(client.upgrade(handshake).status()).isEqualTo(403);
        }
    }

    @Test
    void startFailsCleanlyWhenAnAddressIsTaken() throws Exception {
        server = WebSocketServer.builder().listen("127.0.0.1", 0).eventLoops(1).route("/ws", echo).build().start();
        WebSocketServer second = WebSocketServer.builder().listen("127.0.0.1", 0).listen("127.0.0.1", server.port())
                .eventLoops(1).route("/ws", echo).build();
        assertThatThrownBy(second::start).isInstanceOf(IOException.class);
        assertThat(second.localAddresses()).isEmpty();
        assertThat(second.stop(Duration.ofSeconds(1))).isTrue();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void sendsAfterCloseAreDroppedWithoutException() throws Exception {
        server = WebSocketServer.builder().listen("127.0.0.1", 0).eventLoops(1).route("/ws", echo).build().start();
        try (TestClient client = TestClient.open(server.port(), "/ws")) {
            assertThat(Await.until(() -> sockets.size() == 1, Duration.ofSeconds(5))).isTrue();
            ServerWebSocket socket = sockets.get(0);
            socket.close();
            assertThat(socket.isOpen()).isFalse();
            assertThat(socket.sendText("late")).isEqualTo(SendStatus.DROPPED);
            assertThat(socket.sendBinary(ByteBuffer.allocate(1))).isEqualTo(SendStatus.DROPPED);
            assertThat(socket.send(PreparedMessage.text("late"))).isEqualTo(SendStatus.DROPPED);
            assertThat(socket.sendPing(ByteBuffer.allocate(0))).isEqualTo(SendStatus.DROPPED);
            assertThat(client.readFrame().closeCode()).isEqualTo(1000);
            client.sendClose(1000);
            assertThat(client.awaitEof()).isTrue();
        }
        assertThat(Await.until(() -> closes.size() == 1, Duration.ofSeconds(5))).isTrue();
        assertThat(closes.get(0)).isEqualTo(new CloseInfo(io.duplex.core.CloseStatus.of(1000), CloseCause.CLEAN, true));
    }
}
