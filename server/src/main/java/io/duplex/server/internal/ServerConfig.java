package io.duplex.server.internal;

import io.duplex.server.PreparedMessage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Everything a running server's connections need to know.
 *
 * @param routes the WebSocket routes
 * @param httpRoutes the plain HTTP handlers
 * @param handshakeTimeout the opening handshake must complete within this
 * @param closeTimeout how long the peer has to answer our close frame
 * @param preparedFrames a fresh view of a prepared message's frame bytes (the accessor lives in the public
 *     package, which keeps it off the public API)
 *
 * Threading: immutable.
 */
public record ServerConfig(List<RouteConfig> routes, List<HttpRoute> httpRoutes, Duration handshakeTimeout,
                           Duration closeTimeout, Function<PreparedMessage, ByteBuffer> preparedFrames) {

    /** Copies the lists and checks the values. */
    public ServerConfig {
        routes = List.copyOf(routes);
        httpRoutes = List.copyOf(httpRoutes);
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        Objects.requireNonNull(preparedFrames, "preparedFrames");
    }
}
