package io.duplex.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.testkit.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lingering close: after {@link Connection#close()} has written everything, the socket's output is shut
 * down and input is discarded until the peer ends its side (or the linger timeout, or the discard limit), so
 * that the kernel never answers the peer's late bytes with a reset that could destroy our last bytes.
 */
@Timeout(60)
class LingerTest {

    private static final TestCertificates CERTS = TestCertificates.shared();
    /** The discard limit documented on {@link EventLoopGroup.Builder#lingerTimeout}. */
    private static final int DISCARD_LIMIT = 1 << 20;
    /** A linger timeout no test waits for: a test that needs it to pass fails on its 10 s waits instead. */
    private static final Duration LONG = Duration.ofSeconds(60);

    private final List<EventLoopGroup> groups = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final byte[] message = random(100_000, 3);

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        threads.shutdownNow();
        for (EventLoopGroup group : groups) {
            assertThat(group.shutdown(Duration.ofSeconds(5))).isTrue();
        }
    }

    private EventLoopGroup group(Duration linger) {
        EventLoopGroup group = EventLoopGroup.builder().loops(1).lingerTimeout(linger).build();
        groups.add(group);
        return group;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A server handler that, on the first bytes it receives, writes {@link #message} and closes. */
    private Recorder answerThenClose(BlockingQueue<Recorder> made) {
        Recorder r = new Recorder() {
            private boolean answered;

            @Override
            public void onData(Connection connection, ByteBuffer data) {
                super.onData(connection, data);
                if (!answered) {
                    answered = true;
                    connection.write(ByteBuffer.wrap(message));
                    connection.close();
                }
            }
        };
        made.add(r);
        return r;
    }

    /** A server handler that writes {@link #message} and closes as soon as it opens; records when it did. */
    private static final class CloseOnOpen extends Recorder {
        private final byte[] answer;
        volatile long closeCalledAt;
        volatile long closedAt;
        /** Sampled in onClosed, if set. */
        volatile AtomicLong sample;
        volatile long sampled = -1;

        CloseOnOpen(byte[] answer) {
            this.answer = answer;
        }

        @Override
        public void onOpen(Connection connection) {
            super.onOpen(connection);
            connection.write(ByteBuffer.wrap(answer));
            closeCalledAt = System.nanoTime();
            connection.close();
        }

        @Override
        public void onClosed(Connection connection, Throwable cause) {
            closedAt = System.nanoTime();
            AtomicLong s = sample;
            if (s != null) {
                sampled = s.get();
            }
            super.onClosed(connection, cause);
        }
    }

    /**
     * Writes 512 KiB (half the discard limit, and far more than the server reads before it closes) in 16 KiB
     * writes, as a client would send the rest of a message the server refuses.
     */
    private Future<?> sendHalfAMebibyte(OutputStream out) {
        return threads.submit(() -> {
            byte[] chunk = new byte[16 * 1024];
            for (int i = 0; i < 32; i++) {
                out.write(chunk);
            }
            out.flush();
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void aPeerStillSendingWhenWeCloseReadsTheWholeMessageThenEndOfStreamNotAReset(String transport) throws Exception {
        EventLoopGroup group = group(Duration.ofSeconds(2)); // the default
        BlockingQueue<Recorder> servers = new LinkedBlockingQueue<>();
        SocketAddress bind = transport.equals("tcp") ? new InetSocketAddress("127.0.0.1", 0)
                : UnixDomainSocketAddress.of(dir.resolve("linger.sock"));
        SocketAddress address = group.listen(ListenOptions.of(bind), () -> answerThenClose(servers)).localAddress();
        // Without lingering, the server's close with the peer's bytes unread made the kernel send a reset in
        // about a third of these rounds (seen by the peer's writer as "Connection reset" or "Broken pipe").
        int rounds = transport.equals("tcp") ? 200 : 50;
        for (int round = 0; round < rounds; round++) {
            try (Peer peer = Peer.connect(address)) {
                Future<?> writer = sendHalfAMebibyte(peer.outputStream());
                assertThat(peer.readExactly(message.length)).as("round %d", round).isEqualTo(message);
                assertThat(peer.read()).as("end of stream after the message, round %d", round).isEqualTo(-1);
                writer.get(10, TimeUnit.SECONDS); // throws if a write met a reset
                peer.shutdownOutput();
                Recorder server = servers.poll(10, TimeUnit.SECONDS);
                assertThat(Await.get(server.closed).value()).isNull();
                assertThat(server.endOfInput.getCount()).as("no onEndOfInput while lingering").isEqualTo(1);
                assertThat(server.callbackAfterClose).isFalse();
            }
        }
    }

    @Test
    void overTlsAPeerStillSendingReadsTheWholeMessageThenCloseNotifyNotAReset() throws Exception {
        EventLoopGroup group = group(Duration.ofSeconds(2));
        BlockingQueue<Recorder> servers = new LinkedBlockingQueue<>();
        InetSocketAddress address = (InetSocketAddress) group.listen(ListenOptions.of(new InetSocketAddress("127.0.0.1", 0))
                .withTls(TlsConfig.server(CERTS.serverContext())), () -> answerThenClose(servers)).localAddress();
        for (int round = 0; round < 100; round++) {
            try (SSLSocket socket = (SSLSocket) CERTS.clientContext().getSocketFactory().createSocket(address.getAddress(),
                    address.getPort())) {
                socket.setEnabledProtocols(new String[] {"TLSv1.3"}); // half-close: our writer may go on after close_notify
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                Future<?> writer = sendHalfAMebibyte(socket.getOutputStream());
                InputStream in = socket.getInputStream();
                assertThat(in.readNBytes(message.length)).as("round %d", round).isEqualTo(message);
                assertThat(in.read()).as("close_notify after the message, round %d", round).isEqualTo(-1);
                writer.get(10, TimeUnit.SECONDS);
            }
            Recorder server = servers.poll(10, TimeUnit.SECONDS);
            assertThat(Await.get(server.closed).value()).isNull();
        }
    }

    @Test
    void withALingerTimeoutOfZeroTheSocketClosesAsSoonAsTheOutputIsWritten() throws Exception {
        EventLoopGroup group = group(Duration.ZERO);
        CloseOnOpen server = new CloseOnOpen(message);
        SocketAddress address = group.listen(ListenOptions.of(new InetSocketAddress("127.0.0.1", 0)), () -> server).localAddress();
        try (Peer peer = Peer.connect(address)) {
            assertThat(peer.readExactly(message.length)).isEqualTo(message);
            assertThat(peer.read()).isEqualTo(-1);
            // The peer never ends its side, yet the server closes; a closed socket answers writes with a reset.
            assertThat(Await.get(server.closed).value()).isNull();
            Await.until("a write to fail against the closed socket", () -> {
                try {
                    peer.write(new byte[] {1});
                    return false;
                } catch (IOException reset) {
                    return true;
                }
            });
        }
    }

    @Test
    void aPeerThatNeverEndsItsSideIsClosedAtTheLingerDeadlineAndItsBytesAreDiscarded() throws Exception {
        Duration linger = Duration.ofMillis(300);
        EventLoopGroup group = group(linger);
        CloseOnOpen server = new CloseOnOpen(message);
        SocketAddress address = group.listen(ListenOptions.of(new InetSocketAddress("127.0.0.1", 0)), () -> server).localAddress();
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        try (Peer peer = Peer.connect(address)) {
            assertThat(peer.readExactly(message.length)).isEqualTo(message);
            assertThat(peer.read()).isEqualTo(-1);
            // A trickle that never stops: each byte must not extend the deadline.
            AtomicBoolean writeFailed = new AtomicBoolean();
            pacer.scheduleAtFixedRate(() -> {
                try {
                    peer.write(new byte[] {7});
                } catch (IOException e) {
                    writeFailed.set(true);
                    throw new IllegalStateException("stop", e);
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
            assertThat(Await.get(server.closed).value()).isNull();
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(server.closedAt - server.closeCalledAt);
            assertThat(elapsedMillis).as("ms from close() to onClosed").isGreaterThanOrEqualTo(linger.toMillis()).isLessThan(5_000);
            assertThat(server.received()).as("bytes sent after the close reach no handler").isEmpty();
            assertThat(server.endOfInput.getCount()).isEqualTo(1);
            assertThat(server.callbackAfterClose).isFalse();
            Await.until("the trickle to meet the closed socket", writeFailed::get);
        } finally {
            pacer.shutdownNow();
        }
    }

    @Test
    void aPeerStreamingWithoutEndIsClosedOnceTheDiscardLimitIsReached() throws Exception {
        EventLoopGroup group = group(LONG);
        CloseOnOpen server = new CloseOnOpen(message);
        AtomicLong written = new AtomicLong();
        server.sample = written;
        SocketAddress address = group.listen(ListenOptions.of(new InetSocketAddress("127.0.0.1", 0)), () -> server).localAddress();
        int chunk = 16 * 1024;
        try (Peer peer = Peer.connect(address)) {
            assertThat(peer.readExactly(message.length)).isEqualTo(message);
            assertThat(peer.read()).isEqualTo(-1);
            Future<?> stream = threads.submit(() -> {
                byte[] bytes = new byte[chunk];
                try {
                    while (true) {
                        peer.write(bytes);
                        written.addAndGet(chunk);
                    }
                } catch (IOException closed) {
                    return null; // the server closed the socket
                }
            });
            assertThat(Await.get(server.closed).value()).isNull();
            // The server discarded DISCARD_LIMIT bytes before closing, so the peer had written them; the counter
            // may miss the last write, whose bytes the server read before the writer counted them.
            assertThat(server.sampled).as("bytes the peer had written when the server closed")
                    .isGreaterThanOrEqualTo(DISCARD_LIMIT - chunk);
            stream.get(10, TimeUnit.SECONDS);
            assertThat(server.received()).isEmpty();
        }
    }

    @Test
    void lingeringReadsEvenWhenReadingWasPausedAndDeliversNothing() throws Exception {
        EventLoopGroup group = group(LONG);
        Recorder server = new Recorder() {
            @Override
            public void onOpen(Connection connection) {
                super.onOpen(connection);
                connection.pauseReading();
            }
        };
        SocketAddress address = group.listen(ListenOptions.of(new InetSocketAddress("127.0.0.1", 0)), () -> server).localAddress();
        try (Peer peer = Peer.connect(address)) {
            Connection c = Await.get(server.opened);
            peer.write(new byte[] {1, 2, 3}); // left unread in the kernel: reading is paused
            Await.onLoop(c.loop(), () -> {
                c.write(ByteBuffer.wrap(message));
                c.close();
                return null;
            });
            assertThat(peer.readExactly(message.length)).isEqualTo(message);
            assertThat(peer.read()).isEqualTo(-1);
            peer.write(new byte[] {4, 5, 6});
            peer.shutdownOutput();
            // Closed at the peer's end of stream, far before the linger timeout: lingering read despite the pause.
            assertThat(Await.get(server.closed).value()).isNull();
            assertThat(server.received()).isEmpty();
            assertThat(server.endOfInput.getCount()).isEqualTo(1);
            assertThat(server.callbackAfterClose).isFalse();
        }
    }

    /** Opens a connection whose server has closed and is lingering (the peer has read our end of stream). */
    private Connection lingering(EventLoopGroup group, CloseOnOpen server, Peer[] peer) throws Exception {
        SocketAddress address = group.listen(ListenOptions.of(new InetSocketAddress("127.0.0.1", 0)), () -> server).localAddress();
        peer[0] = Peer.connect(address);
        assertThat(peer[0].readExactly(message.length)).isEqualTo(message);
        assertThat(peer[0].read()).as("our end of stream: the output is shut down, lingering began").isEqualTo(-1);
        return Await.get(server.opened);
    }

    @Test
    void abortDuringLingeringClosesAtOnceAndTheCloseStaysClean() throws Exception {
        EventLoopGroup group = group(LONG);
        CloseOnOpen server = new CloseOnOpen(message);
        Peer[] peer = new Peer[1];
        Connection c = lingering(group, server, peer);
        try (Peer p = peer[0]) {
            assertThat(c.isOpen()).as("open while lingering: the socket is not closed yet").isTrue();
            assertThat(server.closed).isNotDone();
            boolean openAfterAbort = Await.onLoop(c.loop(), () -> {
                c.abort();
                return c.isOpen();
            });
            assertThat(openAfterAbort).isFalse();
            assertThat(Await.get(server.closed).value()).as("close() had written everything").isNull();
            assertThat(server.closeCalls).hasValue(1);
            Await.until("a write to fail against the closed socket", () -> {
                try {
                    p.write(new byte[] {1});
                    return false;
                } catch (IOException reset) {
                    return true;
                }
            });
        }
    }

    @Test
    void shutdownDuringLingeringClosesTheConnection() throws Exception {
        EventLoopGroup group = group(LONG);
        CloseOnOpen server = new CloseOnOpen(message);
        Peer[] peer = new Peer[1];
        Connection c = lingering(group, server, peer);
        try (Peer p = peer[0]) {
            assertThat(c.isOpen()).isTrue();
            assertThat(group.shutdown(Duration.ofSeconds(5))).isTrue();
            assertThat(server.closed).as("onClosed ran before the loop ended").isDone();
            assertThat(server.closed.get().value()).isNull();
            assertThat(server.closeCalls).hasValue(1);
            assertThat(c.isOpen()).isFalse();
            assertThat(p.read()).as("nothing more after our end of stream").isEqualTo(-1);
        }
    }
}
