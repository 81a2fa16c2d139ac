package io.duplex.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.core.Limits;
import io.duplex.core.handshake.HttpHeaders;
import io.duplex.core.handshake.ServerHandshake;
import io.duplex.testkit.RawFrame;
import io.duplex.transport.Connection;
import io.duplex.transport.ConnectionHandler;
import io.duplex.transport.EventLoop;
import io.duplex.transport.Timeout;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

/**
 * The session's state machine against a connection stand-in whose loop runs tasks inline: receive
 * backpressure (pause above the bound, resume at half) and bufferedAmount release.
 */
class ClientSessionTest {

    /** A connection that records what the session does to it. */
    static final class FakeConnection implements Connection, EventLoop {
        final StringBuilder written = new StringBuilder();
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile boolean paused;
        long pending;

        @Override public EventLoop loop() { return this; }
        @Override public SocketAddress localAddress() { return new InetSocketAddress(0); }
        @Override public SocketAddress remoteAddress() { return new InetSocketAddress(0); }
        @Override public Optional<SSLSession> tlsSession() { return Optional.empty(); }
        @Override public synchronized void write(ByteBuffer bytes) {
            byte[] b = new byte[bytes.remaining()];
            bytes.get(b);
            written.append(new String(b, StandardCharsets.ISO_8859_1));
        }
        @Override public void flush() { }
        @Override public long pendingWriteBytes() { return pending; }
        @Override public void pauseReading() { paused = true; calls.add("pause"); }
        @Override public void resumeReading() { paused = false; calls.add("resume"); }
        @Override public boolean isReadingPaused() { return paused; }
        @Override public void close() { calls.add("close"); }
        @Override public void abort() { calls.add("abort"); }
        @Override public boolean isOpen() { return true; }
        @Override public synchronized void execute(Runnable task) { task.run(); }
        @Override public boolean inEventLoop() { return true; }
        @Override public Timeout schedule(Runnable task, Duration delay) {
            return new Timeout() {
                @Override public boolean cancel() { return true; }
                @Override public boolean isExpired() { return false; }
                @Override public boolean isCancelled() { return true; }
            };
        }
        @Override public long nanoTime() { return System.nanoTime(); }
    }

    /** Records the session's reports. */
    static final class Sink implements SessionSink {
        final List<Long> messages = new CopyOnWriteArrayList<>();
        final CountDownLatch opened = new CountDownLatch(1);
        volatile long sent;

        @Override public void opened(String protocol, String extensions) { opened.countDown(); }
        @Override public void message(String text, ByteBuffer binary, long size) { messages.add(size); }
        @Override public void closing() { }
        @Override public void closed(boolean failed, int code, String reason, boolean wasClean, String detail,
                                     Throwable cause) { }
        @Override public void sent(long bytes) { sent += bytes; }
    }

    private final FakeConnection connection = new FakeConnection();
    private final Sink sink = new Sink();
    private ClientSession session;

    private void open(long maxUndispatched) throws Exception {
        CompletableFuture<ConnectionHandler> handler = new CompletableFuture<>();
        ClientSettings settings = new ClientSettings(WebSocketUrl.parse("ws://127.0.0.1:9/"), List.of(),
                HttpHeaders.empty(), null, null, true, Duration.ofSeconds(5), Duration.ofSeconds(5), Limits.DEFAULT,
                1 << 20, maxUndispatched, null, (options, h) -> {
                    h.onOpen(connection);
                    handler.complete(h);
                    return CompletableFuture.completedFuture(connection);
                });
        session = new ClientSession(settings, sink);
        session.start();
        handler.get(5, TimeUnit.SECONDS);
        Matcher key = Pattern.compile("Sec-WebSocket-Key: (\\S+)").matcher(connection.written);
        assertThat(key.find()).isTrue();
        String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + ServerHandshake.acceptKey(key.group(1)) + "\r\n\r\n";
        session.onData(connection, ByteBuffer.wrap(response.getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(sink.opened.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void readingPausesAboveTheUndispatchedBoundAndResumesAtHalf() throws Exception {
        open(3000);
        for (int i = 0; i < 3; i++) {
            session.onData(connection, ByteBuffer.wrap(RawFrame.binary(new byte[1000], true, null)));
        }
        assertThat(connection.paused).isFalse(); // 3000 bytes waiting: at the bound, not above
        session.onData(connection, ByteBuffer.wrap(RawFrame.binary(new byte[1000], true, null)));
        assertThat(connection.paused).isTrue();
        assertThat(sink.messages).hasSize(4);
        session.consumed(1000); // 3000 left
        session.consumed(1000); // 2000 left: above half
        assertThat(connection.paused).isTrue();
        session.consumed(1000); // 1000 left: at most half
        assertThat(connection.paused).isFalse();
        assertThat(connection.calls).containsExactly("pause", "resume");
    }

    @Test
    void bufferedAmountIsReleasedOnceTheTransportHasHandedTheFrameToTheKernel() throws Exception {
        open(1 << 20);
        connection.pending = 1_000_000; // the kernel takes nothing yet
        session.sendText(java.nio.ByteBuffer.wrap("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)), 5);
        assertThat(sink.sent).isZero();
        connection.pending = 0;
        session.onWritable(connection);
        assertThat(sink.sent).isEqualTo(5);
        session.sendBinary(ByteBuffer.allocate(7), 7); // written at once
        assertThat(sink.sent).isEqualTo(12);
    }
}
