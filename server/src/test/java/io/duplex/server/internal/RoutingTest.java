package io.duplex.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duplex.core.Limits;
import io.duplex.server.HttpHandler;
import io.duplex.server.HttpResponse;
import io.duplex.server.WebSocketHandler;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Path patterns and the router's choice between WebSocket routes and HTTP handlers. */
class RoutingTest {

    private static final WebSocketHandler WS = new WebSocketHandler() { };
    private static final HttpHandler HTTP = request -> HttpResponse.text(200, "ok");

    @Test
    void prefixPatternMatchesBelowItsPathButNotThePathItself() {
        assertThat(PathPattern.score("/rooms/*", "/rooms/a")).isPositive();
        assertThat(PathPattern.score("/rooms/*", "/rooms/a/b")).isPositive();
        assertThat(PathPattern.score("/rooms/*", "/rooms")).isNegative();
        assertThat(PathPattern.score("/rooms/*", "/roomsx/a")).isNegative();
        assertThat(PathPattern.score("/*", "/anything")).isPositive();
        assertThat(PathPattern.score("/chat", "/chat")).isEqualTo(Integer.MAX_VALUE);
        assertThat(PathPattern.score("/chat", "/chat/")).isNegative();
    }

    @Test
    void patternsAreChecked() {
        assertThatThrownBy(() -> PathPattern.check("chat")).hasMessageContaining("must start with '/'");
        assertThatThrownBy(() -> PathPattern.check("/a*")).hasMessageContaining("final \"/*\"");
        assertThatThrownBy(() -> PathPattern.check("/*/a")).hasMessageContaining("final \"/*\"");
        assertThatThrownBy(() -> PathPattern.check("/a b")).hasMessageContaining("space");
        assertThatThrownBy(() -> PathPattern.check("/a?x=1")).hasMessageContaining("'?'");
    }

    @Test
    void longestMatchWinsAndExactBeatsPrefix() {
        RouteConfig all = FakePeer.route("/*", WS);
        RouteConfig rooms = FakePeer.route("/rooms/*", WS);
        RouteConfig lobby = FakePeer.route("/rooms/lobby", WS);
        Router router = new Router(List.of(all, rooms, lobby), List.of());
        assertThat(router.webSocketRoute("/rooms/lobby")).isSameAs(lobby);
        assertThat(router.webSocketRoute("/rooms/other")).isSameAs(rooms);
        assertThat(router.webSocketRoute("/x")).isSameAs(all);
        assertThat(new Router(List.of(rooms), List.of()).webSocketRoute("/x")).isNull();
    }

    @Test
    void plainRequestsGoToTheBetterMatchAndToTheHttpHandlerOnATie() {
        RouteConfig ws = FakePeer.route("/app/ws", WS);
        Router router = new Router(List.of(ws), List.of(new HttpRoute("/*", HTTP), new HttpRoute("/app/ws", HTTP)));
        assertThat(router.plainTarget("/app/ws")).isInstanceOf(Router.PlainTarget.Http.class);
        assertThat(router.plainTarget("/index.html")).isInstanceOf(Router.PlainTarget.Http.class);

        Router wsWins = new Router(List.of(ws), List.of(new HttpRoute("/*", HTTP)));
        assertThat(wsWins.plainTarget("/app/ws")).isEqualTo(new Router.PlainTarget.WebSocketPath(ws));
        assertThat(new Router(List.of(ws), List.of()).plainTarget("/nothing")).isEqualTo(new Router.PlainTarget.None());
    }

    @Test
    void duplicatePathsAreRefused() {
        assertThatThrownBy(() -> new Router(List.of(FakePeer.route("/a", WS), FakePeer.route("/a", WS)), List.of()))
                .hasMessageContaining("/a is registered twice");
    }

    @Test
    void headsAreReadUnderTheWidestHandshakeLimits() {
        RouteConfig small = new RouteConfig("/a", WS, io.duplex.server.UpgradeHook.ACCEPT,
                io.duplex.server.OriginPolicy.any(), Limits.DEFAULT.withMaxHandshakeSize(1000), false,
                io.duplex.server.HandlerExecution.EVENT_LOOP, 1, io.duplex.server.BackpressurePolicy.DROP, 0, 0);
        RouteConfig big = new RouteConfig("/b", WS, io.duplex.server.UpgradeHook.ACCEPT,
                io.duplex.server.OriginPolicy.any(), Limits.DEFAULT.withMaxHandshakeSize(50_000).withMaxHeaderCount(5),
                false, io.duplex.server.HandlerExecution.EVENT_LOOP, 1, io.duplex.server.BackpressurePolicy.DROP, 0, 0);
        Limits limits = new Router(List.of(small, big), List.of()).headLimits();
        assertThat(limits.maxHandshakeSize()).isEqualTo(50_000);
        assertThat(limits.maxHeaderCount()).isEqualTo(100);
        assertThat(new Router(List.of(), List.of()).headLimits()).isEqualTo(Limits.DEFAULT);
    }
}
