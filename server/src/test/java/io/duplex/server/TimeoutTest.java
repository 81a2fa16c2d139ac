package io.duplex.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.testkit.RawFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The handshake, idle, keepalive and close timeouts over loopback, with short durations. */
@Timeout(30)
class TimeoutTest {

    private WebSocketServer server;
    private final CompletableFuture<CloseInfo> closed = new CompletableFuture<>();
    private final CompletableFuture<ServerWebSocket> opened = new CompletableFuture<>();
    private final WebSocketHandler handler = new WebSocketHandler() {
        @Override
        public void onOpen(ServerWebSocket socket) {
            opened.complete(socket);
        }

        @Override
        public void onClose(ServerWebSocket socket, CloseInfo close) {
            closed.complete(close);
        }
    };

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

    @Test
    void handshakeTimeoutClosesASlowClientAtTheTimeoutNotAfterItsLastByte() throws Exception {
        int port = start(WebSocketServer.builder().handshakeTimeout(Duration.ofMillis(500)).route(Route.of("/ws", handler)));
        byte[] request = TestClient.bytes(TestClient.handshake(port, "/ws").build().request());
        ScheduledExecutorService dribbler = Executors.newSingleThreadScheduledExecutor();
        try (TestClient client = TestClient.connect(port)) {
            long start = System.nanoTime();
            AtomicInteger sent = new AtomicInteger();
            // One byte every 100 ms: the whole request would take request.length / 10 seconds.
            ScheduledFuture<?> dribble = dribbler.scheduleAtFixedRate(() -> {
                int i = sent.getAndIncrement();
                if (i < request.length) {
                    try {
                        client.write(new byte[] {request[i]});
                    } catch (IOException e) {
                        throw new IllegalStateException("closed", e); // ends the schedule
                    }
                }
            }, 0, 100, TimeUnit.MILLISECONDS);

            assertThat(client.awaitEof()).isTrue();
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            dribble.cancel(false);
            assertThat(elapsedMillis).isBetween(400L, 3000L);
            assertThat(sent.get()).isLessThan(request.length);
            assertThat(request.length * 100L).isGreaterThan(10_000L);
        } finally {
            dribbler.shutdownNow();
        }
        assertThat(opened).isNotDone();
    }

    @Test
    void idleTimeoutClosesASilentSocketWith1001() throws Exception {
        int port = start(WebSocketServer.builder().route(Route.builder("/ws", handler)
                .idleTimeout(Duration.ofMillis(300)).pingInterval(Duration.ZERO).build()));
        try (TestClient client = TestClient.open(port, "/ws")) {
            long start = System.nanoTime();
            TestClient.Frame frame = client.readFrame();
            assertThat(frame.closeCode()).isEqualTo(1001);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(200L, 3000L);
            client.sendClose(1001);
            assertThat(client.awaitEof()).isTrue();
        }
        CloseInfo info = closed.get(5, TimeUnit.SECONDS);
        assertThat(info.cause()).isEqualTo(CloseCause.TIMEOUT);
        assertThat(info.status().code()).isEqualTo(1001);
        assertThat(info.wasClean()).isTrue();
    }

    @Test
    void rfc6455_5_5_2_keepaliveKeepsPingingAClientThatAnswersWithPongs() throws Exception {
        int port = start(WebSocketServer.builder().route(Route.builder("/ws", handler)
                .pingInterval(Duration.ofMillis(150)).build()));
        try (TestClient client = TestClient.open(port, "/ws")) {
            for (int i = 0; i < 4; i++) {
                TestClient.Frame frame = client.readFrame();
                assertThat(frame.opcode()).as("frame %d", i).isEqualTo(RawFrame.PING);
                client.sendPong(frame.payload());
            }
        }
        assertThat(closed.get(5, TimeUnit.SECONDS).cause()).isEqualTo(CloseCause.PEER_WENT_AWAY);
    }

    @Test
    void clientThatDoesNotAnswerPingsIsClosedWith1001() throws Exception {
        int port = start(WebSocketServer.builder().closeTimeout(Duration.ofMillis(300)).route(Route.builder("/ws", handler)
                .pingInterval(Duration.ofMillis(200)).build()));
        try (TestClient client = TestClient.open(port, "/ws")) {
            assertThat(client.readFrame().opcode()).isEqualTo(RawFrame.PING);
            long pinged = System.nanoTime();
            TestClient.Frame close = client.readFrame();
            assertThat(close.closeCode()).isEqualTo(1001);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pinged)).isBetween(100L, 3000L);
            assertThat(client.awaitEof()).isTrue(); // we never answer: the close timeout ends TCP
        }
        CloseInfo info = closed.get(5, TimeUnit.SECONDS);
        assertThat(info.cause()).isEqualTo(CloseCause.TIMEOUT);
        assertThat(info.wasClean()).isFalse();
    }

    @Test
    void closeTimeoutEndsTcpWhenTheClientNeverAnswersOurClose() throws Exception {
        int port = start(WebSocketServer.builder().closeTimeout(Duration.ofMillis(400)).route("/ws", new WebSocketHandler() {
            @Override
            public void onText(ServerWebSocket socket, String text) {
                socket.close(4000, text);
            }

            @Override
            public void onClose(ServerWebSocket socket, CloseInfo close) {
                closed.complete(close);
            }
        }));
        try (TestClient client = TestClient.open(port, "/ws")) {
            client.sendText("bye");
            TestClient.Frame close = client.readFrame();
            long closeSeen = System.nanoTime();
            assertThat(close.closeCode()).isEqualTo(4000);
            assertThat(new String(close.payload(), 2, close.payload().length - 2, StandardCharsets.UTF_8)).isEqualTo("bye");
            assertThat(client.awaitEof()).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closeSeen)).isBetween(250L, 3000L);
        }
        CloseInfo info = closed.get(5, TimeUnit.SECONDS);
        assertThat(info.cause()).isEqualTo(CloseCause.TIMEOUT);
        assertThat(info.status().code()).isEqualTo(1006);
        assertThat(info.wasClean()).isFalse();
    }
}
