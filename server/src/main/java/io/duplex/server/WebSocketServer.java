package io.duplex.server;

import io.duplex.server.internal.HttpRoute;
import io.duplex.server.internal.RouteConfig;
import io.duplex.server.internal.ServerConfig;
import io.duplex.server.internal.ServerRuntime;
import io.duplex.transport.EventLoopGroup;
import io.duplex.transport.ListenOptions;
import io.duplex.transport.Listener;
import io.duplex.transport.TlsConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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

    private static final System.Logger LOG = System.getLogger(WebSocketServer.class.getName());

    private enum State { NEW, RUNNING, STOPPED }

    private final List<SocketAddress> addresses;
    private final TlsConfig tls;
    private final int eventLoops;
    private final EventLoopGroup sharedGroup;
    private final ServerRuntime runtime;
    private final Duration handshakeTimeout;

    private State state = State.NEW;
    private EventLoopGroup group;
    private final List<Listener> listeners = new ArrayList<>();
    private volatile List<SocketAddress> boundAddresses = List.of();
    private boolean stopResult;

    private WebSocketServer(Builder builder) {
        this.addresses = List.copyOf(builder.addresses);
        this.tls = builder.tls;
        this.eventLoops = builder.eventLoops;
        this.sharedGroup = builder.group;
        this.handshakeTimeout = builder.handshakeTimeout;
        List<RouteConfig> routes = new ArrayList<>();
        for (Route route : builder.routes) {
            routes.add(route.config());
        }
        this.runtime = new ServerRuntime(new ServerConfig(routes, builder.httpRoutes, builder.handshakeTimeout,
                builder.closeTimeout, PreparedMessage::frame));
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds every listener and starts accepting. Returns this server.
     *
     * @throws IOException if an address cannot be bound (then nothing stays bound)
     * @throws IllegalStateException if already started
     */
    public synchronized WebSocketServer start() throws IOException {
        if (state != State.NEW) {
            throw new IllegalStateException("server is " + state + "; start() may be called once");
        }
        group = sharedGroup != null ? sharedGroup
                : EventLoopGroup.builder().loops(eventLoops).threadNamePrefix("duplex-server-").build();
        List<SocketAddress> bound = new ArrayList<>();
        try {
            for (SocketAddress address : addresses) {
                boolean secure = tls != null && address instanceof InetSocketAddress;
                ListenOptions options = ListenOptions.of(address).withTlsHandshakeTimeout(handshakeTimeout);
                if (secure) {
                    options = options.withTls(tls);
                }
                Listener listener = group.listen(options, () -> runtime.newConnection(secure));
                listeners.add(listener);
                bound.add(listener.localAddress());
            }
        } catch (IOException | RuntimeException e) {
            listeners.forEach(Listener::close);
            listeners.clear();
            if (sharedGroup == null) {
                group.shutdown(Duration.ofSeconds(5));
            }
            group = null;
            throw e;
        }
        boundAddresses = List.copyOf(bound);
        state = State.RUNNING;
        LOG.log(System.Logger.Level.INFO, () -> "WebSocket server listening on " + boundAddresses);
        return this;
    }

    /** The bound addresses, in the order of the builder's {@code listen} calls (actual ports for port 0). */
    public List<SocketAddress> localAddresses() {
        return boundAddresses;
    }

    /** The port of the first TCP listener. */
    public int port() {
        for (SocketAddress address : boundAddresses) {
            if (address instanceof InetSocketAddress inet) {
                return inet.getPort();
            }
        }
        throw new IllegalStateException(boundAddresses.isEmpty() ? "server is not started"
                : "server has no TCP listener: " + boundAddresses);
    }

    /** Upgraded sockets currently open. */
    public int openSockets() {
        return runtime.openSockets();
    }

    /**
     * Stops gracefully: stops accepting, answers handshakes in progress with 503, closes open sockets
     * with 1001 (going away), waits for queued data to drain and closing handshakes to finish, and
     * terminates what is left when {@code timeout} runs out. Returns whether everything closed in time.
     */
    public synchronized boolean stop(Duration timeout) {
        if (state == State.STOPPED) {
            return stopResult;
        }
        if (state == State.NEW) {
            state = State.STOPPED;
            stopResult = true;
            return true;
        }
        state = State.STOPPED;
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        listeners.forEach(Listener::close);
        runtime.beginStop();
        boolean inTime;
        try {
            inTime = runtime.awaitReleased(deadline);
            if (!inTime) {
                LOG.log(System.Logger.Level.WARNING, runtime.liveConnections()
                        + " connections still open at the stop deadline; terminating them");
                runtime.terminateAll();
                runtime.awaitReleased(System.nanoTime() + TERMINATE_GRACE_NANOS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runtime.terminateAll();
            inTime = false;
        }
        if (sharedGroup == null) {
            inTime &= group.shutdown(Duration.ofSeconds(5));
        }
        stopResult = inTime;
        return inTime;
    }

    /** After terminating, how long the loops get to report the aborted connections closed. */
    private static final long TERMINATE_GRACE_NANOS = Duration.ofSeconds(1).toNanos();

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
        private final List<SocketAddress> addresses = new ArrayList<>();
        private final List<Route> routes = new ArrayList<>();
        private final List<HttpRoute> httpRoutes = new ArrayList<>();
        private TlsConfig tls;
        private int eventLoops;
        private EventLoopGroup group;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration closeTimeout = Duration.ofSeconds(5);

        private Builder() {
        }

        /** Listens on TCP at {@code host} ("127.0.0.1", "::1", "0.0.0.0", a name) and {@code port} (0: any free). */
        public Builder listen(String host, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is outside 0-65535");
            }
            return listen(new InetSocketAddress(Objects.requireNonNull(host, "host"), port));
        }

        /** Listens on an {@link java.net.InetSocketAddress} or a {@link java.net.UnixDomainSocketAddress}. */
        public Builder listen(SocketAddress address) {
            if (!(address instanceof InetSocketAddress) && !(address instanceof UnixDomainSocketAddress)) {
                throw new IllegalArgumentException("cannot listen on " + address
                        + ": not an InetSocketAddress or UnixDomainSocketAddress");
            }
            if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
                throw new IllegalArgumentException("cannot listen on " + address + ": the host name did not resolve");
            }
            addresses.add(address);
            return this;
        }

        /** Serves wss on every TCP listener. Default: none (ws). */
        public Builder tls(TlsConfig tls) {
            if (tls != null && !tls.isServer()) {
                throw new IllegalArgumentException("a server needs a server TlsConfig, got a client one");
            }
            this.tls = tls;
            return this;
        }

        /** Number of event loops to create; default one per available processor. */
        public Builder eventLoops(int loops) {
            if (loops < 0) {
                throw new IllegalArgumentException("event loops must be >= 0, was " + loops);
            }
            this.eventLoops = loops;
            return this;
        }

        /** Uses a shared group instead of creating one; {@link #stop} then leaves it running. */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.group = group;
            return this;
        }

        /** Adds a WebSocket route with default settings. */
        public Builder route(String path, WebSocketHandler handler) {
            return route(Route.of(path, handler));
        }

        /** Adds a WebSocket route. */
        public Builder route(Route route) {
            Objects.requireNonNull(route, "route");
            for (Route existing : routes) {
                if (existing.path().equals(route.path())) {
                    throw new IllegalArgumentException("a WebSocket route for " + route.path() + " is already registered");
                }
            }
            routes.add(route);
            return this;
        }

        /** Serves plain HTTP requests for {@code path} (exact, or prefix with "/*"). */
        public Builder http(String path, HttpHandler handler) {
            HttpRoute route = new HttpRoute(path, handler);
            for (HttpRoute existing : httpRoutes) {
                if (existing.path().equals(path)) {
                    throw new IllegalArgumentException("an HTTP handler for " + path + " is already registered");
                }
            }
            httpRoutes.add(route);
            return this;
        }

        /** The opening handshake (and TLS handshake) must complete within this; default 10 s. */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = requirePositive("handshake timeout", timeout);
            return this;
        }

        /** After a close frame is sent, the peer has this long to answer before TCP is closed; default 5 s. */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = requirePositive("close timeout", timeout);
            return this;
        }

        /**
         * Builds the server (nothing is bound until {@link WebSocketServer#start()}).
         *
         * @throws IllegalStateException if no listen address was given
         */
        public WebSocketServer build() {
            if (addresses.isEmpty()) {
                throw new IllegalStateException("no listen address; call listen(...) at least once");
            }
            return new WebSocketServer(this);
        }

        private static Duration requirePositive(String what, Duration duration) {
            Objects.requireNonNull(duration, what);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(what + " of " + duration + " must be positive");
            }
            return duration;
        }
    }
}
