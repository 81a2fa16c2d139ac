package io.duplex.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duplex.core.CloseStatus;
import io.duplex.server.BackpressurePolicy;
import io.duplex.server.CloseCause;
import io.duplex.server.HandlerExecution;
import io.duplex.server.SendStatus;
import io.duplex.server.ServerWebSocket;
import io.duplex.server.UpgradeHook;
import io.duplex.testkit.RawFrame;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The handshake and WebSocket state machines over a fake transport with a manual clock: timers, the send
 * ledger and the close mapping, step by step and without sockets.
 */
class SessionTest {

    private static FakePeer open(Recorder handler) {
        FakePeer peer = new FakePeer(FakePeer.config(FakePeer.route("/ws", handler)));
        assertThat(peer.upgrade("/ws")).isEqualTo(101);
        return peer;
    }

    private static FakePeer open(Recorder handler, Duration idle, Duration ping) {
        FakePeer peer = new FakePeer(FakePeer.config(FakePeer.route("/ws", handler, UpgradeHook.ACCEPT, idle, ping,
                HandlerExecution.EVENT_LOOP, 1 << 20, BackpressurePolicy.BUFFER)));
        assertThat(peer.upgrade("/ws")).isEqualTo(101);
        return peer;
    }

    private static FakePeer open(Recorder handler, long limit, BackpressurePolicy policy) {
        FakePeer peer = new FakePeer(FakePeer.config(FakePeer.route("/ws", handler, UpgradeHook.ACCEPT, Duration.ZERO,
                Duration.ZERO, HandlerExecution.EVENT_LOOP, limit, policy)));
        assertThat(peer.upgrade("/ws")).isEqualTo(101);
        return peer;
    }

    @Test
    void frameBehindTheRequestHeadIsDeliveredAfterOnOpen() {
        Recorder handler = new Recorder();
        FakePeer peer = new FakePeer(FakePeer.config(FakePeer.route("/ws", handler)));
        byte[] request = FakePeer.bytes(FakePeer.handshake("/ws").request());
        byte[] frame = RawFrame.text("early", true, 0x11223344);
        byte[] both = new byte[request.length + frame.length];
        System.arraycopy(request, 0, both, 0, request.length);
        System.arraycopy(frame, 0, both, request.length, frame.length);

        peer.connection.receive(both);

        assertThat(peer.readResponse()).isEqualTo(101);
        assertThat(handler.calls).containsExactly("open", "text:early");
        assertThat(peer.runtime.openSockets()).isEqualTo(1);
    }

    @Test
    void rfc6455_5_5_1_clientInitiatedCloseIsEchoedAndServerClosesTcpFirst() {
        Recorder handler = new Recorder();
        FakePeer peer = open(handler);
        peer.client.close(CloseStatus.of(1000));
        peer.flushClient();

        assertThat(peer.events()).containsExactly("close:1000");
        peer.loop.runTasks();
        assertThat(peer.connection.isOpen()).isFalse();
        assertThat(handler.calls).containsExactly("open", "close:1000:CLEAN:clean");
        assertThat(peer.runtime.openSockets()).isZero();
        assertThat(peer.runtime.liveConnections()).isZero();
    }

    @Test
    void serverInitiatedCloseReportsOurStatusWhenTheEchoArrives() {
        Recorder handler = new Recorder();
        FakePeer peer = open(handler);
        handler.socket.close(4001, "bye");
        peer.connection.endOfTick();

        assertThat(handler.socket.isOpen()).isFalse();
        assertThat(peer.events()).containsExactly("close:4001");
        peer.flushClient(); // the client core echoed
        peer.loop.runTasks();
        assertThat(handler.closeInfo.status()).isEqualTo(new CloseStatus(4001, "bye"));
        assertThat(handler.closeInfo.cause()).isEqualTo(CloseCause.CLEAN);
        assertThat(handler.closeInfo.wasClean()).isTrue();
    }

    @Test
    void rfc6455_7_1_5_eofWithoutCloseFrameIsPeerWentAwayWith1006() {
        Recorder handler = new Recorder();
        FakePeer peer = open(handler);
        peer.connection.receiveEof();

        assertThat(handler.calls).containsExactly("open", "close:1006:PEER_WENT_AWAY:unclean");
        assertThat(peer.connection.closing()).isTrue();
    }

    @Test
    void resetReportsTheIoErrorThenPeerWentAway() {
        Recorder handler = new Recorder();
        FakePeer peer = open(handler);
        peer.connection.reset(new java.io.IOException("Connection reset"));

        assertThat(handler.calls).containsExactly("open", "error:IOException", "close:1006:PEER_WENT_AWAY:unclean");
    }

    @Test
    void rfc6455_7_1_7_protocolFailureSendsTheCodeReportsErrorAndClosesTcp() {
        Recorder handler = new Recorder();
        FakePeer peer = open(handler);
        peer.connection.receive(RawFrame.text("unmasked", true, null));

        assertThat(peer.events()).containsExactly("close:1002");
        peer.loop.runTasks();
        assertThat(handler.calls).containsExactly("open", "error:ProtocolException",
                "close:1002:PROTOCOL_ERROR:unclean");
        assertThat(peer.connection.isOpen()).isFalse();
    }

    @Test
    void handlerExceptionReportsOnErrorAndClosesWith1011() {
        Recorder handler = new Recorder();
        handler.onText = (ws, text) -> {
            throw new IllegalStateException("boom");
        };
        FakePeer peer = open(handler);
        peer.sendText("hi");

        assertThat(peer.events()).containsExactly("close:1011");
        peer.flushClient();
        peer.loop.runTasks();
        assertThat(handler.calls).containsExactly("open", "text:hi", "error:IllegalStateException",
                "close:1011:INTERNAL_ERROR:clean");
    }

    @Test
    void closeTimeoutAbortsAndReportsTimeoutWhenThePeerNeverAnswers() {
        Recorder handler = new Recorder();
        FakePeer peer = open(handler);
        handler.socket.close();
        peer.connection.endOfTick();
        assertThat(peer.events()).containsExactly("close:1000");

        peer.loop.advance(Duration.ofMillis(4900));
        assertThat(handler.closeInfo).isNull();
        peer.loop.advance(Duration.ofMillis(200));
        assertThat(peer.connection.aborted).isTrue();
        assertThat(handler.calls).containsExactly("open", "close:1006:TIMEOUT:unclean");
    }

    @Test
    void idleTimeoutClosesWith1001AfterSilence() {
        Recorder handler = new Recorder();
        FakePeer peer = open(handler, Duration.ofSeconds(10), Duration.ZERO);
        peer.loop.advance(Duration.ofSeconds(6));
        peer.sendText("still here");
        peer.loop.advance(Duration.ofSeconds(6));
        assertThat(peer.events()).isEmpty();

        peer.loop.advance(Duration.ofSeconds(5));
        assertThat(peer.events()).containsExactly("close:1001");
        peer.flushClient();
        peer.loop.runTasks();
        assertThat(handler.closeInfo.cause()).isEqualTo(CloseCause.TIMEOUT);
        assertThat(handler.closeInfo.status().code()).isEqualTo(1001);
    }

    @Test
    void rfc6455_5_5_2_keepalivePingsAfterSilenceAndAPongKeepsTheSocketOpen() {
        Recorder handler = new Recorder();
        FakePeer peer = open(handler, Duration.ZERO, Duration.ofSeconds(30));
        peer.loop.advance(Duration.ofSeconds(31));
        assertThat(peer.events()).containsExactly("ping");
        peer.flushClient(); // the client core's automatic pong

        peer.loop.advance(Duration.ofSeconds(29));
        assertThat(peer.events()).isEmpty();
        peer.loop.advance(Duration.ofSeconds(2));
        assertThat(peer.events()).containsExactly("ping");
        assertThat(handler.calls).containsExactly("open", "pong");
    }

    @Test
    void keepaliveClosesWith1001WhenNoPongArrivesWithinTheInterval() {
        Recorder handler = new Recorder();
        FakePeer peer = open(handler, Duration.ZERO, Duration.ofSeconds(30));
        peer.loop.advance(Duration.ofSeconds(31));
        assertThat(peer.events()).containsExactly("ping");
        // no pong
        peer.loop.advance(Duration.ofSeconds(31));
        assertThat(peer.events()).containsExactly("close:1001");
        peer.loop.advance(Duration.ofSeconds(6)); // close timeout too
        assertThat(handler.closeInfo.cause()).isEqualTo(CloseCause.TIMEOUT);
    }

    @Test
    void terminateAbortsAtOnceWithoutACloseFrame() {
        Recorder handler = new Recorder();
        FakePeer peer = open(handler);
        handler.socket.terminate();

        assertThat(peer.connection.aborted).isTrue();
        assertThat(peer.events()).isEmpty();
        assertThat(handler.calls).containsExactly("open", "close:1006:TERMINATED:unclean");
        assertThat(handler.socket.sendText("late")).isEqualTo(SendStatus.DROPPED);
    }

    @Test
    void closeValidatesTheCodeAndNamesIt() {
        Recorder handler = new Recorder();
        open(handler);
        assertThatThrownBy(() -> handler.socket.close(1005, "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1005");
        assertThatThrownBy(() -> handler.socket.close(999, "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("999");
        assertThatThrownBy(() -> handler.socket.close(1000, "x".repeat(124)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("124");
        assertThat(handler.socket.isOpen()).isTrue();
    }

    @Test
    void bufferedAmountCountsPayloadUntilTheKernelTakesItThenDrainFiresOnce() {
        Recorder handler = new Recorder();
        FakePeer peer = open(handler, 100, BackpressurePolicy.BUFFER);
        ServerWebSocket ws = handler.socket;
        peer.connection.blockKernel(true);

        // Sends from outside any batch are flushed by a loop task.
        assertThat(ws.sendText("a".repeat(60))).isEqualTo(SendStatus.SUCCESS);
        assertThat(ws.bufferedAmount()).isEqualTo(60);
        assertThat(ws.sendText("b".repeat(60))).isEqualTo(SendStatus.BACKPRESSURE);
        assertThat(ws.bufferedAmount()).isEqualTo(120);
        peer.loop.runTasks();
        assertThat(ws.bufferedAmount()).isEqualTo(120);

        peer.connection.blockKernel(false);
        assertThat(ws.bufferedAmount()).isZero();
        assertThat(handler.calls).containsExactly("open", "drain");
        assertThat(peer.events()).containsExactly("text:" + "a".repeat(60), "text:" + "b".repeat(60));

        ws.sendText("c");
        peer.loop.runTasks();
        assertThat(ws.bufferedAmount()).isZero();
        assertThat(handler.calls).containsExactly("open", "drain");
    }

    @Test
    void bufferPolicyQueuesUpToTwiceTheLimitThenDrops() {
        Recorder handler = new Recorder();
        FakePeer peer = open(handler, 100, BackpressurePolicy.BUFFER);
        peer.connection.blockKernel(true);
        ServerWebSocket ws = handler.socket;
        assertThat(ws.sendBinary(new byte[101])).isEqualTo(SendStatus.BACKPRESSURE);
        assertThat(ws.sendBinary(new byte[99])).isEqualTo(SendStatus.BACKPRESSURE);
        assertThat(ws.sendBinary(new byte[1])).isEqualTo(SendStatus.DROPPED);
        assertThat(ws.bufferedAmount()).isEqualTo(200);
        assertThat(ws.isOpen()).isTrue();
    }

    @Test
    void dropPolicyDropsWhileOverTheLimit() {
        Recorder handler = new Recorder();
        FakePeer peer = open(handler, 100, BackpressurePolicy.DROP);
        peer.connection.blockKernel(true);
        ServerWebSocket ws = handler.socket;
        assertThat(ws.sendBinary(new byte[150])).isEqualTo(SendStatus.BACKPRESSURE);
        assertThat(ws.sendBinary(new byte[1])).isEqualTo(SendStatus.DROPPED);
        peer.connection.blockKernel(false);
        peer.loop.runTasks();
        assertThat(ws.sendBinary(new byte[1])).isEqualTo(SendStatus.SUCCESS);
    }

    @Test
    void closePolicyClosesWith1013AndReportsBackpressure() {
        Recorder handler = new Recorder();
        FakePeer peer = open(handler, 100, BackpressurePolicy.CLOSE_TRY_AGAIN_LATER);
        peer.connection.blockKernel(true);
        ServerWebSocket ws = handler.socket;
        assertThat(ws.sendBinary(new byte[150])).isEqualTo(SendStatus.BACKPRESSURE);
        assertThat(ws.sendBinary(new byte[1])).isEqualTo(SendStatus.DROPPED);
        assertThat(ws.isOpen()).isFalse();
        peer.connection.blockKernel(false);
        assertThat(peer.events()).containsExactly("binary:150", "close:1013");
        peer.flushClient();
        peer.loop.runTasks();
        assertThat(handler.closeInfo.cause()).isEqualTo(CloseCause.BACKPRESSURE);
        assertThat(handler.closeInfo.status().code()).isEqualTo(1013);
    }

    @Test
    void sendsFromOtherThreadsAreHandedOverInOrder() throws Exception {
        Recorder handler = new Recorder();
        FakePeer peer = open(handler);
        ServerWebSocket ws = handler.socket;
        Thread other = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 100; i++) {
                ws.sendText("m" + i);
            }
        });
        other.join(5000);
        assertThat(peer.events()).isEmpty(); // nothing acts until the loop runs the hand-over
        assertThat(ws.bufferedAmount()).isGreaterThan(0);
        ws.sendText("from the loop"); // runs the waiting calls first
        peer.connection.endOfTick();

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add("text:m" + i);
        }
        expected.add("text:from the loop");
        assertThat(peer.events()).containsExactlyElementsOf(expected);
        assertThat(ws.bufferedAmount()).isZero();
    }

    @Test
    void pauseAndResumeReadingReachTheConnection() {
        Recorder handler = new Recorder();
        FakePeer peer = open(handler);
        handler.socket.pauseReading();
        assertThat(peer.connection.isReadingPaused()).isTrue();
        handler.socket.resumeReading();
        assertThat(peer.connection.isReadingPaused()).isFalse();
    }

    @Test
    void serverStopClosesSocketsWith1001AndAnswersHandshakesInProgressWith503() {
        Recorder handler = new Recorder();
        FakePeer upgraded = open(handler);
        FakePeer halfway = new FakePeer(FakePeer.config(FakePeer.route("/ws", new Recorder())));
        halfway.connection.receive("GET /ws HTTP/1.1\r\nHost: x\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        upgraded.runtime.beginStop();
        halfway.runtime.beginStop();
        upgraded.connection.endOfTick();
        halfway.connection.endOfTick();

        assertThat(halfway.readResponse()).isEqualTo(503);
        assertThat(upgraded.events()).containsExactly("close:1001");
        upgraded.flushClient();
        upgraded.loop.runTasks();
        assertThat(handler.closeInfo.cause()).isEqualTo(CloseCause.SERVER_STOPPING);
        assertThat(upgraded.runtime.liveConnections()).isZero();
    }

    @Test
    void handshakeTimeoutClosesAConnectionThatNeverFinishesItsHead() {
        FakePeer peer = new FakePeer(FakePeer.config(FakePeer.route("/ws", new Recorder())));
        peer.connection.receive("GET /ws HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        peer.loop.advance(Duration.ofMillis(9_990));
        assertThat(peer.connection.isOpen()).isTrue();
        peer.loop.advance(Duration.ofMillis(20));
        assertThat(peer.connection.isOpen()).isFalse();
        assertThat(peer.runtime.liveConnections()).isZero();
    }

    @Test
    void virtualThreadHandlerRunsCallbacksInOrderOffTheLoop() throws Exception {
        Recorder handler = new Recorder();
        CountDownLatch done = new CountDownLatch(1);
        List<Boolean> onLoop = new java.util.concurrent.CopyOnWriteArrayList<>();
        handler.onText = (ws, text) -> {
            onLoop.add(Thread.currentThread().isVirtual());
            if (text.equals("last")) {
                done.countDown();
            }
        };
        FakePeer peer = new FakePeer(FakePeer.config(FakePeer.route("/ws", handler, UpgradeHook.ACCEPT, Duration.ZERO,
                Duration.ZERO, HandlerExecution.VIRTUAL_THREAD, 1 << 20, BackpressurePolicy.BUFFER)));
        peer.connection.receive(FakePeer.bytes(FakePeer.handshake("/ws").request()));
        // The hook runs on a virtual thread and hands its decision back to the loop.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (peer.runtime.openSockets() == 0 && System.nanoTime() < deadline) {
            peer.loop.runTasks();
            Thread.onSpinWait();
        }
        peer.connection.endOfTick();
        assertThat(peer.readResponse()).isEqualTo(101);
        for (int i = 0; i < 10; i++) {
            peer.client.sendText("m" + i);
        }
        peer.sendText("last");
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(onLoop).hasSize(11).containsOnly(true);
        assertThat(handler.calls.subList(0, 3)).containsExactly("open", "text:m0", "text:m1");
        assertThat(handler.calls.get(11)).isEqualTo("text:last");
    }

    @Test
    void pingsAreLimitedTo125Bytes() {
        Recorder handler = new Recorder();
        FakePeer peer = open(handler);
        assertThatThrownBy(() -> handler.socket.sendPing(ByteBuffer.allocate(126)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("126");
        assertThat(handler.socket.sendPing(ByteBuffer.wrap(new byte[] {1, 2}))).isEqualTo(SendStatus.SUCCESS);
        peer.loop.runTasks();
        assertThat(peer.events()).containsExactly("ping");
    }
}
