package io.duplex.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A server connection's behaviour as seen by its handler and by a java.net peer. */
@Timeout(30)
class ConnectionTest {

    private final EventLoopGroup group = EventLoopGroup.create(1);

    @AfterEach
    void shutdown() {
        assertThat(group.shutdown(Duration.ofSeconds(5))).isTrue();
    }

    /** Listens with handlers made by {@code handlers} and returns the address. */
    private InetSocketAddress listen(java.util.function.Supplier<? extends ConnectionHandler> handlers) throws IOException {
        return (InetSocketAddress) group.listen(ListenOptions.of(new InetSocketAddress("127.0.0.1", 0)), handlers).localAddress();
    }

    private static Recorder onOpen(Consumer<Connection> action) {
        return new Recorder() {
            @Override
            public void onOpen(Connection connection) {
                super.onOpen(connection);
                action.accept(connection);
            }
        };
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void writesAreCorkedUntilTheEndOfTheTickThenAllArriveInOrder() throws Exception {
        Recorder server = new Recorder();
        InetSocketAddress address = listen(() -> server);
        try (Peer peer = Peer.connect(address)) {
            Connection c = Await.get(server.opened);
            // Several writes in one task: nothing reaches the kernel before the task returns.
            long pendingInTask = Await.onLoop(c.loop(), () -> {
                c.write(ByteBuffer.wrap("one,".getBytes(StandardCharsets.US_ASCII)));
                c.write(ByteBuffer.allocateDirect(4).put("two,".getBytes(StandardCharsets.US_ASCII)).flip());
                c.write(ByteBuffer.wrap("three".getBytes(StandardCharsets.US_ASCII)));
                c.write(ByteBuffer.allocate(0));
                return c.pendingWriteBytes();
            });
            assertThat(pendingInTask).isEqualTo(13);
            assertThat(new String(peer.readExactly(13), StandardCharsets.US_ASCII)).isEqualTo("one,two,three");
            assertThat(Await.onLoop(c.loop(), c::pendingWriteBytes)).isZero();
        }
    }

    @Test
    void manySmallWritesInOneTickArriveInOrder() throws Exception {
        int count = 20_000;
        Recorder server = onOpen(c -> {
            for (int i = 0; i < count; i++) {
                c.write(ByteBuffer.allocate(4).putInt(0, i));
            }
        });
        InetSocketAddress address = listen(() -> server);
        try (Peer peer = Peer.connect(address)) {
            ByteBuffer all = ByteBuffer.wrap(peer.readExactly(4 * count));
            for (int i = 0; i < count; i++) {
                assertThat(all.getInt()).as("write #%d", i).isEqualTo(i);
            }
        }
    }

    @Test
    void explicitFlushWritesBeforeTheTickEnds() throws Exception {
        Recorder server = new Recorder();
        InetSocketAddress address = listen(() -> server);
        try (Peer peer = Peer.connect(address)) {
            Connection c = Await.get(server.opened);
            long pendingAfterFlush = Await.onLoop(c.loop(), () -> {
                c.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                c.flush();
                return c.pendingWriteBytes();
            });
            assertThat(pendingAfterFlush).isZero();
            assertThat(peer.readExactly(3)).containsExactly(1, 2, 3);
        }
    }

    @Test
    void aLargeWriteToASlowReaderQueuesThenSignalsWritableWhenDrained() throws Exception {
        byte[] big = random(16 << 20, 1);
        Recorder server = new Recorder();
        InetSocketAddress address = listen(() -> server);
        try (Peer peer = Peer.connect(address, 64 * 1024)) {
            Connection c = Await.get(server.opened);
            assertThat(Await.onLoop(c.loop(), () -> {
                c.write(ByteBuffer.wrap(big));
                return c.pendingWriteBytes();
            })).as("queued, not written, inside the task").isEqualTo(big.length);
            // After the tick's flush the kernel holds what it can; 16 MiB is more than it takes for a reader that waits.
            Await.until("the first flush", () -> Await.onLoop(c.loop(), c::pendingWriteBytes) < big.length);
            // The kernel buffers a few MiB at most (send buffer plus the peer's 64 KiB window): the rest stays queued.
            assertThat(Await.onLoop(c.loop(), c::pendingWriteBytes)).isPositive();
            long[] beforeAndAfter = Await.onLoop(c.loop(), () -> {
                long before = c.pendingWriteBytes();
                c.write(ByteBuffer.wrap(new byte[1 << 20]));
                return new long[] {before, c.pendingWriteBytes()};
            });
            assertThat(beforeAndAfter[1] - beforeAndAfter[0]).as("growth after queuing 1 MiB more").isEqualTo(1 << 20);
            assertThat(server.writableCalls).hasValue(0);

            assertThat(peer.readExactly(big.length)).isEqualTo(big);
            assertThat(peer.readExactly(1 << 20)).containsOnly(0);
            Await.until("onWritable after the queue drained", () -> server.writableCalls.get() == 1);
            assertThat(Await.onLoop(c.loop(), c::pendingWriteBytes)).isZero();
        }
    }

    @Test
    void pauseReadingLeavesThePeersBytesInTheKernelUntilResumed() throws Exception {
        CountDownLatch data = new CountDownLatch(1);
        Recorder server = new Recorder() {
            @Override
            public void onOpen(Connection connection) {
                super.onOpen(connection);
                connection.pauseReading();
                connection.pauseReading(); // idempotent
            }

            @Override
            public void onData(Connection connection, ByteBuffer bytes) {
                super.onData(connection, bytes);
                data.countDown();
            }
        };
        InetSocketAddress address = listen(() -> server);
        try (Peer peer = Peer.connect(address)) {
            Connection c = Await.get(server.opened);
            assertThat(Await.onLoop(c.loop(), c::isReadingPaused)).isTrue();
            peer.write("abc".getBytes(StandardCharsets.US_ASCII));
            // Give the loop ticks to (wrongly) read: two round trips, then a bounded wait for an onData that must not come.
            Await.onLoop(c.loop(), () -> null);
            Await.onLoop(c.loop(), () -> null);
            assertThat(data.await(200, TimeUnit.MILLISECONDS)).as("onData while reading is paused").isFalse();

            c.loop().execute(c::resumeReading);
            assertThat(data.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(server.received()).isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
            assertThat(Await.onLoop(c.loop(), c::isReadingPaused)).isFalse();
        }
    }

    @Test
    void closeWritesEverythingQueuedThenClosesAndDropsLaterWrites() throws Exception {
        byte[] payload = random(4 << 20, 2);
        Recorder server = onOpen(c -> {
            c.write(ByteBuffer.wrap(payload));
            c.close();
            c.write(ByteBuffer.wrap(new byte[] {9, 9, 9})); // after close: dropped
            c.close(); // idempotent
        });
        InetSocketAddress address = listen(() -> server);
        try (Peer peer = Peer.connect(address, 64 * 1024)) {
            Connection c = Await.get(server.opened);
            assertThat(c.isOpen()).as("still open while the 4 MiB drain to a reader that has not read").isTrue();
            assertThat(peer.readToEnd()).isEqualTo(payload);
            peer.shutdownOutput(); // ends the server's lingering (see LingerTest)
            assertThat(Await.get(server.closed).value()).isNull();
            assertThat(c.isOpen()).isFalse();
            assertThat(server.closeCalls).hasValue(1);
        }
    }

    @Test
    void abortClosesAtOnceWithACauseAndOnClosedRunsExactlyOnce() throws Exception {
        CountDownLatch aborted = new CountDownLatch(1);
        boolean[] openRightAfterAbort = {true};
        Recorder server = onOpen(c -> {
            c.write(ByteBuffer.wrap(new byte[1 << 20]));
            c.abort();
            openRightAfterAbort[0] = c.isOpen();
            c.close();
            c.abort();
            aborted.countDown();
        });
        InetSocketAddress address = listen(() -> server);
        try (Peer peer = Peer.connect(address)) {
            assertThat(aborted.await(10, TimeUnit.SECONDS)).isTrue();
            Throwable cause = Await.get(server.closed).value();
            assertThat(cause).isInstanceOf(IOException.class).hasMessageContaining("abort");
            assertThat(openRightAfterAbort[0]).isFalse();
            Connection c = Await.get(server.opened);
            Await.onLoop(c.loop(), () -> null);
            assertThat(server.closeCalls).hasValue(1);
            assertThat(server.callbackAfterClose).isFalse();
            // The peer sees the end (EOF or a reset), not the megabyte.
            try {
                assertThat(peer.readToEnd().length).isLessThan(1 << 20);
            } catch (IOException reset) {
                assertThat(reset).hasMessageContaining("reset");
            }
        }
    }

    @Test
    void closeAndAbortFromATaskCallOnClosedOnceAfterTheTask() throws Exception {
        Recorder server = new Recorder();
        InetSocketAddress address = listen(() -> server);
        try (Peer peer = Peer.connect(address)) {
            Connection c = Await.get(server.opened);
            int callsDuringTask = Await.onLoop(c.loop(), () -> {
                c.close();
                c.abort();
                c.close();
                return server.closeCalls.get();
            });
            assertThat(callsDuringTask).as("onClosed never runs inside the caller's callback").isZero();
            assertThat(Await.get(server.closed).value()).isNull();
            Await.onLoop(c.loop(), () -> null);
            assertThat(server.closeCalls).hasValue(1);
            assertThat(peer.read()).isEqualTo(-1);
        }
    }

    @Test
    void peerEndOfInputCallsOnEndOfInputAndTheDefaultCloses() throws Exception {
        Recorder server = new Recorder();
        InetSocketAddress address = listen(() -> server);
        try (Peer peer = Peer.connect(address)) {
            peer.write(new byte[] {7});
            peer.shutdownOutput();
            assertThat(server.endOfInput.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(Await.get(server.closed).value()).isNull();
            assertThat(peer.read()).isEqualTo(-1);
            assertThat(server.received()).containsExactly(7);
        }
    }

    @Test
    void aHandlerMayKeepWritingAfterEndOfInput() throws Exception {
        Recorder server = new Recorder() {
            @Override
            public void onEndOfInput(Connection connection) {
                endOfInput.countDown();
                connection.write(ByteBuffer.wrap("bye".getBytes(StandardCharsets.US_ASCII)));
                connection.close();
            }
        };
        InetSocketAddress address = listen(() -> server);
        try (Peer peer = Peer.connect(address)) {
            peer.shutdownOutput();
            assertThat(new String(peer.readToEnd(), StandardCharsets.US_ASCII)).isEqualTo("bye");
            assertThat(Await.get(server.closed).value()).isNull();
        }
    }

    @Test
    void aHandlerExceptionAbortsOnlyItsConnectionAndTheLoopServesTheOthers() throws Exception {
        RuntimeException boom = new IllegalStateException("handler bug");
        Recorder failing = new Recorder() {
            @Override
            public void onData(Connection connection, ByteBuffer data) {
                throw boom;
            }
        };
        Recorder failingOnOpen = onOpen(c -> {
            throw new IllegalArgumentException("onOpen bug");
        });
        Recorder healthy = Recorder.echo();
        var handlers = new java.util.ArrayDeque<Recorder>(java.util.List.of(failing, failingOnOpen, healthy));
        InetSocketAddress address = listen(handlers::poll);
        try (Peer a = Peer.connect(address); Peer b = Peer.connect(address); Peer c = Peer.connect(address)) {
            a.write(new byte[] {1});
            assertThat(Await.get(failing.closed).value()).isSameAs(boom);
            assertThat(Await.get(failingOnOpen.closed).value()).isInstanceOf(IllegalArgumentException.class);
            assertThat(failingOnOpen.openCalls).hasValue(1);
            c.write(new byte[] {4, 5});
            assertThat(c.readExactly(2)).containsExactly(4, 5);
            assertThat(Await.get(healthy.opened).loop()).isSameAs(Await.get(failing.opened).loop());
            assertThat(healthy.closed).isNotDone();
            assertThat(a.read()).isEqualTo(-1);
            b.write(new byte[] {6});
        }
    }
}
