package io.duplex.server;

import io.duplex.core.Limits;
import java.time.Duration;

/**
 * A WebSocket endpoint: a path, its handler, and the policies of the sockets it accepts.
 *
 * <p>A path is matched exactly ("/chat"), or as a prefix when it ends with "/*" ("/rooms/*" matches
 * "/rooms/a" and "/rooms/a/b" but not "/rooms"). The longest matching path wins.
 *
 * <p>Threading: immutable once built; the builder is not thread-safe.
 */
public final class Route {

    private Route() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** A builder for a route at {@code path} served by {@code handler}. */
    public static Builder builder(String path, WebSocketHandler handler) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** A route with every default. */
    public static Route of(String path, WebSocketHandler handler) {
        return builder(path, handler).build();
    }

    /** The path pattern. */
    public String path() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Settings of a {@link Route}; each setter documents its default.
     *
     * <p>Threading: not thread-safe.
     */
    public static final class Builder {

        private Builder() {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** Decides upgrades; default {@link UpgradeHook#ACCEPT}. */
        public Builder upgradeHook(UpgradeHook hook) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** Which origins may connect; default {@link OriginPolicy#sameOrigin()}. */
        public Builder originPolicy(OriginPolicy policy) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** Protocol limits (frame, message, handshake sizes); default {@link Limits#DEFAULT}. */
        public Builder limits(Limits limits) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** Deliver messages as {@link WebSocketHandler#onFragment} pieces instead of whole; default false. */
        public Builder streaming(boolean streaming) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** Where handler callbacks run; default {@link HandlerExecution#EVENT_LOOP}. */
        public Builder execution(HandlerExecution execution) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** Buffered bytes above which sends answer BACKPRESSURE; default 1 MiB. */
        public Builder backpressureLimit(long bytes) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** What sends do over the limit; default {@link BackpressurePolicy#BUFFER}. */
        public Builder backpressurePolicy(BackpressurePolicy policy) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /**
         * A socket that receives nothing for this long is closed with 1001 (or pinged first, see
         * {@link #pingInterval}); default 120 s; {@link Duration#ZERO} turns it off.
         */
        public Builder idleTimeout(Duration timeout) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /**
         * Send a ping after this long without receiving anything, and close with 1001 if no pong (or
         * anything else) arrives within the same interval; default 30 s; {@link Duration#ZERO} turns it off.
         */
        public Builder pingInterval(Duration interval) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** Builds the route. */
        public Route build() {
            throw new UnsupportedOperationException("not implemented yet");
        }
    }
}
