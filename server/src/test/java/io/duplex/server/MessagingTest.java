package io.duplex.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.core.Limits;
import io.duplex.core.Opcode;
import io.duplex.testkit.RawFrame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Messages over loopback: echo in every shape, the limits, broadcast, and sends from many threads. */
@Timeout(60)
class MessagingTest {

    private WebSocketServer server;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<CloseInfo> closed = new CompletableFuture<>();
    private final CompletableFuture<ServerWebSocket> opened = new CompletableFuture<>();

    /** Echoes every message and records the rest. */
    private final WebSocketHandler echo = new WebSocketHandler() {
        @Override
        public void onOpen(ServerWebSocket socket) {
            opened.complete(socket);
        }

        @Override
        public void onText(ServerWebSocket socket, String text) {
            socket.sendText(text);
        }

        @Override
        public void onBinary(ServerWebSocket socket, ByteBuffer data) {
            socket.sendBinary(data);
        }

        @Override
        public void onFragment(ServerWebSocket socket, Opcode type, ByteBuffer payload, boolean last) {
            events.add("fragment:" + type + ":" + payload.remaining() + (last ? ":last" : ""));
        }

        @Override
        public void onPing(ServerWebSocket socket, ByteBuffer applicationData) {
            events.add("ping:" + applicationData.remaining());
        }

        @Override
        public void onError(ServerWebSocket socket, Throwable error) {
            events.add("error:" + error.getClass().getSimpleName());
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

    private int start(Route... routes) throws IOException {
        WebSocketServer.Builder builder = WebSocketServer.builder().listen("127.0.0.1", 0).eventLoops(1);
        for (Route route : routes) {
            builder.route(route);
        }
        server = builder.build().start();
        return server.port();
    }

    @Test
    void echoesTextAndBinary() throws Exception {
        int port = start(Route.of("/echo", echo));
        try (TestClient client = TestClient.open(port, "/echo")) {
            client.sendText("h\u00e9llo \uD83D\uDE00");
            assertThat(client.readFrame().text()).isEqualTo("h\u00e9llo \uD83D\uDE00");
            client.sendBinary(new byte[] {1, 2, 3});
            TestClient.Frame binary = client.readFrame();
            assertThat(binary.opcode()).isEqualTo(RawFrame.BINARY);
            assertThat(binary.payload()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void echoesOneMebibyteMessages() throws Exception {
        int port = start(Route.of("/echo", echo));
        byte[] big = new byte[1 << 20];
        new Random(1).nextBytes(big);
        try (TestClient client = TestClient.open(port, "/echo")) {
            client.sendBinary(big);
            TestClient.Frame frame = client.readFrame();
            assertThat(frame.fin()).isTrue();
            assertThat(Arrays.equals(frame.payload(), big)).isTrue();
            String text = "x".repeat(1 << 20);
            client.sendText(text);
            assertThat(client.readFrame().text()).isEqualTo(text);
        }
    }

    @Test
    void rfc6455_5_4_fragmentedMessageIsDeliveredWholeWithInterleavedPing() throws Exception {
        int port = start(Route.of("/echo", echo));
        try (TestClient client = TestClient.open(port, "/echo")) {
            client.write(RawFrame.text("frag", false, TestClient.mask()));
            client.write(RawFrame.ping("p".getBytes(StandardCharsets.UTF_8), TestClient.mask()));
            client.write(RawFrame.continuation("men".getBytes(StandardCharsets.UTF_8), false, TestClient.mask()));
            client.write(RawFrame.continuation("ted".getBytes(StandardCharsets.UTF_8), true, TestClient.mask()));
            // RFC 6455 5.5.2: the pong carries the ping's data and may come between fragments' answers
            TestClient.Frame pong = client.readFrame();
            assertThat(pong.opcode()).isEqualTo(RawFrame.PONG);
            assertThat(pong.text()).isEqualTo("p");
            assertThat(client.readFrame().text()).isEqualTo("fragmented");
            assertThat(events).containsExactly("ping:1");
        }
    }

    @Test
    void streamingRouteDeliversFragments() throws Exception {
        int port = start(Route.builder("/stream", echo).streaming(true).build());
        try (TestClient client = TestClient.open(port, "/stream")) {
            client.write(RawFrame.binary(new byte[10], false, TestClient.mask()));
            client.write(RawFrame.continuation(new byte[5], true, TestClient.mask()));
            client.sendClose(1000);
            assertThat(client.awaitEof()).isTrue();
        }
        closed.get(5, TimeUnit.SECONDS);
        assertThat(events).containsExactly("fragment:BINARY:10", "fragment:BINARY:5:last");
    }

    @Test
    void rfc6455_7_4_1_frameOverTheLimitIsClosedWith1009() throws Exception {
        int port = start(Route.builder("/echo", echo).limits(Limits.DEFAULT.withMaxPayload(1000)).build());
        try (TestClient client = TestClient.open(port, "/echo")) {
            client.sendBinary(new byte[1001]);
            assertThat(client.readFrame().closeCode()).isEqualTo(1009);
            assertThat(client.awaitEof()).isTrue();
        }
        CloseInfo info = closed.get(5, TimeUnit.SECONDS);
        assertThat(info.cause()).isEqualTo(CloseCause.PROTOCOL_ERROR);
        assertThat(info.status().code()).isEqualTo(1009);
        assertThat(info.wasClean()).isFalse();
        assertThat(events).containsExactly("error:ProtocolException");
    }

    @Test
    void rfc6455_8_1_invalidUtf8IsClosedWith1007() throws Exception {
        int port = start(Route.of("/echo", echo));
        try (TestClient client = TestClient.open(port, "/echo")) {
            client.write(RawFrame.builder(RawFrame.TEXT).payload(new byte[] {(byte) 0xC3, 0x28})
                    .mask(TestClient.mask()).build());
            assertThat(client.readFrame().closeCode()).isEqualTo(1007);
            assertThat(client.awaitEof()).isTrue();
        }
        assertThat(closed.get(5, TimeUnit.SECONDS).status().code()).isEqualTo(1007);
    }

    @Test
    void rfc6455_5_1_unmaskedClientFrameIsClosedWith1002() throws Exception {
        int port = start(Route.of("/echo", echo));
        try (TestClient client = TestClient.open(port, "/echo")) {
            client.write(RawFrame.text("unmasked", true, null));
            assertThat(client.readFrame().closeCode()).isEqualTo(1002);
            assertThat(client.awaitEof()).isTrue();
        }
        CloseInfo info = closed.get(5, TimeUnit.SECONDS);
        assertThat(info.status().code()).isEqualTo(1002);
        assertThat(info.cause()).isEqualTo(CloseCause.PROTOCOL_ERROR);
    }

    @Test
    void rfc6455_7_1_1_clientCloseIsEchoedAndTheServerClosesTcp() throws Exception {
        int port = start(Route.of("/echo", echo));
        try (TestClient client = TestClient.open(port, "/echo")) {
            client.sendClose(4000);
            assertThat(client.readFrame().closeCode()).isEqualTo(4000);
            assertThat(client.awaitEof()).isTrue();
        }
        CloseInfo info = closed.get(5, TimeUnit.SECONDS);
        assertThat(info).isEqualTo(new CloseInfo(io.duplex.core.CloseStatus.of(4000), CloseCause.CLEAN, true));
        assertThat(server.openSockets()).isZero();
    }

    @Test
    void peerThatDropsTcpIsReportedAsGoneWith1006() throws Exception {
        int port = start(Route.of("/echo", echo));
        TestClient client = TestClient.open(port, "/echo");
        opened.get(5, TimeUnit.SECONDS);
        client.close();
        CloseInfo info = closed.get(5, TimeUnit.SECONDS);
        assertThat(info.cause()).isEqualTo(CloseCause.PEER_WENT_AWAY);
        assertThat(info.status().code()).isEqualTo(1006);
        assertThat(info.wasClean()).isFalse();
    }

    @Test
    void preparedMessageIsEncodedOnceAndReachesEverySocket() throws Exception {
        List<ServerWebSocket> sockets = new CopyOnWriteArrayList<>();
        CountDownLatch three = new CountDownLatch(3);
        int port = start(Route.of("/feed", new WebSocketHandler() {
            @Override
            public void onOpen(ServerWebSocket socket) {
                sockets.add(socket);
                three.countDown();
            }
        }));
        List<TestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                clients.add(TestClient.open(port, "/feed"));
            }
            assertThat(three.await(5, TimeUnit.SECONDS)).isTrue();
            PreparedMessage text = PreparedMessage.text("tick \uD83D\uDE00");
            PreparedMessage binary = PreparedMessage.binary(ByteBuffer.wrap(new byte[300]));
            assertThat(text.payloadLength()).isEqualTo(9);
            for (ServerWebSocket socket : sockets) {
                assertThat(socket.send(text)).isEqualTo(SendStatus.SUCCESS);
                assertThat(socket.send(binary)).isEqualTo(SendStatus.SUCCESS);
            }
            for (TestClient client : clients) {
                assertThat(client.readFrame().text()).isEqualTo("tick \uD83D\uDE00");
                assertThat(client.readFrame().payload()).hasSize(300);
            }
        } finally {
            for (TestClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void sendTextFromEightThreadsAtOnceDeliversEverythingInPerThreadOrder() throws Exception {
        int port = start(Route.of("/fanin", echo));
        int threads = 8;
        int perThread = 500;
        try (TestClient client = TestClient.open(port, "/fanin")) {
            ServerWebSocket socket = opened.get(5, TimeUnit.SECONDS);
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        assertThat(socket.sendText(thread + ":" + i)).isNotEqualTo(SendStatus.DROPPED);
                    }
                    return null;
                }));
            }
            go.countDown();
            Map<Integer, Integer> next = new HashMap<>();
            for (int n = 0; n < threads * perThread; n++) {
                String[] parts = client.readFrame().text().split(":");
                int thread = Integer.parseInt(parts[0]);
                int index = Integer.parseInt(parts[1]);
                assertThat(index).as("message of thread %d", thread).isEqualTo(next.getOrDefault(thread, 0));
                next.put(thread, index + 1);
            }
            for (Future<?> future : done) {
                future.get(5, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(next).hasSize(threads).allSatisfy((thread, count) -> assertThat(count).isEqualTo(perThread));
            assertThat(Await.until(() -> socket.bufferedAmount() == 0, Duration.ofSeconds(5))).isTrue();
        }
    }
}
