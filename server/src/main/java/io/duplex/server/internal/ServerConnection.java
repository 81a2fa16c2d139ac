package io.duplex.server.internal;

import io.duplex.core.Role;
import io.duplex.core.WebSocketConnection;
import io.duplex.core.handshake.HandshakeException;
import io.duplex.core.handshake.HttpHeadParser;
import io.duplex.core.handshake.HttpHeaders;
import io.duplex.core.handshake.HttpRequestHead;
import io.duplex.core.handshake.ServerHandshake;
import io.duplex.server.HandlerExecution;
import io.duplex.server.HttpResponse;
import io.duplex.server.UpgradeDecision;
import io.duplex.transport.Connection;
import io.duplex.transport.ConnectionHandler;
import io.duplex.transport.Timeout;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * One accepted TCP (or TLS, or Unix domain socket) connection, from its first byte to its close: the
 * opening handshake here, the WebSocket phase in the subclass {@link WebSocketSession}. They are one object
 * so that an open socket costs one object header and no references between its halves; this class owns
 * the transport's callbacks and hands them to the session once upgraded.
 *
 * <h2>Theory of operation</h2>
 * <pre>
 *   READING_HEAD --head complete, upgrade, hook on a virtual thread--&gt; DECIDING
 *   READING_HEAD or DECIDING --accepted: 101 written--&gt; UPGRADED (the session owns the bytes)
 *   READING_HEAD or DECIDING --any other answer, written with Connection: close--&gt; RESPONDED
 *   READING_HEAD or DECIDING --handshake timeout--&gt; RESPONDED (closed without an answer)
 *   any --TCP closed--&gt; CLOSED
 * </pre>
 * <ul>
 *   <li>The head is parsed incrementally by the core's {@link HttpHeadParser}, which keeps a partial head
 *       itself, so this class buffers nothing while reading it. Bytes after the head (a client may send
 *       its first frame right behind the request) go to the session at once, or are held while the upgrade
 *       hook runs on a virtual thread, with reading paused.</li>
 *   <li>Answers, in order of checks: a malformed or over-limit head, 400 or 431; a plain request, the
 *       HTTP handler's response, 426 (GET on a WebSocket path) or 405, else 404; an upgrade to a path with
 *       no route, 404; a request breaking RFC 6455 4.2.1, its status (400, 405, 426); an origin the route's
 *       policy refuses, 403; then the route's upgrade hook: 101, its rejection, or 500 if it threw or chose
 *       what it may not.</li>
 *   <li>The handshake timer runs from onOpen until the 101 is written; for any other answer it stays
 *       armed and aborts a connection whose peer does not take the answer in time.</li>
 *   <li>A connection is released to the runtime when TCP has closed and, once upgraded, the socket's
 *       onClose has returned (a count of two holds). From open to TCP close it is listed on its loop
 *       ({@link LoopSockets}) for the server's stop and the keepalive sweep.</li>
 * </ul>
 *
 * <p>Threading: the transport's callbacks and every method here run on the connection's loop, except
 * {@link #runOnLoop} and {@link #release}.
 */
abstract sealed class ServerConnection implements ConnectionHandler permits WebSocketSession {

    private static final System.Logger LOG = System.getLogger(ServerConnection.class.getName());

    private enum Phase { NEW, READING_HEAD, DECIDING, UPGRADED, RESPONDED, CLOSED }

    private static final VarHandle HOLDS;

    static {
        try {
            HOLDS = MethodHandles.lookup().findVarHandle(ServerConnection.class, "holds", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Links of its loop's list ({@link LoopSockets}); owned by that list. */
    ServerConnection prevOnLoop;
    ServerConnection nextOnLoop;
    @SuppressWarnings("unused") // read and written through HOLDS
    private volatile int holds = 1;
    final ServerRuntime runtime;
    private final boolean secure;
    /** Set at onOpen, before anything else can reach this object. */
    Connection connection;
    private Phase phase = Phase.NEW;
    /** What only the opening handshake needs: from onOpen to the upgrade (or to TCP close). */
    private Opening opening;

    /** The opening handshake's working state, one object so that an upgraded socket keeps one null for it. */
    private static final class Opening {
        /** Parses the head; null once it is complete. */
        HttpHeadParser<HttpRequestHead> parser;
        /** Until the 101, or until the peer takes another answer. */
        Timeout timer;
        /** Bytes that followed the head, held while the upgrade hook runs; or null. */
        ByteBuffer held;
    }

    ServerConnection(ServerRuntime runtime, boolean secure) {
        this.runtime = runtime;
        this.secure = secure;
    }

    /** Runs {@code task} on this connection's loop. */
    void runOnLoop(Runnable task) {
        ServerRuntime.execute(connection.loop(), task);
    }

    // ---------------------------------------------------------------- the WebSocket phase (the subclass)

    /**
     * The 101 is queued: the WebSocket phase starts; {@code leftover} holds the bytes that followed the
     * request head, or is null.
     */
    abstract void upgraded(RouteConfig route, WebSocketConnection core, RequestView request, String subprotocol,
                           Object userData, SerialExecutor executor, long wireQueued, ByteBuffer leftover);

    /** The serial executor for callbacks of a {@link HandlerExecution#VIRTUAL_THREAD} route. */
    abstract SerialExecutor newExecutor(RouteConfig route);

    /** Bytes arrived for the upgraded socket. */
    abstract void receive(ByteBuffer data);

    /** The connection has written everything after a short write. */
    abstract void writable();

    /** The peer sent FIN (or TLS close_notify). */
    abstract void endOfInput();

    /** The socket is closed; {@code cause} is null for an orderly close. */
    abstract void transportClosed(Throwable cause);

    /** The server is stopping: close with 1001 after what is queued. */
    abstract void closeForStop();

    /** The stop deadline passed: abort. */
    abstract void abortForStop();

    /** The loop's periodic sweep. */
    abstract void keepAliveSweep(KeepAlive keepAlive);

    // ---------------------------------------------------------------- transport callbacks

    @Override
    public void onOpen(Connection c) {
        connection = c;
        runtime.register(this, c.loop()); // before reading the flag: see ServerRuntime
        phase = Phase.READING_HEAD;
        opening = new Opening();
        opening.parser = HttpHeadParser.forRequests(runtime.router().headLimits());
        opening.timer = c.loop().schedule(this::handshakeTimedOut, runtime.config().handshakeTimeout());
        if (runtime.stopping()) {
            serverStopping();
        }
    }

    @Override
    public void onData(Connection c, ByteBuffer data) {
        switch (phase) {
            case READING_HEAD -> readHead(data);
            case DECIDING -> hold(data);
            case UPGRADED -> receive(data);
            case NEW, RESPONDED, CLOSED -> data.position(data.limit());
        }
    }

    @Override
    public void onWritable(Connection c) {
        if (phase == Phase.UPGRADED) {
            writable();
        }
    }

    @Override
    public void onEndOfInput(Connection c) {
        if (phase == Phase.UPGRADED) {
            endOfInput();
        } else {
            if (phase == Phase.READING_HEAD || phase == Phase.DECIDING) {
                phase = Phase.RESPONDED; // nobody to answer: a hook still running is ignored when it returns
                opening.held = null;
            }
            connection.close();
        }
    }

    @Override
    public void onClosed(Connection c, Throwable cause) {
        Phase was = phase;
        phase = Phase.CLOSED;
        endOpening();
        runtime.closed(this, c.loop());
        if (was == Phase.UPGRADED) {
            transportClosed(cause);
        } else if (cause != null) {
            LOG.log(Level.DEBUG, () -> "connection from " + c.remoteAddress() + " closed during the handshake: " + cause);
        }
        release();
    }

    // ---------------------------------------------------------------- from the runtime (on the loop)

    /** The server is stopping: 503 for a handshake in progress, 1001 for an open socket. */
    void serverStopping() {
        switch (phase) {
            case READING_HEAD, DECIDING -> refuse(new HandshakeException(503, HttpHeaders.of("Retry-After", "5"),
                    "the server is stopping"));
            case UPGRADED -> closeForStop();
            case NEW, RESPONDED, CLOSED -> { }
        }
    }

    /** The loop's periodic sweep: keepalive checks for an upgraded socket. */
    void sweep(KeepAlive keepAlive) {
        if (phase == Phase.UPGRADED) {
            keepAliveSweep(keepAlive);
        }
    }

    /** The stop deadline passed: abort. */
    void terminate() {
        if (phase == Phase.UPGRADED) {
            abortForStop();
        } else if (phase != Phase.CLOSED) {
            connection.abort();
        }
    }

    // ---------------------------------------------------------------- the opening handshake

    private void readHead(ByteBuffer data) {
        Optional<HttpRequestHead> head;
        try {
            head = opening.parser.parse(data);
        } catch (HandshakeException e) {
            refuse(e);
            return;
        }
        if (head.isPresent()) {
            opening.parser = null;
            route(head.get(), data);
        }
    }

    private void route(HttpRequestHead head, ByteBuffer rest) {
        // RFC 6455 4.2.1: an upgrade request names websocket in Upgrade; anything else is plain HTTP.
        if (!head.headers().containsToken("Upgrade", "websocket")) {
            answerPlain(head);
            return;
        }
        RouteConfig route = runtime.router().webSocketRoute(head.path());
        if (route == null) {
            respond(HttpResponses.text(404, HttpHeaders.empty(), "no WebSocket endpoint at this path"));
            return;
        }
        ServerHandshake.Request valid;
        try {
            valid = ServerHandshake.validateRequest(head);
        } catch (HandshakeException e) {
            refuse(e);
            return;
        }
        RequestView request = new RequestView(head, valid.subprotocols(), connection.remoteAddress(), secure);
        // RFC 6455 10.2: the Origin check that stops other sites' pages from opening sockets with our cookies.
        if (!route.originPolicy().allows(request)) {
            LOG.log(Level.DEBUG, () -> "origin " + request.origin().orElse("") + " refused on " + route.path());
            respond(HttpResponses.text(403, HttpHeaders.empty(), "origin not allowed"));
            return;
        }
        if (route.execution() == HandlerExecution.VIRTUAL_THREAD) {
            phase = Phase.DECIDING;
            connection.pauseReading();
            hold(rest);
            SerialExecutor executor = newExecutor(route);
            executor.submit(() -> {
                UpgradeDecision decision = decide(route, request);
                runOnLoop(() -> decided(route, valid, request, decision, executor, null));
            }, 0);
        } else {
            decided(route, valid, request, decide(route, request), null, rest);
        }
    }

    private static UpgradeDecision decide(RouteConfig route, RequestView request) {
        try {
            UpgradeDecision decision = route.hook().decide(request);
            if (decision == null) {
                throw new NullPointerException("upgrade hook returned null");
            }
            return decision;
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "upgrade hook of " + route.path() + " threw for " + request, t);
            return null;
        }
    }

    private void decided(RouteConfig route, ServerHandshake.Request valid, RequestView request,
                         UpgradeDecision decision, SerialExecutor executor, ByteBuffer rest) {
        if (phase != Phase.READING_HEAD && phase != Phase.DECIDING) {
            return; // timed out, stopped or closed while the hook ran
        }
        ByteBuffer held = opening.held;
        ByteBuffer after = rest != null ? rest : held != null ? held.flip() : null;
        opening.held = null;
        switch (decision) {
            case null -> respond(HttpResponses.text(500, HttpHeaders.empty(), "internal server error"));
            case UpgradeDecision.Reject reject -> respond(HttpResponses.of(reject));
            case UpgradeDecision.Accept accept -> accept(route, valid, request, accept, executor, after);
        }
    }

    private void accept(RouteConfig route, ServerHandshake.Request valid, RequestView request,
                        UpgradeDecision.Accept accept, SerialExecutor executor, ByteBuffer after) {
        String subprotocol = accept.subprotocol();
        ByteBuffer response;
        try {
            // RFC 6455 4.2.2: the subprotocol must be one the client offered; extension offers are ignored
            // (none are negotiated yet), which RFC 6455 9.1 allows.
            response = ServerHandshake.acceptResponse(valid, subprotocol.isEmpty() ? null : subprotocol, List.of(),
                    accept.headers());
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "upgrade hook of " + route.path() + " accepted " + request
                    + " with an invalid choice: " + e.getMessage());
            respond(HttpResponses.text(500, HttpHeaders.empty(), "internal server error"));
            return;
        }
        endOpening();
        long wire = response.remaining();
        connection.write(response);
        WebSocketConnection core = WebSocketConnection.builder(Role.SERVER)
                .limits(route.limits()).streaming(route.streaming()).build();
        HOLDS.getAndAdd(this, 1); // released when onClose has returned
        phase = Phase.UPGRADED;
        runtime.socketOpened();
        if (executor != null) {
            connection.resumeReading(); // paused while the hook ran
        }
        upgraded(route, core, request, subprotocol, accept.userData(), executor, wire, after);
    }

    private void answerPlain(HttpRequestHead head) {
        switch (runtime.router().plainTarget(head.path())) {
            case Router.PlainTarget.WebSocketPath ws -> refuse(head.method().equals("GET")
                    // RFC 7231 6.5.15 and RFC 6455 4.4: say what to upgrade to, and which version.
                    ? new HandshakeException(426, HttpHeaders.of("Upgrade", "websocket", "Sec-WebSocket-Version", "13",
                            "Connection", "Upgrade"), "this path is a WebSocket endpoint; upgrade to websocket")
                    : new HandshakeException(405, HttpHeaders.of("Allow", "GET"),
                            "method " + head.method() + " is not GET (RFC 6455 4.2.1)"));
            case Router.PlainTarget.Http http -> {
                HttpResponse response;
                try {
                    response = http.handler().handle(new RequestView(head, List.of(), connection.remoteAddress(), secure));
                    if (response == null) {
                        throw new NullPointerException("HTTP handler returned null");
                    }
                } catch (Throwable t) {
                    LOG.log(Level.WARNING, "HTTP handler threw for " + head.method() + " " + head.path(), t);
                    response = HttpResponse.text(500, "internal server error");
                }
                respond(HttpResponses.of(response, head.method().equals("HEAD")));
            }
            case Router.PlainTarget.None none -> respond(HttpResponses.text(404, HttpHeaders.empty(), "not found"));
        }
    }

    private void refuse(HandshakeException e) {
        LOG.log(Level.DEBUG, () -> "refused " + connection.remoteAddress() + " with " + e.status() + ": " + e.getMessage());
        respond(ServerHandshake.rejectResponse(e));
    }

    /** Writes a whole answer and closes after it; the handshake timer bounds the wait. */
    private void respond(ByteBuffer response) {
        phase = Phase.RESPONDED;
        opening.parser = null;
        opening.held = null;
        connection.write(response);
        connection.close();
    }

    private void hold(ByteBuffer data) {
        if (!data.hasRemaining()) {
            return;
        }
        // Reading is paused, so this is at most what one read had already brought in.
        ByteBuffer held = opening.held;
        if (held == null) {
            held = ByteBuffer.allocate(Math.max(data.remaining(), 256));
        } else if (held.remaining() < data.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(held.position() + data.remaining());
            held.flip();
            held = bigger.put(held);
        }
        opening.held = held.put(data);
    }

    private void handshakeTimedOut() {
        if (opening == null) {
            return; // upgraded or closed as the timer fired
        }
        opening.timer = null;
        switch (phase) {
            case READING_HEAD, DECIDING -> {
                LOG.log(Level.DEBUG, () -> "handshake from " + connection.remoteAddress() + " not complete within "
                        + runtime.config().handshakeTimeout().toMillis() + " ms");
                phase = Phase.RESPONDED;
                opening.held = null;
                connection.close();
            }
            case RESPONDED -> connection.abort(); // the peer did not take our answer in time
            case NEW, UPGRADED, CLOSED -> { }
        }
    }

    /** The handshake is over for good (upgraded or closed): its timer and state go. */
    private void endOpening() {
        if (opening != null) {
            if (opening.timer != null) {
                opening.timer.cancel();
            }
            opening = null;
        }
    }

    /** Whether the TCP connection has closed. */
    final boolean tcpClosed() {
        return phase == Phase.CLOSED;
    }

    /** Drops one hold: TCP has closed, or the socket's onClose has returned (on its callback's thread). */
    final void release() {
        // A connection that failed before onOpen (a TLS handshake) was never counted live.
        if ((int) HOLDS.getAndAdd(this, -1) == 1 && connection != null) {
            runtime.release();
        }
    }
}
