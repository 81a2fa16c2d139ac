package io.duplex.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duplex.core.CloseStatus;
import io.duplex.server.CloseInfo;
import io.duplex.server.Route;
import io.duplex.server.ServerWebSocket;
import io.duplex.server.UpgradeDecision;
import io.duplex.server.WebSocketHandler;
import io.duplex.server.WebSocketServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client against the Duplex server over loopback: the web-platform-tests websockets/ intents for
 * opening, sending, receiving, closing both ways, subprotocols, binaryType and bufferedAmount.
 */
class WebSocketEndToEndTest {

    private static WebSocketServer server;
    private static final CountDownLatch releaseHeld = new CountDownLatch(1);
    private static final AtomicReference<CompletableFuture<CloseInfo>> serverSawClose = new AtomicReference<>();

    @BeforeAll
    static void startServer() throws Exception {
        WebSocketHandler echo = new WebSocketHandler() {
            @Override
            public void onText(ServerWebSocket socket, String text) {
                socket.sendText(text);
            }

            @Override
            public void onBinary(ServerWebSocket socket, ByteBuffer data) {
                socket.sendBinary(data);
            }

            @Override
            public void onClose(ServerWebSocket socket, CloseInfo close) {
                CompletableFuture<CloseInfo> f = serverSawClose.get();
                if (f != null) {
                    f.complete(close);
                }
            }
        };
        server = WebSocketServer.builder()
                .listen("127.0.0.1", 0)
                .route("/echo", echo)
                .route(Route.builder("/chat", echo).upgradeHook(request -> request.subprotocols().contains("chat")
                        ? UpgradeDecision.accept().subprotocol("chat") : UpgradeDecision.accept()).build())
                .route(Route.builder("/forbidden", echo).upgradeHook(request -> UpgradeDecision.reject(403, "no")).build())
                .route(Route.builder("/held-echo", echo).execution(io.duplex.server.HandlerExecution.VIRTUAL_THREAD)
                        .upgradeHook(request -> {
                            try {
                                releaseHeld.await(10, TimeUnit.SECONDS); // answer once the test is ready
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return UpgradeDecision.accept();
                        }).build())
                .route("/bye", new WebSocketHandler() {
                    @Override
                    public void onOpen(ServerWebSocket socket) {
                        socket.close(4001, "bye");
                    }
                })
                .route("/burst", new WebSocketHandler() {
                    @Override
                    public void onOpen(ServerWebSocket socket) {
                        for (int i = 0; i < 50; i++) {
                            socket.sendText("m" + i);
                        }
                    }
                })
                .build()
                .start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static WebSocket socket(Event e) {
        return (WebSocket) e.target();
    }

    private static String url(String path) {
        return "ws://127.0.0.1:" + server.port() + path;
    }

    @Test
    void constructorStartsConnectingAndOpenFiresWithReadyStateOpen() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        try (RawServer held = new RawServer((socket, head) -> {
            answer.await(10, TimeUnit.SECONDS);
            socket.getOutputStream().write(RawServer.accept(head, ""));
            socket.getInputStream().read();
        })) {
            WebSocket ws = new WebSocket(held.url("/held"));
            assertThat(ws.readyState()).isEqualTo(WebSocket.CONNECTING);
            assertThat(ws.url()).isEqualTo(held.url("/held"));
            answer.countDown();
            ws.opened().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(ws.readyState()).isEqualTo(WebSocket.OPEN);
            ws.close();
        }
    }

    @Test
    void openFiresWithReadyStateOpenAndNoProtocolOrExtensions() throws Exception {
        WebSocket.Builder b = WebSocket.builder(url("/echo"));
        Recorder r = Recorder.on(b);
        WebSocket ws = b.connect();
        ws.opened().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(ws.readyState()).isEqualTo(WebSocket.OPEN);
        assertThat(ws.protocol()).isEmpty();
        assertThat(ws.extensions()).isEmpty();
        ws.close();
        r.awaitClose();
        assertThat(r.readyStateAtOpen).isEqualTo(WebSocket.OPEN);
        assertThat(r.events).containsExactly("open", "close:1005:clean");
    }

    @Test
    void theReadmeExampleLineForLine() throws Exception {
        CompletableFuture<Object> logged = new CompletableFuture<>();
        // README "Using the client", with a local URL and System.out.println replaced by a future
        WebSocket exampleSocket = new WebSocket(url("/held-echo"), "protocolOne");
        exampleSocket.onopen(event -> {
            exampleSocket.send("Here's some text that the server is urgently awaiting!");
        });
        exampleSocket.onmessage(event -> {
            logged.complete(event.data());
        });
        releaseHeld.countDown(); // the server answers the handshake only now, so no event can come early
        assertThat(logged.get(10, TimeUnit.SECONDS)).isEqualTo("Here's some text that the server is urgently awaiting!");
        exampleSocket.close();
        assertThat(exampleSocket.closed().toCompletableFuture().get(10, TimeUnit.SECONDS).code()).isEqualTo(1005);
    }

    @Test
    void httpUrlIsMappedToWs() throws Exception {
        WebSocket ws = new WebSocket("http://127.0.0.1:" + server.port() + "/echo");
        assertThat(ws.url()).isEqualTo(url("/echo"));
        ws.opened().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ws.close();
        ws.closed().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void sendWhileConnectingIsAnInvalidStateError() throws Exception {
        try (RawServer silent = new RawServer((socket, head) -> socket.getInputStream().read())) {
            WebSocket ws = new WebSocket(silent.url("/"));
            assertThatThrownBy(() -> ws.send("x"))
                    .isInstanceOfSatisfying(DOMException.class, e -> assertThat(e.name()).isEqualTo("InvalidStateError"));
            assertThatThrownBy(() -> ws.send(new byte[1])).isInstanceOf(DOMException.class);
            assertThat(ws.bufferedAmount()).isZero();
            ws.close();
        }
    }

    @Test
    void echoesTextAndBinaryAsBlobByDefault() throws Exception {
        WebSocket.Builder b = WebSocket.builder(url("/echo"));
        Recorder r = Recorder.on(b);
        CountDownLatch three = new CountDownLatch(3);
        WebSocket ws = b.onopen(e -> {
            socket(e).send("hello");
            socket(e).send(new byte[] {1, 2, 3});
            socket(e).send("h\u00E9llo \uD83D\uDE00");
        }).onmessage(e -> three.countDown()).connect();
        assertThat(ws.binaryType()).isEqualTo(BinaryType.BLOB);
        assertThat(three.await(10, TimeUnit.SECONDS)).isTrue();
        ws.close(1000, "done");
        r.awaitClose();
        assertThat(r.events).containsExactly("open", "message:hello", "message:blob:3",
                "message:h\u00E9llo \uD83D\uDE00", "close:1000:clean");
        assertThat(((Blob) r.messages.get(1).data()).bytes()).containsExactly(1, 2, 3);
        assertThat(r.messages.get(0).origin()).isEqualTo("ws://127.0.0.1:" + server.port());
    }

    @Test
    void binaryTypeArrayBufferGivesReadOnlyByteBuffers() throws Exception {
        WebSocket.Builder b = WebSocket.builder(url("/echo"));
        Recorder r = Recorder.on(b);
        CountDownLatch two = new CountDownLatch(2);
        WebSocket ws = b.onopen(e -> {
            socket(e).binaryType(BinaryType.ARRAYBUFFER);
            socket(e).send(ByteBuffer.wrap(new byte[] {9, 8, 7, 6}));
            socket(e).send(Blob.of(new byte[] {5}));
        }).onmessage(e -> {
            two.countDown();
            socket(e).binaryType(BinaryType.BLOB); // applies to the messages dispatched after this one
        }).connect();
        assertThat(two.await(10, TimeUnit.SECONDS)).isTrue();
        ws.close();
        r.awaitClose();
        assertThat(r.events).containsExactly("open", "message:arraybuffer:4", "message:blob:1", "close:1005:clean");
        ByteBuffer data = (ByteBuffer) r.messages.get(0).data();
        assertThat(data.isReadOnly()).isTrue();
        assertThat(r.messages.get(0).bytes()).containsExactly(9, 8, 7, 6);
    }

    @Test
    void sendByteBufferLeavesTheBufferUntouched() throws Exception {
        WebSocket.Builder b = WebSocket.builder(url("/echo"));
        Recorder r = Recorder.on(b);
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {0, 1, 2, 3}).position(1);
        b.onopen(e -> socket(e).send(buffer)).onmessage(e -> socket(e).close()).connect();
        r.awaitClose();
        assertThat(buffer.position()).isEqualTo(1);
        assertThat(r.messages.get(0).bytes()).containsExactly(1, 2, 3);
    }

    @Test
    void closeWithCodeAndReasonReachesTheServer() throws Exception {
        CompletableFuture<CloseInfo> seen = new CompletableFuture<>();
        serverSawClose.set(seen);
        WebSocket.Builder b = WebSocket.builder(url("/echo"));
        Recorder r = Recorder.on(b);
        b.onopen(e -> socket(e).close(4000, "done here")).connect();
        CloseEvent close = r.awaitClose();
        assertThat(close.code()).isEqualTo(4000);
        assertThat(close.wasClean()).isTrue();
        assertThat(r.readyStateAtClose).isEqualTo(WebSocket.CLOSED);
        CloseInfo info = seen.get(10, TimeUnit.SECONDS);
        assertThat(info.status()).isEqualTo(new CloseStatus(4000, "done here"));
        serverSawClose.set(null);
    }

    @Test
    void closeWithoutCodeSendsAnEmptyCloseFrameTheServerSees1005() throws Exception {
        CompletableFuture<CloseInfo> seen = new CompletableFuture<>();
        serverSawClose.set(seen);
        WebSocket.Builder b = WebSocket.builder(url("/echo"));
        Recorder r = Recorder.on(b);
        b.onopen(e -> socket(e).close()).connect();
        assertThat(r.awaitClose().code()).isEqualTo(1005);
        assertThat(seen.get(10, TimeUnit.SECONDS).status().code()).isEqualTo(1005);
        serverSawClose.set(null);
    }

    @Test
    void closeMovesToClosingAtOnceAndRepeatedCloseDoesNothing() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WebSocket.Builder b = WebSocket.builder(url("/echo"));
        Recorder r = Recorder.on(b);
        // A message handler that blocks holds the socket's event queue, so the close task (which alone
        // moves readyState to CLOSED) cannot run while this thread looks at CLOSING.
        b.addEventListener("message", e -> {
            inHandler.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        WebSocket ws = b.connect();
        ws.opened().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ws.send("hold the event queue");
        assertThat(inHandler.await(10, TimeUnit.SECONDS)).isTrue();
        ws.close(3000);
        assertThat(ws.readyState()).isEqualTo(WebSocket.CLOSING);
        ws.close(3001, "again");
        ws.close();
        assertThat(ws.readyState()).isEqualTo(WebSocket.CLOSING);
        release.countDown();
        CloseEvent close = r.awaitClose();
        assertThat(close.code()).isEqualTo(3000);
        assertThat(r.events).containsExactly("open", "message:hold the event queue", "close:3000:clean");
        assertThat(ws.readyState()).isEqualTo(WebSocket.CLOSED);
        ws.close(); // still nothing
    }

    @Test
    void invalidCloseArgumentsThrowEvenWhenOpen() throws Exception {
        WebSocket ws = new WebSocket(url("/echo"));
        ws.opened().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> ws.close(1001)).isInstanceOfSatisfying(DOMException.class,
                e -> assertThat(e.name()).isEqualTo("InvalidAccessError"));
        assertThatThrownBy(() -> ws.close(1000, "x".repeat(124))).isInstanceOfSatisfying(DOMException.class,
                e -> assertThat(e.name()).isEqualTo("SyntaxError"));
        // the code is checked before the reason
        assertThatThrownBy(() -> ws.close(5000, "x".repeat(124))).isInstanceOfSatisfying(DOMException.class,
                e -> assertThat(e.name()).isEqualTo("InvalidAccessError"));
        assertThat(ws.readyState()).isEqualTo(WebSocket.OPEN);
        ws.close();
        ws.closed().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void serverInitiatedCloseGivesItsCodeAndReason() throws Exception {
        WebSocket.Builder b = WebSocket.builder(url("/bye"));
        Recorder r = Recorder.on(b);
        WebSocket ws = b.connect();
        CloseEvent close = r.awaitClose();
        assertThat(close.code()).isEqualTo(4001);
        assertThat(close.reason()).isEqualTo("bye");
        assertThat(close.wasClean()).isTrue();
        assertThat(close.detail()).isEmpty();
        assertThat(r.events).containsExactly("open", "close:4001:clean");
        assertThat(ws.closed().toCompletableFuture().get(1, TimeUnit.SECONDS)).isSameAs(close);
    }

    @Test
    void messagesReceivedAfterCloseAreNotDispatched() throws Exception {
        WebSocket.Builder b = WebSocket.builder(url("/burst"));
        Recorder r = Recorder.on(b);
        b.onmessage(e -> socket(e).close()).connect();
        r.awaitClose();
        assertThat(r.events).containsExactly("open", "message:m0", "close:1005:clean");
    }

    @Test
    void subprotocolChosenByTheServerIsExposedAtOpen() throws Exception {
        WebSocket.Builder b = WebSocket.builder(url("/chat")).protocols("superchat", "chat");
        Recorder r = Recorder.on(b);
        AtomicReference<String> atOpen = new AtomicReference<>();
        WebSocket ws = b.onopen(e -> atOpen.set(socket(e).protocol())).connect();
        ws.opened().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ws.close();
        r.awaitClose();
        assertThat(atOpen.get()).isEqualTo("chat");
        assertThat(ws.protocol()).isEqualTo("chat");
    }

    @Test
    void noSubprotocolWhenTheServerChoosesNone() throws Exception {
        WebSocket ws = new WebSocket(url("/chat"), "superchat");
        ws.opened().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(ws.protocol()).isEmpty();
        ws.close();
        ws.closed().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void handshakeRejected403IsErrorThenClose1006WithTheStatusInTheDetail() throws Exception {
        WebSocket.Builder b = WebSocket.builder(url("/forbidden"));
        Recorder r = Recorder.on(b);
        WebSocket ws = b.connect();
        CloseEvent close = r.awaitClose();
        assertThat(r.events).containsExactly("error", "close:1006:unclean");
        assertThat(close.detail()).contains("403");
        assertThat(r.readyStateAtClose).isEqualTo(WebSocket.CLOSED);
        assertThatThrownBy(() -> ws.opened().toCompletableFuture().get(1, TimeUnit.SECONDS))
                .hasMessageContaining("403");
    }

    @Test
    void connectionRefusedIsErrorThenClose1006() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        WebSocket.Builder b = WebSocket.builder("ws://127.0.0.1:" + port + "/");
        Recorder r = Recorder.on(b);
        b.connect();
        CloseEvent close = r.awaitClose();
        assertThat(r.events).containsExactly("error", "close:1006:unclean");
        assertThat(close.detail()).contains("refused");
        assertThat(close.cause()).isPresent();
    }

    @Test
    void bufferedAmountAfterCloseGrowsAndNeverThrows() throws Exception {
        WebSocket.Builder b = WebSocket.builder(url("/echo"));
        Recorder r = Recorder.on(b);
        WebSocket ws = b.connect();
        ws.opened().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ws.close();
        long before = ws.bufferedAmount();
        ws.send("abc");
        ws.send("\u00E9"); // 2 bytes of UTF-8
        assertThat(ws.bufferedAmount()).isEqualTo(before + 5);
        r.awaitClose();
        long atClose = ws.bufferedAmount();
        ws.send(new byte[10]);
        ws.send(Blob.of(new byte[7]));
        assertThat(ws.bufferedAmount()).isEqualTo(atClose + 17);
        assertThat(r.events).containsExactly("open", "close:1005:clean");
    }

    @Test
    void bufferedAmountDrainsToZeroOnceSent() throws Exception {
        WebSocket.Builder b = WebSocket.builder(url("/echo"));
        Recorder r = Recorder.on(b);
        WebSocket ws = b.connect();
        ws.opened().toCompletableFuture().get(10, TimeUnit.SECONDS);
        CountDownLatch all = new CountDownLatch(100);
        ws.onmessage(e -> all.countDown());
        for (int i = 0; i < 100; i++) {
            ws.send("x".repeat(1000));
        }
        assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ws.bufferedAmount() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(5); // poll until the deadline: the release happens on the loop after the flush
        }
        assertThat(ws.bufferedAmount()).isZero();
        ws.close();
        r.awaitClose();
    }

    @Test
    void sendFromManyThreadsKeepsEachThreadsOrder() throws Exception {
        WebSocket.Builder b = WebSocket.builder(url("/echo"));
        Recorder r = Recorder.on(b);
        WebSocket ws = b.connect();
        ws.opened().toCompletableFuture().get(10, TimeUnit.SECONDS);
        int threads = 8;
        int each = 200;
        CountDownLatch all = new CountDownLatch(threads * each);
        ws.onmessage(e -> all.countDown());
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            senders.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    ws.send(id + ":" + i);
                }
            }));
        }
        for (Thread t : senders) {
            t.join();
        }
        assertThat(all.await(20, TimeUnit.SECONDS)).isTrue();
        ws.close();
        r.awaitClose();
        int[] next = new int[threads];
        for (MessageEvent m : r.messages) {
            String[] parts = m.text().split(":");
            int id = Integer.parseInt(parts[0]);
            assertThat(Integer.parseInt(parts[1])).isEqualTo(next[id]++);
        }
        assertThat(next).containsOnly(each);
    }

    @Test
    void slowHandlersGetEveryMessageInOrderUnderReceiveBackpressure() throws Exception {
        WebSocket.Builder b = WebSocket.builder(url("/echo")).maxUndispatchedBytes(4096);
        Recorder r = Recorder.on(b);
        WebSocket ws = b.connect();
        ws.opened().toCompletableFuture().get(10, TimeUnit.SECONDS);
        int count = 200;
        CountDownLatch all = new CountDownLatch(count);
        ws.onmessage(e -> {
            if (all.getCount() % 50 == 0) {
                Thread.yield(); // a handler that sometimes lags
            }
            all.countDown();
        });
        String payload = "y".repeat(1000);
        for (int i = 0; i < count; i++) {
            ws.send(i + payload);
        }
        assertThat(all.await(20, TimeUnit.SECONDS)).isTrue();
        ws.close();
        r.awaitClose();
        for (int i = 0; i < count; i++) {
            assertThat(r.messages.get(i).text()).startsWith(i + "y");
        }
    }

    @Test
    void aBlockedHandlerDoesNotStallOtherSockets() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        WebSocket blocked = WebSocket.builder(url("/echo")).onmessage(e -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }).onopen(e -> socket(e).send("block")).connect();
        WebSocket other = new WebSocket(url("/echo"));
        CompletableFuture<String> echoed = new CompletableFuture<>();
        other.onmessage(e -> echoed.complete(e.text()));
        blocked.opened().toCompletableFuture().get(10, TimeUnit.SECONDS);
        other.opened().toCompletableFuture().get(10, TimeUnit.SECONDS);
        other.send("free");
        assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("free");
        release.countDown();
        blocked.close();
        other.close();
        blocked.closed().toCompletableFuture().get(10, TimeUnit.SECONDS);
        other.closed().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void overflowingTheOutboundBoundIsErrorThenClose1006() throws Exception {
        WebSocket.Builder b = WebSocket.builder(url("/echo")).maxBufferedAmount(1000);
        Recorder r = Recorder.on(b);
        WebSocket ws = b.connect();
        ws.opened().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ws.send(new byte[1001]);
        // send() starts closing at once; the close event (and CLOSED) may already have been dispatched on
        // the socket's event executor by the time this thread looks, so both states are correct here.
        assertThat(ws.readyState()).isIn(WebSocket.CLOSING, WebSocket.CLOSED);
        CloseEvent close = r.awaitClose();
        assertThat(r.events).containsExactly("open", "error", "close:1006:unclean");
        assertThat(close.detail()).contains("bufferedAmount").contains("1000");
    }

    @Test
    void handlerPropertiesAndListenersBothRunInRegistrationOrder() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        try (RawServer held = new RawServer((socket, head) -> {
            answer.await(10, TimeUnit.SECONDS); // the 101 waits until the listeners are in place
            socket.getOutputStream().write(RawServer.accept(head, ""));
            socket.getInputStream().read();
        })) {
            WebSocket ws = new WebSocket(held.url("/"));
            List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
            ws.addEventListener("open", e -> calls.add("listener 1"));
            ws.onopen(e -> calls.add("onopen"));
            EventListener<Event> twice = e -> calls.add("listener 2");
            ws.addEventListener("open", twice);
            ws.addEventListener("open", twice);
            answer.countDown();
            ws.opened().toCompletableFuture().get(10, TimeUnit.SECONDS);
            ws.close();
            assertThat(calls).containsExactly("listener 1", "onopen", "listener 2");
        }
    }

    @Test
    void textIsUtf8OnTheWire() throws Exception {
        WebSocket.Builder b = WebSocket.builder(url("/echo"));
        Recorder r = Recorder.on(b);
        b.onopen(e -> socket(e).send("\uD800x")) // a lone surrogate becomes U+FFFD
                .onmessage(e -> socket(e).close()).connect();
        r.awaitClose();
        assertThat(r.messages.get(0).text()).isEqualTo("\uFFFDx");
        assertThat(r.messages.get(0).text().getBytes(StandardCharsets.UTF_8)).hasSize(4);
    }
}
