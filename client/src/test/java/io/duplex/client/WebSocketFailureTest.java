package io.duplex.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.testkit.RawFrame;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Event order and diagnostics when things go wrong, against a scripted server: the handshake checks of
 * RFC 6455 4.1 (each one a "fail the WebSocket connection": error, then close 1006, wasClean false) and
 * abnormal ends after opening.
 */
class WebSocketFailureTest {

    private static CloseEvent run(RawServer.Script script, Recorder[] recorder) throws Exception {
        try (RawServer server = new RawServer(script)) {
            WebSocket.Builder b = WebSocket.builder(server.url("/x")).closeTimeout(Duration.ofMillis(500))
                    .connectTimeout(Duration.ofSeconds(5));
            Recorder r = Recorder.on(b);
            recorder[0] = r;
            b.connect();
            return r.awaitClose();
        }
    }

    private static void drain(InputStream in) throws Exception {
        byte[] buffer = new byte[1024];
        while (in.read(buffer) >= 0) {
            // read until the client closes
        }
    }

    @Test
    void closeWhileConnectingIsErrorThenClose1006() throws Exception {
        CountDownLatch requestSeen = new CountDownLatch(1);
        try (RawServer silent = new RawServer((socket, head) -> {
            requestSeen.countDown();
            drain(socket.getInputStream());
        })) {
            // Event tasks wait for `release`, so the close task (which alone moves readyState to CLOSED)
            // cannot run while this thread looks at CLOSING.
            CountDownLatch release = new CountDownLatch(1);
            WebSocket.Builder b = WebSocket.builder(silent.url("/")).eventExecutor(task -> Thread.ofVirtual().start(() -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                task.run();
            }));
            Recorder r = Recorder.on(b);
            WebSocket ws = b.connect();
            assertThat(requestSeen.await(10, TimeUnit.SECONDS)).isTrue();
            ws.close(1000, "never mind");
            assertThat(ws.readyState()).isEqualTo(WebSocket.CLOSING);
            release.countDown();
            CloseEvent close = r.awaitClose();
            assertThat(r.events).containsExactly("error", "close:1006:unclean");
            assertThat(close.reason()).isEmpty();
            assertThat(close.detail()).contains("close() was called before");
            assertThat(ws.readyState()).isEqualTo(WebSocket.CLOSED);
        }
    }

    @Test
    void closeBeforeTheTcpConnectionExistsIsErrorThenClose1006() throws Exception {
        WebSocket.Builder b = WebSocket.builder("ws://127.0.0.1:9/"); // nothing listens; close() comes first
        Recorder r = Recorder.on(b);
        WebSocket ws = b.connect();
        ws.close();
        r.awaitClose();
        assertThat(r.events).containsExactly("error", "close:1006:unclean");
    }

    @Test
    void aShutDownEventLoopGroupIsErrorThenClose1006() throws Exception {
        io.duplex.transport.EventLoopGroup group = io.duplex.transport.EventLoopGroup.create(1);
        group.close();
        WebSocket.Builder b = WebSocket.builder("ws://127.0.0.1:9/").eventLoopGroup(group);
        Recorder r = Recorder.on(b);
        b.connect();
        r.awaitClose();
        assertThat(r.events).containsExactly("error", "close:1006:unclean");
    }

    @Test
    void wrongSecWebSocketAcceptFails() throws Exception {
        Recorder[] r = new Recorder[1];
        CloseEvent close = run((socket, head) -> {
            socket.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Accept: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            drain(socket.getInputStream());
        }, r);
        assertThat(r[0].events).containsExactly("error", "close:1006:unclean");
        assertThat(close.detail()).contains("Sec-WebSocket-Accept");
    }

    @Test
    void subprotocolNotOfferedFails() throws Exception {
        Recorder[] r = new Recorder[1];
        CloseEvent close = run((socket, head) -> {
            socket.getOutputStream().write(RawServer.accept(head, "Sec-WebSocket-Protocol: chat\r\n"));
            drain(socket.getInputStream());
        }, r);
        assertThat(r[0].events).containsExactly("error", "close:1006:unclean");
        assertThat(close.detail()).contains("chat");
    }

    @Test
    void extensionNotOfferedFails() throws Exception {
        Recorder[] r = new Recorder[1];
        CloseEvent close = run((socket, head) -> {
            socket.getOutputStream().write(RawServer.accept(head, "Sec-WebSocket-Extensions: permessage-deflate\r\n"));
            drain(socket.getInputStream());
        }, r);
        assertThat(r[0].events).containsExactly("error", "close:1006:unclean");
        assertThat(close.detail()).contains("permessage-deflate");
    }

    @Test
    void redirectIsNotFollowed() throws Exception {
        Recorder[] r = new Recorder[1];
        CloseEvent close = run((socket, head) -> {
            socket.getOutputStream().write(("HTTP/1.1 301 Moved Permanently\r\nLocation: ws://127.0.0.1:1/\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            drain(socket.getInputStream());
        }, r);
        assertThat(r[0].events).containsExactly("error", "close:1006:unclean");
        assertThat(close.detail()).contains("301");
    }

    @Test
    void serverClosingDuringTheHandshakeFails() throws Exception {
        Recorder[] r = new Recorder[1];
        CloseEvent close = run((socket, head) -> socket.close(), r);
        assertThat(r[0].events).containsExactly("error", "close:1006:unclean");
        assertThat(close.detail()).isNotEmpty();
    }

    @Test
    void handshakeTimeoutFails() throws Exception {
        try (RawServer silent = new RawServer((socket, head) -> drain(socket.getInputStream()))) {
            WebSocket.Builder b = WebSocket.builder(silent.url("/")).connectTimeout(Duration.ofMillis(300));
            Recorder r = Recorder.on(b);
            b.connect();
            CloseEvent close = r.awaitClose();
            assertThat(r.events).containsExactly("error", "close:1006:unclean");
            assertThat(close.detail()).contains("300 ms");
        }
    }

    @Test
    void aFrameInTheSamePacketAsThe101IsDelivered() throws Exception {
        Recorder[] r = new Recorder[1];
        run((socket, head) -> {
            OutputStream out = socket.getOutputStream();
            byte[] accept = RawServer.accept(head, "");
            byte[] text = RawFrame.text("first", true, null);
            byte[] close = RawFrame.builder(RawFrame.CLOSE).payload(new byte[] {0x03, (byte) 0xE8}).build();
            byte[] all = new byte[accept.length + text.length + close.length];
            System.arraycopy(accept, 0, all, 0, accept.length);
            System.arraycopy(text, 0, all, accept.length, text.length);
            System.arraycopy(close, 0, all, accept.length + text.length, close.length);
            out.write(all);
            out.flush();
            drain(socket.getInputStream());
        }, r);
        assertThat(r[0].events.subList(0, 2)).containsExactly("open", "message:first");
    }

    @Test
    void endOfStreamWithoutACloseFrameIsClose1006WithoutError() throws Exception {
        Recorder[] r = new Recorder[1];
        CloseEvent close = run((socket, head) -> {
            socket.getOutputStream().write(RawServer.accept(head, ""));
            socket.getOutputStream().write(RawFrame.text("hi", true, null));
            socket.shutdownOutput();
            drain(socket.getInputStream());
        }, r);
        assertThat(r[0].events).containsExactly("open", "message:hi", "close:1006:unclean");
        assertThat(close.detail()).contains("without a close frame");
    }

    @Test
    void protocolErrorFromTheServerIsErrorThenClose1006() throws Exception {
        Recorder[] r = new Recorder[1];
        CloseEvent close = run((socket, head) -> {
            socket.getOutputStream().write(RawServer.accept(head, ""));
            // RFC 6455 5.1: a server must not mask its frames; the client fails the connection (1002)
            socket.getOutputStream().write(RawFrame.text("masked", true, 0x01020304));
            drain(socket.getInputStream());
        }, r);
        assertThat(r[0].events).containsExactly("open", "error", "close:1006:unclean");
        assertThat(close.detail()).contains("protocol error").contains("1002");
    }

    @Test
    void serverThatNeverClosesTcpAfterTheCloseFramesIsClosedByTheCloseTimer() throws Exception {
        Recorder[] r = new Recorder[1];
        CloseEvent close = run((socket, head) -> {
            socket.getOutputStream().write(RawServer.accept(head, ""));
            socket.getOutputStream().write(RawFrame.builder(RawFrame.CLOSE)
                    .payload(new byte[] {0x0F, (byte) 0xA0, 'o', 'k'}).build()); // 4000 "ok"
            drain(socket.getInputStream()); // never closes; the client's close timer ends it
        }, r);
        // both close frames were exchanged, so the closing handshake completed (RFC 6455 7.1.4)
        assertThat(r[0].events).containsExactly("open", "close:4000:clean");
        assertThat(close.reason()).isEqualTo("ok");
    }

    @Test
    void serverThatNeverAnswersTheCloseFrameIsClose1006AfterTheCloseTimer() throws Exception {
        try (RawServer deaf = new RawServer((socket, head) -> {
            socket.getOutputStream().write(RawServer.accept(head, ""));
            drain(socket.getInputStream());
        })) {
            WebSocket.Builder b = WebSocket.builder(deaf.url("/")).closeTimeout(Duration.ofMillis(300));
            Recorder r = Recorder.on(b);
            WebSocket ws = b.connect();
            ws.opened().toCompletableFuture().get(10, TimeUnit.SECONDS);
            ws.close(1000);
            CloseEvent close = r.awaitClose();
            assertThat(r.events).containsExactly("open", "close:1006:unclean");
            assertThat(close.detail()).contains("300 ms");
        }
    }

    @Test
    void requestCarriesHostOriginProtocolsAndExtraHeaders() throws Exception {
        try (RawServer server = new RawServer((socket, head) -> {
            socket.getOutputStream().write(RawServer.accept(head, "Sec-WebSocket-Protocol: b\r\n"));
            drain(socket.getInputStream());
        })) {
            WebSocket ws = WebSocket.builder(server.url("/path?q=1")).protocols("a", "b")
                    .origin("https://example.com").header("Authorization", "Bearer t").connect();
            ws.opened().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(ws.protocol()).isEqualTo("b");
            ws.close();
            String head = server.requests.get(0);
            assertThat(head).startsWith("GET /path?q=1 HTTP/1.1\r\n");
            assertThat(RawServer.header(head, "Host")).isEqualTo("127.0.0.1:" + server.port());
            assertThat(RawServer.header(head, "Origin")).isEqualTo("https://example.com");
            assertThat(RawServer.header(head, "Sec-WebSocket-Protocol")).isEqualTo("a, b");
            assertThat(RawServer.header(head, "Authorization")).isEqualTo("Bearer t");
            assertThat(RawServer.header(head, "Sec-WebSocket-Version")).isEqualTo("13");
        }
    }
}
