package io.duplex.server;

import io.duplex.transport.EventLoopGroup;
import io.duplex.transport.TlsConfig;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * A WebSocket server: listeners, routes, and the sockets they accept.
 *
 * <pre>{@code
 * WebSocketServer server = WebSocketServer.builder()
 *     .listen("127.0.0.1", 8080)
 *     .route("/echo", new WebSocketHandler() {
 *         public void onText(ServerWebSocket ws, String text) { ws.sendText(text); }
 *     })
 *     .build()
 *     .start();
 * }</pre>
 *
 * <p>Non-upgrade requests get 426 on a WebSocket route's path, the {@link HttpHandler} registered for
 * their path, or 404. Requests that fail the opening handshake get its status (400, 403, 405, 426, 431).
 *
 * <p>Threading: thread-safe.
 */
public final class WebSocketServer implements AutoCloseable {

    private WebSocketServer() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** A builder. */
    public static Builder builder() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Binds every listener and starts accepting. Returns this server.
     *
     * @throws IOException if an address cannot be bound (then nothing stays bound)
     * @throws IllegalStateException if already started
     */
    public WebSocketServer start() throws IOException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The bound addresses, in the order of the builder's {@code listen} calls (actual ports for port 0). */
    public List<SocketAddress> localAddresses() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The port of the first TCP listener. */
    public int port() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Upgraded sockets currently open. */
    public int openSockets() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Stops gracefully: stops accepting, answers handshakes in progress with 503, closes open sockets
     * with 1001 (going away), waits for queued data to drain and closing handshakes to finish, and
     * terminates what is left when {@code timeout} runs out. Returns whether everything closed in time.
     */
    public boolean stop(Duration timeout) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** {@link #stop(Duration)} with 5 seconds. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

    /**
     * Settings of a {@link WebSocketServer}.
     *
     * <p>Threading: not thread-safe.
     */
    public static final class Builder {

        private Builder() {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** Listens on TCP at {@code host} ("127.0.0.1", "::1", "0.0.0.0", a name) and {@code port} (0: any free). */
        public Builder listen(String host, int port) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** Listens on an {@link java.net.InetSocketAddress} or a {@link java.net.UnixDomainSocketAddress}. */
        public Builder listen(SocketAddress address) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** Serves wss on every TCP listener. Default: none (ws). */
        public Builder tls(TlsConfig tls) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** Number of event loops to create; default one per available processor. */
        public Builder eventLoops(int loops) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** Uses a shared group instead of creating one; {@link #stop} then leaves it running. */
        public Builder eventLoopGroup(EventLoopGroup group) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** Adds a WebSocket route with default settings. */
        public Builder route(String path, WebSocketHandler handler) {
            return route(Route.of(path, handler));
        }

        /** Adds a WebSocket route. */
        public Builder route(Route route) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** Serves plain HTTP requests for {@code path} (exact, or prefix with "/*"). */
        public Builder http(String path, HttpHandler handler) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** The opening handshake (and TLS handshake) must complete within this; default 10 s. */
        public Builder handshakeTimeout(Duration timeout) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** After a close frame is sent, the peer has this long to answer before TCP is closed; default 5 s. */
        public Builder closeTimeout(Duration timeout) {
            throw new UnsupportedOperationException("not implemented yet");
        }

        /** Builds the server (nothing is bound until {@link WebSocketServer#start()}). */
        public WebSocketServer build() {
            throw new UnsupportedOperationException("not implemented yet");
        }
    }
}
