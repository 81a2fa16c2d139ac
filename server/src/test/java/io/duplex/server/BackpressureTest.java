package io.duplex.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.testkit.RawFrame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Send backpressure against a client that stops reading (statuses, policies, drain) and receive
 * backpressure (pauseReading), over loopback.
 */
@Timeout(60)
class BackpressureTest {

    /** Sends stop once the kernel's buffers and ours hold this much at most: bounds the test's memory. */
    private static final int MAX_SENDS = 4000;
    private static final int MESSAGE = 16 * 1024;
    private static final long LIMIT = 256 * 1024;

    private WebSocketServer server;
    private final CompletableFuture<ServerWebSocket> opened = new CompletableFuture<>();
    private final CompletableFuture<CloseInfo> closed = new CompletableFuture<>();
    private final CountDownLatch drained = new CountDownLatch(1);
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();

    private final WebSocketHandler handler = new WebSocketHandler() {
        @Override
        public void onOpen(ServerWebSocket socket) {
            opened.complete(socket);
        }

        @Override
        public void onText(ServerWebSocket socket, String text) {
            if (text.equals("fill")) {
                filled.complete(sendUntilDropped(socket));
            }
            texts.add(text);
        }

        @Override
        public void onDrain(ServerWebSocket socket) {
            calls.add("drain");
            drained.countDown();
        }

        @Override
        public void onClose(ServerWebSocket socket, CloseInfo close) {
            closed.complete(close);
        }
    };

    /** Statuses of the sends the handler made on the loop when the client said "fill". */
    private final CompletableFuture<List<SendStatus>> filled = new CompletableFuture<>();

    @AfterEach
    void stop() {
        if (server != null) {
            assertThat(server.stop(Duration.ofSeconds(5))).isTrue();
        }
    }

    private int start(BackpressurePolicy policy) throws IOException {
        server = WebSocketServer.builder().listen("127.0.0.1", 0).eventLoops(1)
                .route(Route.builder("/ws", handler).backpressureLimit(LIMIT).backpressurePolicy(policy).build())
                .build().start();
        return server.port();
    }

    /** A client with a small receive window, so that the kernel holds little for a peer that does not read. */
    private static TestClient openSlowReader(int port) throws IOException {
        return TestClient.open(port, "/ws", 16 * 1024);
    }

    /**
     * Sends until one is dropped. On the loop (inside a callback) nothing is written until the callback
     * returns, so the statuses are exact: SUCCESS up to the limit, then what the policy says.
     */
    private static List<SendStatus> sendUntilDropped(ServerWebSocket socket) {
        List<SendStatus> statuses = new ArrayList<>();
        ByteBuffer message = ByteBuffer.allocate(MESSAGE);
        for (int i = 0; i < MAX_SENDS; i++) {
            SendStatus status = socket.sendBinary(message.duplicate());
            statuses.add(status);
            if (status == SendStatus.DROPPED) {
                return statuses;
            }
        }
        throw new AssertionError("no send was dropped in " + MAX_SENDS + " sends");
    }

    private static long queued(List<SendStatus> statuses) {
        return statuses.stream().filter(s -> s != SendStatus.DROPPED).count();
    }

    private static List<SendStatus> expected(int success, int backpressure) {
        List<SendStatus> statuses = new ArrayList<>();
        for (int i = 0; i < success; i++) {
            statuses.add(SendStatus.SUCCESS);
        }
        for (int i = 0; i < backpressure; i++) {
            statuses.add(SendStatus.BACKPRESSURE);
        }
        statuses.add(SendStatus.DROPPED);
        return statuses;
    }

    private List<SendStatus> fill(TestClient client) throws Exception {
        client.sendText("fill");
        return filled.get(5, TimeUnit.SECONDS);
    }

    @Test
    void bufferPolicyAnswersBackpressureThenDropsAtTwiceTheLimitAndDrainsOnceTheClientReads() throws Exception {
        int port = start(BackpressurePolicy.BUFFER);
        try (TestClient client = openSlowReader(port)) {
            ServerWebSocket socket = opened.get(5, TimeUnit.SECONDS);
            List<SendStatus> statuses = fill(client);
            // 16 messages reach the limit exactly; 16 more go over it, up to the hard cap of twice the limit.
            assertThat(statuses).isEqualTo(expected(16, 16));
            assertThat(socket.isOpen()).isTrue();

            for (long i = queued(statuses); i > 0; i--) {
                assertThat(client.readFrame().payload()).hasSize(MESSAGE);
            }
            assertThat(drained.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(socket.bufferedAmount()).isZero();
            assertThat(socket.sendText("after")).isEqualTo(SendStatus.SUCCESS);
            assertThat(client.readFrame().text()).isEqualTo("after");
            assertThat(calls).containsExactly("drain");
        }
    }

    @Test
    void sendsFromAnotherThreadToAClientThatDoesNotReadEndInDropsAndDrainWhenItReads() throws Exception {
        int port = start(BackpressurePolicy.BUFFER);
        try (TestClient client = openSlowReader(port)) {
            ServerWebSocket socket = opened.get(5, TimeUnit.SECONDS);
            List<SendStatus> statuses = new ArrayList<>();
            ByteBuffer message = ByteBuffer.allocate(MESSAGE);
            // Rounds of sends until one is dropped: the first rounds fill the kernel's buffers (a few MB on
            // loopback), then the amount stays at the cap because nobody reads. Checked after each pause.
            boolean full = Await.until(() -> {
                SendStatus status;
                do {
                    status = socket.sendBinary(message.duplicate());
                    statuses.add(status);
                } while (status != SendStatus.DROPPED && statuses.size() < 100 * MAX_SENDS);
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
                return socket.bufferedAmount() > LIMIT;
            }, Duration.ofSeconds(20));
            assertThat(full).as("the amount stays over the limit while the client does not read").isTrue();
            assertThat(statuses).contains(SendStatus.BACKPRESSURE);
            assertThat(socket.bufferedAmount()).isLessThanOrEqualTo(2 * LIMIT);
            assertThat(socket.isOpen()).isTrue();
            for (long i = queued(statuses); i > 0; i--) {
                assertThat(client.readFrame().payload()).hasSize(MESSAGE);
            }
            assertThat(drained.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(Await.until(() -> socket.bufferedAmount() == 0, Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void dropPolicyDropsWhileOverTheLimit() throws Exception {
        int port = start(BackpressurePolicy.DROP);
        try (TestClient client = openSlowReader(port)) {
            ServerWebSocket socket = opened.get(5, TimeUnit.SECONDS);
            List<SendStatus> statuses = fill(client);
            assertThat(statuses).isEqualTo(expected(16, 1));
            assertThat(socket.isOpen()).isTrue();
            for (long i = queued(statuses); i > 0; i--) {
                assertThat(client.readFrame().payload()).hasSize(MESSAGE);
            }
            assertThat(drained.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void closePolicyClosesWith1008AfterTheQueuedData() throws Exception {
        int port = start(BackpressurePolicy.CLOSE_POLICY_VIOLATION);
        try (TestClient client = openSlowReader(port)) {
            ServerWebSocket socket = opened.get(5, TimeUnit.SECONDS);
            List<SendStatus> statuses = fill(client);
            assertThat(statuses).isEqualTo(expected(16, 1));
            assertThat(socket.isOpen()).isFalse();
            assertThat(socket.sendText("late")).isEqualTo(SendStatus.DROPPED);
            TestClient.Frame frame;
            long data = 0;
            while ((frame = client.readFrame()).opcode() == RawFrame.BINARY) {
                data++;
            }
            assertThat(data).isEqualTo(queued(statuses));
            assertThat(frame.closeCode()).isEqualTo(1008);
            client.sendClose(1008);
            assertThat(client.awaitEof()).isTrue();
        }
        CloseInfo info = closed.get(5, TimeUnit.SECONDS);
        assertThat(info.cause()).isEqualTo(CloseCause.BACKPRESSURE);
        assertThat(info.status().code()).isEqualTo(1008);
    }

    @Test
    void closeTryAgainLaterPolicyClosesWith1013() throws Exception {
        int port = start(BackpressurePolicy.CLOSE_TRY_AGAIN_LATER);
        try (TestClient client = openSlowReader(port)) {
            assertThat(fill(client)).isEqualTo(expected(16, 1));
            TestClient.Frame frame;
            do {
                frame = client.readFrame();
            } while (frame.opcode() == RawFrame.BINARY);
            assertThat(frame.closeCode()).isEqualTo(1013);
        }
    }

    @Test
    void pauseReadingHoldsMessagesUntilResume() throws Exception {
        int port = start(BackpressurePolicy.BUFFER);
        try (TestClient client = TestClient.open(port, "/ws")) {
            ServerWebSocket socket = opened.get(5, TimeUnit.SECONDS);
            client.sendText("before");
            assertThat(texts.poll(5, TimeUnit.SECONDS)).isEqualTo("before");
            socket.pauseReading();
            // The pause is handed to the loop; the loop has run it once this ping's pong came back.
            assertThat(socket.sendPing(ByteBuffer.allocate(0))).isEqualTo(SendStatus.SUCCESS);
            assertThat(client.readFrame().opcode()).isEqualTo(RawFrame.PING);
            client.sendText("while paused");
            assertThat(texts.poll(300, TimeUnit.MILLISECONDS)).as("delivered while paused").isNull();
            socket.resumeReading();
            assertThat(texts.poll(5, TimeUnit.SECONDS)).isEqualTo("while paused");
        }
    }
}
