package io.duplex.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.server.BackpressurePolicy;
import io.duplex.server.HandlerExecution;
import io.duplex.server.UpgradeHook;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The keepalive sweep's arithmetic, the per-loop list it walks, and the shared request paths. */
class KeepAliveTest {

    private static RouteConfig route(Duration idle, Duration ping) {
        return FakePeer.route("/ws", new Recorder(), UpgradeHook.ACCEPT, idle, ping, HandlerExecution.EVENT_LOOP,
                1 << 20, BackpressurePolicy.BUFFER);
    }

    @Test
    void periodIsAnEighthOfTheShortestSettingBetweenTenMillisecondsAndOneSecond() {
        assertThat(KeepAlive.forRoutes(List.of(route(Duration.ofSeconds(120), Duration.ofSeconds(30)))).periodNanos())
                .isEqualTo(1_000_000_000L);
        assertThat(KeepAlive.forRoutes(List.of(route(Duration.ofSeconds(120), Duration.ZERO),
                route(Duration.ofMillis(400), Duration.ZERO))).periodNanos()).isEqualTo(50_000_000L);
        assertThat(KeepAlive.forRoutes(List.of(route(Duration.ofMillis(20), Duration.ofMillis(20)))).periodNanos())
                .isEqualTo(KeepAlive.MIN_PERIOD_NANOS);
        assertThat(KeepAlive.forRoutes(List.of(route(Duration.ZERO, Duration.ZERO))).periodNanos())
                .isEqualTo(KeepAlive.MAX_PERIOD_NANOS);
    }

    @Test
    void idleTimeoutNeverFiresEarlyAndLessThanTwoPeriodsLate() {
        KeepAlive keepAlive = new KeepAlive(1_000_000_000L);
        RouteConfig route = route(Duration.ofMillis(2_500), Duration.ZERO);
        // The first sweep after the last receive comes up to one period later: with n silent sweeps the
        // silence lasted between n - 1 and n periods.
        int first = 1;
        while (keepAlive.check(first, route) == KeepAlive.Verdict.NONE) {
            first++;
        }
        assertThat(keepAlive.check(first, route)).isEqualTo(KeepAlive.Verdict.IDLE_TIMEOUT);
        assertThat((first - 1) * 1_000L).as("shortest silence at the verdict, ms").isGreaterThanOrEqualTo(2_500);
        assertThat(first * 1_000L).as("longest silence at the verdict, ms").isLessThan(2_500 + 2 * 1_000);
    }

    @Test
    void rfc6455_5_5_2_onePingPerSilenceThenPongTimeoutAfterAnotherInterval() {
        KeepAlive keepAlive = new KeepAlive(1_000_000_000L);
        RouteConfig route = route(Duration.ZERO, Duration.ofSeconds(3));
        List<KeepAlive.Verdict> verdicts = new ArrayList<>();
        for (int silent = 1; silent <= 8; silent++) {
            verdicts.add(keepAlive.check(silent, route));
        }
        assertThat(verdicts).containsExactly(KeepAlive.Verdict.NONE, KeepAlive.Verdict.NONE, KeepAlive.Verdict.NONE,
                KeepAlive.Verdict.PING, KeepAlive.Verdict.NONE, KeepAlive.Verdict.NONE, KeepAlive.Verdict.NONE,
                KeepAlive.Verdict.PONG_TIMEOUT);
        assertThat(keepAlive.check(3, route(Duration.ofSeconds(3), Duration.ofSeconds(3))))
                .as("idle wins over ping at the same count").isEqualTo(KeepAlive.Verdict.NONE);
        assertThat(keepAlive.check(4, route(Duration.ofSeconds(3), Duration.ofSeconds(3))))
                .isEqualTo(KeepAlive.Verdict.IDLE_TIMEOUT);
    }

    @Test
    void loopListSurvivesRemovalsDuringAWalk() {
        ServerRuntime runtime = new ServerRuntime(FakePeer.config(route(Duration.ZERO, Duration.ZERO)));
        FakeLoop loop = new FakeLoop();
        LoopSockets sockets = new LoopSockets(loop, new KeepAlive(KeepAlive.MAX_PERIOD_NANOS));
        List<ServerConnection> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ServerConnection c = new WebSocketSession(runtime, false);
            all.add(c);
            sockets.add(c);
        }
        assertThat(loop.activeTimers()).as("one sweep timer while listed").isEqualTo(1);
        List<ServerConnection> visited = new ArrayList<>();
        sockets.forEach(c -> {
            visited.add(c);
            if (c == all.get(4)) { // first in the list: remove itself and the next two
                sockets.remove(all.get(3));
                sockets.remove(all.get(4));
                sockets.remove(all.get(2));
            }
        });
        assertThat(visited).containsExactly(all.get(4), all.get(3), all.get(2), all.get(1), all.get(0));
        sockets.remove(all.get(2)); // twice: ignored
        List<ServerConnection> left = new ArrayList<>();
        sockets.forEach(left::add);
        assertThat(left).containsExactly(all.get(1), all.get(0));

        sockets.remove(all.get(0));
        sockets.remove(all.get(1));
        loop.advance(Duration.ofSeconds(2));
        assertThat(loop.activeTimers()).as("no sweep timer once empty").isZero();
    }

    @Test
    void aConnectionClosedBeforeItOpenedIsNeverCountedLive() throws Exception {
        // The transport reports a failed TLS handshake with onClosed and no onOpen.
        ServerRuntime runtime = new ServerRuntime(FakePeer.config(route(Duration.ZERO, Duration.ZERO)));
        FakeLoop loop = new FakeLoop();
        runtime.newConnection(true).onClosed(new FakeConnection(loop), new java.io.IOException("handshake failed"));
        assertThat(runtime.liveConnections()).isZero();
        assertThat(runtime.awaitReleased(System.nanoTime())).isTrue();
    }

    @Test
    void socketsOnOnePathShareOneString() {
        ServerRuntime runtime = new ServerRuntime(FakePeer.config(route(Duration.ZERO, Duration.ZERO)));
        String first = runtime.sharedPath(new String("/rooms/1"));
        assertThat(runtime.sharedPath(new String("/rooms/1"))).isSameAs(first);
        assertThat(runtime.sharedPath("/rooms/2")).isEqualTo("/rooms/2");
        String longPath = "/" + "x".repeat(300);
        assertThat(runtime.sharedPath(longPath)).isSameAs(longPath);
    }
}
