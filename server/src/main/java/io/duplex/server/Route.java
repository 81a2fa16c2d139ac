package io.duplex.server;

import io.duplex.core.Limits;
import io.duplex.server.internal.PathPattern;
import io.duplex.server.internal.RouteConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * A WebSocket endpoint: a path, its handler, and the policies of the sockets it accepts.
 *
 * <p>A path is matched exactly ("/chat"), or as a prefix when it ends with "/*" ("/rooms/*" matches
 * "/rooms/a" and "/rooms/a/b" but not "/rooms"). The longest matching path wins.
 *
 * <p>Threading: immutable once built; the builder is not thread-safe.
 */
public final class Route {

    private final RouteConfig config;

    private Route(RouteConfig config) {
        this.config = config;
    }

    /**
     * A builder for a route at {@code path} served by {@code handler}.
     *
     * @throws IllegalArgumentException if the path does not start with '/' or holds '*' other than a final "/*"
     */
    public static Builder builder(String path, WebSocketHandler handler) {
        PathPattern.check(path);
        return new Builder(path, Objects.requireNonNull(handler, "handler"));
    }

    /** A route with every default. */
    public static Route of(String path, WebSocketHandler handler) {
        return builder(path, handler).build();
    }

    /** The path pattern. */
    public String path() {
        return config.path();
    }

    /** Every setting, for the server's internals. */
    RouteConfig config() {
        return config;
    }

    @Override
    public String toString() {
        return "Route[" + config.path() + "]";
    }

    /**
     * Settings of a {@link Route}; each setter documents its default.
     *
     * <p>Threading: not thread-safe.
     */
    public static final class Builder {
        // Defaults, each with its reason:
        // 1 MiB buffered per socket: a few large messages or thousands of small ones; 10k slow sockets
        // stay within 10 GiB at worst, and BUFFER's hard cap bounds it at twice that.
        private static final long DEFAULT_BACKPRESSURE_LIMIT = 1 << 20;
        // 30 s pings: below the common 60 s idle cut-off of proxies and NATs.
        private static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(30);
        // 120 s idle: for clients that ignore pings being off; pongs count as traffic.
        private static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(120);

        private final String path;
        private final WebSocketHandler handler;
        private UpgradeHook hook = UpgradeHook.ACCEPT;
        private OriginPolicy originPolicy = OriginPolicy.sameOrigin();
        private Limits limits = Limits.DEFAULT;
        private boolean streaming;
        private HandlerExecution execution = HandlerExecution.EVENT_LOOP;
        private long backpressureLimit = DEFAULT_BACKPRESSURE_LIMIT;
        private BackpressurePolicy backpressurePolicy = BackpressurePolicy.BUFFER;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration pingInterval = DEFAULT_PING_INTERVAL;

        private Builder(String path, WebSocketHandler handler) {
            this.path = path;
            this.handler = handler;
        }

        /** Decides upgrades; default {@link UpgradeHook#ACCEPT}. */
        public Builder upgradeHook(UpgradeHook hook) {
            this.hook = Objects.requireNonNull(hook, "hook");
            return this;
        }

        /** Which origins may connect; default {@link OriginPolicy#sameOrigin()}. */
        public Builder originPolicy(OriginPolicy policy) {
            this.originPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Protocol limits (frame, message, handshake sizes); default {@link Limits#DEFAULT}. */
        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Deliver messages as {@link WebSocketHandler#onFragment} pieces instead of whole; default false. */
        public Builder streaming(boolean streaming) {
            this.streaming = streaming;
            return this;
        }

        /** Where handler callbacks run; default {@link HandlerExecution#EVENT_LOOP}. */
        public Builder execution(HandlerExecution execution) {
            this.execution = Objects.requireNonNull(execution, "execution");
            return this;
        }

        /** Buffered bytes above which sends answer BACKPRESSURE; default 1 MiB. */
        public Builder backpressureLimit(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("backpressure limit of " + bytes + " bytes must be positive");
            }
            this.backpressureLimit = bytes;
            return this;
        }

        /** What sends do over the limit; default {@link BackpressurePolicy#BUFFER}. */
        public Builder backpressurePolicy(BackpressurePolicy policy) {
            this.backpressurePolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * A socket that receives nothing for this long is closed with 1001 (or pinged first, see
         * {@link #pingInterval}); default 120 s; {@link Duration#ZERO} turns it off.
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = requireNotNegative("idle timeout", timeout);
            return this;
        }

        /**
         * Send a ping after this long without receiving anything, and close with 1001 if no pong (or
         * anything else) arrives within the same interval; default 30 s; {@link Duration#ZERO} turns it off.
         */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = requireNotNegative("ping interval", interval);
            return this;
        }

        /** Builds the route. */
        public Route build() {
            return new Route(new RouteConfig(path, handler, hook, originPolicy, limits, streaming, execution,
                    backpressureLimit, backpressurePolicy, idleTimeout.toNanos(), pingInterval.toNanos()));
        }

        private static Duration requireNotNegative(String what, Duration duration) {
            Objects.requireNonNull(duration, what);
            if (duration.isNegative()) {
                throw new IllegalArgumentException(what + " of " + duration + " is negative");
            }
            return duration;
        }
    }
}
