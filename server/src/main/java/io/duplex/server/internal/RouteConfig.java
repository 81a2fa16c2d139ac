package io.duplex.server.internal;

import io.duplex.core.Limits;
import io.duplex.server.BackpressurePolicy;
import io.duplex.server.HandlerExecution;
import io.duplex.server.OriginPolicy;
import io.duplex.server.UpgradeHook;
import io.duplex.server.WebSocketHandler;
import java.util.Objects;

/**
 * The settings of one WebSocket route, as the server's internals read them (the public
 * {@link io.duplex.server.Route} exposes only its path).
 *
 * @param path the path pattern: exact, or a prefix ending in "/*"
 * @param handler the application's callbacks
 * @param hook decides upgrades
 * @param originPolicy which origins may connect
 * @param limits protocol limits
 * @param streaming whether messages arrive as fragments
 * @param execution where callbacks run
 * @param backpressureLimit buffered bytes above which sends answer BACKPRESSURE
 * @param backpressurePolicy what sends do over the limit
 * @param idleTimeoutNanos silence after which the socket is closed; 0 for never
 * @param pingIntervalNanos silence after which a ping is sent; 0 for never
 *
 * Threading: immutable.
 */
public record RouteConfig(String path, WebSocketHandler handler, UpgradeHook hook, OriginPolicy originPolicy,
                          Limits limits, boolean streaming, HandlerExecution execution, long backpressureLimit,
                          BackpressurePolicy backpressurePolicy, long idleTimeoutNanos, long pingIntervalNanos) {

    /** Checks the values. */
    public RouteConfig {
        PathPattern.check(path);
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(hook, "hook");
        Objects.requireNonNull(originPolicy, "originPolicy");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(execution, "execution");
        Objects.requireNonNull(backpressurePolicy, "backpressurePolicy");
        if (backpressureLimit <= 0) {
            throw new IllegalArgumentException("backpressure limit of " + backpressureLimit + " bytes must be positive");
        }
    }
}
