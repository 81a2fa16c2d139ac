package io.duplex.client.internal;

import io.duplex.core.CloseStatus;
import io.duplex.core.Event;
import io.duplex.core.Role;
import io.duplex.core.WebSocketConnection;
import io.duplex.core.WebSocketStateException;
import io.duplex.core.handshake.ClientHandshake;
import io.duplex.core.handshake.HandshakeException;
import io.duplex.core.handshake.HttpHeadParser;
import io.duplex.core.handshake.HttpResponseHead;
import io.duplex.transport.ConnectOptions;
import io.duplex.transport.Connection;
import io.duplex.transport.ConnectionHandler;
import io.duplex.transport.Timeout;
import io.duplex.transport.TlsConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;

/**
 * One client connection's I/O: resolving, TCP (and TLS), the proxy tunnel, the opening handshake, then the
 * protocol core, reporting to a {@link SessionSink}.
 *
 * <h2>Theory of operation</h2>
 * <pre>
 *   CONNECTING --onOpen--&gt; [PROXY --tunnel open--&gt; [TUNNEL_TLS]] --&gt; HANDSHAKE --101 valid--&gt; OPEN
 *        \                    \                     \                      \                      |
 *         +--------------------+---------------------+----------------------+-- failure, timeout,  |
 *                                                                                 user abort --&gt; DONE &lt;-- core Closed
 * </pre>
 * <ul>
 *   <li>The phases and the core {@link WebSocketConnection} are confined to the connection's loop. Before
 *       a connection exists (DNS on a virtual thread, TCP connect in the transport), the only shared state
 *       is {@link #finished}: whoever sets it first reports {@link SessionSink#closed}, exactly once.</li>
 *   <li>Application calls (send, close, abort) from any thread go into one queue drained on the loop, so
 *       their order is kept across threads.</li>
 *   <li>Handshake failures are the standard's "fail the WebSocket connection": the TCP connection is
 *       aborted and nothing is sent (RFC 6455 4.1). The response is validated by the core: status 101 (so
 *       redirects are not followed), Upgrade, Connection, Sec-WebSocket-Accept, a subprotocol among those
 *       offered, extensions among those offered.</li>
 *   <li>Closing: the client waits for the server to close TCP after the closing handshake (RFC 6455
 *       7.1.1) under a close timer, then aborts.</li>
 *   <li>Receive backpressure: message bytes reported and not yet dispatched are counted; above the bound
 *       reading pauses, and resumes at half of it.</li>
 *   <li>bufferedAmount: each send's application bytes are released to the sink once the transport has
 *       handed the frame to the kernel (its pending-write count has dropped past the frame's end).</li>
 * </ul>
 *
 * <p>Threading: the public methods are safe from any thread; the rest runs on the connection's loop.
 */
public final class ClientSession implements ConnectionHandler {

    private enum Phase { CONNECTING, PROXY, TUNNEL_TLS, HANDSHAKE, OPEN, DONE }

    /** An application call, run on the loop. */
    private sealed interface Command {
        record SendText(ByteBuffer utf8, long size) implements Command {}
        record SendBinary(ByteBuffer data, long size) implements Command {}
        record Close(int code, String reason) implements Command {}
        record Abort(String detail) implements Command {}
    }

    private final ClientSettings settings;
    private final SessionSink sink;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Command> commands = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicLong undispatched = new AtomicLong();
    private volatile Connection connection;
    private volatile boolean readingPaused;

    // Confined to the loop.
    private Phase phase = Phase.CONNECTING;
    private ProxyTunnel tunnel;
    private ClientHandshake handshake;
    private HttpHeadParser<HttpResponseHead> responseParser;
    private WebSocketConnection ws;
    private Timeout handshakeTimer;
    private Timeout closeTimer;
    private TunnelTls tunnelTls; // wss through a proxy: TLS inside the tunnel
    private boolean failed;
    private String failDetail;
    private Throwable failCause;
    private String endDetail;
    private Throwable endCause;
    private long wireWritten;
    private final ArrayDeque<long[]> inFlight = new ArrayDeque<>(); // {wire end offset, application bytes}

    /**
     * @param settings what to connect to and how
     * @param sink where to report
     */
    public ClientSession(ClientSettings settings, SessionSink sink) {
        this.settings = settings;
        this.sink = sink;
    }

    // ---------------------------------------------------------------- application side, any thread

    /** Starts connecting: DNS on a virtual thread (it blocks), then TCP through the connector. */
    public void start() {
        Thread.ofVirtual().name("duplex-ws-connect").start(this::resolveAndConnect);
    }

    /**
     * Queues a text message.
     *
     * @param utf8 the message, encoded (lone surrogates already replaced); owned by the session from now on
     * @param size its UTF-8 size, released through {@link SessionSink#sent} once handed to the network
     */
    public void sendText(ByteBuffer utf8, long size) {
        submit(new Command.SendText(utf8, size));
    }

    /**
     * Queues a binary message.
     *
     * @param data the bytes, owned by the session from now on
     * @param size their count
     */
    public void sendBinary(ByteBuffer data, long size) {
        submit(new Command.SendBinary(data, size));
    }

    /**
     * Starts the closing handshake.
     *
     * @param code the code, or -1 to send an empty close frame (the server reports 1005)
     * @param reason the reason, or null
     */
    public void close(int code, String reason) {
        submit(new Command.Close(code, reason));
    }

    /**
     * Fails the connection (the standard's "fail the WebSocket connection"): error then close 1006.
     *
     * @param detail why, for the close event's detail
     */
    public void abort(String detail) {
        if (connection == null) {
            // No connection yet: report now; onOpen or the connect future will abort what comes later.
            finish(true, CloseStatus.ABNORMAL_CLOSURE, "", false, detail, null);
        }
        submit(new Command.Abort(detail));
    }

    /**
     * A message reported through {@link SessionSink#message} was dispatched or dropped.
     *
     * @param size the size reported with it
     */
    public void consumed(long size) {
        long now = undispatched.addAndGet(-size);
        Connection c = connection;
        if (readingPaused && now <= settings.maxUndispatchedBytes() / 2 && c != null) {
            execute(c, () -> {
                if (readingPaused && undispatched.get() <= settings.maxUndispatchedBytes() / 2) {
                    readingPaused = false;
                    c.resumeReading();
                }
            });
        }
    }

    private void submit(Command command) {
        commands.add(command);
        scheduleDrain();
    }

    private void scheduleDrain() {
        Connection c = connection;
        if (c != null && drainScheduled.compareAndSet(false, true)) {
            execute(c, this::drain);
        }
    }

    private void execute(Connection c, Runnable task) {
        try {
            c.loop().execute(task);
        } catch (RejectedExecutionException e) {
            finish(true, CloseStatus.ABNORMAL_CLOSURE, "", false, "the event loop has shut down", e);
        }
    }

    // ---------------------------------------------------------------- connecting

    private void resolveAndConnect() {
        WebSocketUrl url = settings.url();
        String target = settings.proxy() != null ? settings.proxy().host() : url.hostForConnect();
        int port = settings.proxy() != null ? settings.proxy().port() : url.effectivePort();
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(target);
        } catch (UnknownHostException e) {
            finish(true, CloseStatus.ABNORMAL_CLOSURE, "", false, "cannot resolve host " + target, e);
            return;
        }
        ConnectOptions options = ConnectOptions.of(new InetSocketAddress(addresses[0], port))
                .withConnectTimeout(settings.connectTimeout());
        if (url.secure() && settings.proxy() == null) {
            TlsConfig tls = settings.sslContext() == null ? TlsConfig.client(url.hostForConnect())
                    : TlsConfig.client(settings.sslContext(), url.hostForConnect());
            options = options.withTls(tls.withHostnameVerification(settings.hostnameVerification()));
        }
        connect(options, addresses, 0, port);
    }

    /** Tries the addresses in turn until one connects. */
    private void connect(ConnectOptions options, InetAddress[] addresses, int index, int port) {
        if (finished.get()) {
            return;
        }
        ConnectOptions attempt = new ConnectOptions(new InetSocketAddress(addresses[index], port), options.tls(),
                options.connectTimeout());
        CompletableFuture<Connection> future;
        try {
            future = settings.connector().connect(attempt, this);
        } catch (RuntimeException e) {
            // e.g. a group that has been shut down: nothing will ever call back, so report now
            finish(true, CloseStatus.ABNORMAL_CLOSURE, "", false, "cannot start connecting: " + e, e);
            return;
        }
        future.whenComplete((c, error) -> {
            if (error == null) {
                return; // onOpen has run
            }
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (index + 1 < addresses.length && cause instanceof ConnectException) {
                connect(options, addresses, index + 1, port);
                return;
            }
            finish(true, CloseStatus.ABNORMAL_CLOSURE, "", false, describe(cause, attempt), cause);
        });
    }

    @Override
    public void onOpen(Connection c) {
        if (finished.get()) {
            c.abort(); // aborted by the application while connecting
            return;
        }
        connection = c;
        handshakeTimer = c.loop().schedule(() -> failOpening("opening handshake not complete within "
                + settings.connectTimeout().toMillis() + " ms", new TimeoutException()), settings.connectTimeout());
        if (settings.proxy() != null) {
            phase = Phase.PROXY;
            WebSocketUrl url = settings.url();
            tunnel = new ProxyTunnel(settings.proxy(), url.hostForConnect(), url.effectivePort(), settings.limits());
            out(tunnel.start());
            c.flush();
        } else {
            beginHandshake();
        }
        scheduleDrain();
    }

    private void beginHandshake() {
        WebSocketUrl url = settings.url();
        ClientHandshake.Builder b = ClientHandshake.builder().host(url.host()).secure(url.secure())
                .resource(url.resourceName()).origin(settings.origin()).subprotocols(settings.protocols());
        if (url.port() != -1) {
            b.port(url.port());
        }
        settings.headers().forEach(f -> b.header(f.name(), f.value()));
        handshake = b.build();
        responseParser = HttpHeadParser.forResponses(settings.limits());
        phase = Phase.HANDSHAKE;
        out(handshake.request());
        connection.flush();
    }

    @Override
    public void onData(Connection c, ByteBuffer data) {
        try {
            if (phase == Phase.PROXY) {
                ProxyTunnel.Step step = tunnel.receive(data);
                if (step.send() != null) {
                    out(step.send());
                    c.flush();
                }
                if (step.open()) {
                    if (settings.url().secure()) {
                        startTunnelTls();
                    } else {
                        beginHandshake();
                    }
                }
            }
            if (tunnelTls != null && data.hasRemaining() && phase != Phase.DONE) {
                TunnelTls.Result result = tunnelTls.receive(data);
                if (result.send().hasRemaining()) {
                    wireWritten += result.send().remaining();
                    c.write(result.send());
                    c.flush();
                }
                if (phase == Phase.TUNNEL_TLS && tunnelTls.handshakeDone()) {
                    beginHandshake();
                }
                data.position(data.limit());
                data = result.application();
            }
            if (phase == Phase.HANDSHAKE && data.hasRemaining()) {
                Optional<HttpResponseHead> head = responseParser.parse(data);
                if (head.isPresent()) {
                    opened(head.get());
                }
            }
            if (phase == Phase.OPEN && data.hasRemaining()) {
                ws.receive(data);
                pump();
            }
        } catch (HandshakeException e) {
            failOpening("handshake rejected: " + e.getMessage(), e);
        } catch (SSLException e) {
            if (phase == Phase.OPEN) {
                endDetail = "TLS failure: " + e.getMessage();
                endCause = e;
                c.abort();
            } else {
                failOpening("TLS failure: " + e.getMessage(), e);
            }
        } catch (IOException e) {
            failOpening(e.getMessage(), e);
        }
        data.position(data.limit());
    }

    private void startTunnelTls() throws SSLException {
        WebSocketUrl url = settings.url();
        TlsConfig config = settings.sslContext() == null ? TlsConfig.client(url.hostForConnect())
                : TlsConfig.client(settings.sslContext(), url.hostForConnect());
        tunnelTls = new TunnelTls(config.withHostnameVerification(settings.hostnameVerification())
                .newEngine(url.effectivePort()));
        phase = Phase.TUNNEL_TLS;
        ByteBuffer hello = tunnelTls.begin();
        wireWritten += hello.remaining();
        connection.write(hello);
        connection.flush();
    }

    /** Writes bytes of the WebSocket stream, through the tunnel's TLS when there is one. */
    private void out(ByteBuffer bytes) {
        ByteBuffer wire = bytes;
        if (tunnelTls != null) {
            try {
                wire = tunnelTls.wrap(bytes);
            } catch (SSLException e) {
                endDetail = "TLS failure: " + e.getMessage();
                endCause = e;
                connection.abort();
                return;
            }
        }
        wireWritten += wire.remaining();
        connection.write(wire);
    }

    /** Closes TCP after what is queued, with a TLS close_notify first inside a tunnel. */
    private void closeGracefully() {
        if (tunnelTls != null) {
            ByteBuffer alert = tunnelTls.closeNotify();
            wireWritten += alert.remaining();
            connection.write(alert);
        }
        connection.close();
    }

    private void opened(HttpResponseHead head) throws HandshakeException {
        ClientHandshake.Result result = handshake.validateResponse(head);
        handshakeTimer.cancel();
        ws = WebSocketConnection.builder(Role.CLIENT).limits(settings.limits()).extensions(result.extensions()).build();
        phase = Phase.OPEN;
        String extensions = result.extensions().isEmpty() ? ""
                : String.join(", ", head.headers().all("Sec-WebSocket-Extensions"));
        sink.opened(result.subprotocol(), extensions);
    }

    /** Fails before OPEN: RFC 6455 4.1, the client closes the connection and reports failure. */
    private void failOpening(String detail, Throwable cause) {
        if (phase == Phase.DONE) {
            return;
        }
        phase = Phase.DONE;
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        connection.abort();
        finish(true, CloseStatus.ABNORMAL_CLOSURE, "", false, detail, cause);
    }

    // ---------------------------------------------------------------- open

    private void drain() {
        drainScheduled.set(false);
        for (Command command; (command = commands.poll()) != null; ) {
            switch (command) {
                case Command.SendText t -> send(t.size(), () -> ws.sendText(t.utf8()));
                case Command.SendBinary b -> send(b.size(), () -> ws.sendBinary(b.data()));
                case Command.Close cl -> {
                    if (phase == Phase.OPEN) {
                        if (cl.code() < 0) {
                            ws.close();
                        } else {
                            ws.close(new CloseStatus(cl.code(), cl.reason() == null ? "" : cl.reason()));
                        }
                    }
                }
                case Command.Abort a -> {
                    if (phase == Phase.OPEN) {
                        failed = true;
                        failDetail = a.detail();
                        phase = Phase.DONE;
                        connection.abort();
                        finish(true, CloseStatus.ABNORMAL_CLOSURE, "", false, a.detail(), null);
                    } else if (phase != Phase.DONE && phase != Phase.CONNECTING) {
                        failOpening(a.detail(), null);
                    }
                }
            }
        }
        if (phase == Phase.OPEN) {
            pump();
        }
    }

    private void send(long size, Runnable call) {
        if (phase != Phase.OPEN) {
            return; // the bytes stay in bufferedAmount, as after close (WebSockets Standard, send())
        }
        try {
            call.run();
        } catch (WebSocketStateException e) {
            return; // close() was queued first: this message is not sent and stays counted
        }
        for (ByteBuffer frame; (frame = ws.pollOutput()) != null; ) {
            out(frame);
        }
        inFlight.add(new long[] {wireWritten, size}); // flushed once the whole batch is written, by pump()
    }

    /** Drains the core's events and output, then applies its signals to the transport. */
    private void pump() {
        for (Event e; (e = ws.pollEvent()) != null; ) {
            switch (e) {
                case Event.Text t -> deliver(t.text(), null, t.text().length());
                case Event.Binary b -> deliver(null, b.data(), b.data().remaining());
                case Event.Ping p -> { }
                case Event.Pong p -> { }
                case Event.Fragment f -> { }
                case Event.CloseReceived r -> sink.closing();
                case Event.Failure f -> {
                    failed = true;
                    failDetail = "protocol error: " + f.cause().getMessage() + " (sent close code "
                            + f.cause().closeCode() + ")";
                    failCause = f.cause();
                }
                case Event.Closed c -> closed(c);
            }
        }
        if (phase == Phase.DONE) {
            return;
        }
        writeOutput();
        if (ws.transportShouldClose()) {
            closeGracefully();
        }
        if (ws.closeExpected() && closeTimer == null) {
            closeTimer = connection.loop().schedule(() -> {
                endDetail = "the server did not close the connection within " + settings.closeTimeout().toMillis()
                        + " ms of the close frame";
                connection.abort();
            }, settings.closeTimeout());
        }
    }

    private void writeOutput() {
        for (ByteBuffer frame; (frame = ws.pollOutput()) != null; ) {
            out(frame);
        }
        connection.flush();
        releaseSent();
    }

    private void releaseSent() {
        long handed = wireWritten - connection.pendingWriteBytes();
        long released = 0;
        while (!inFlight.isEmpty() && inFlight.peek()[0] <= handed) {
            released += inFlight.poll()[1];
        }
        if (released > 0) {
            sink.sent(released);
        }
    }

    @Override
    public void onWritable(Connection c) {
        if (phase == Phase.OPEN) {
            releaseSent();
        }
    }

    private void deliver(String text, ByteBuffer binary, long size) {
        long now = undispatched.addAndGet(size);
        sink.message(text, binary, size);
        if (now > settings.maxUndispatchedBytes() && !readingPaused) {
            readingPaused = true;
            connection.pauseReading();
        }
    }

    private void closed(Event.Closed c) {
        phase = Phase.DONE;
        if (closeTimer != null) {
            closeTimer.cancel();
        }
        if (failed) {
            // WebSockets Standard: a failed connection reports 1006 whatever code the close frame carried
            finish(true, CloseStatus.ABNORMAL_CLOSURE, "", false, failDetail, failCause);
        } else if (c.status().code() == CloseStatus.ABNORMAL_CLOSURE) {
            String detail = endDetail != null ? endDetail : "the connection ended without a close frame";
            finish(false, CloseStatus.ABNORMAL_CLOSURE, "", false, detail, endCause);
        } else {
            finish(false, c.status().code(), c.status().reason(), c.wasClean(),
                    c.wasClean() ? "" : "the connection ended before the closing handshake completed", null);
        }
    }

    @Override
    public void onEndOfInput(Connection c) {
        if (phase == Phase.OPEN) {
            closeGracefully();
        } else {
            c.close();
        }
    }

    @Override
    public void onClosed(Connection c, Throwable cause) {
        switch (phase) {
            case CONNECTING, DONE -> { } // before onOpen the connect future reports; after DONE, nothing
            case PROXY, TUNNEL_TLS, HANDSHAKE -> {
                phase = Phase.DONE;
                handshakeTimer.cancel();
                finish(true, CloseStatus.ABNORMAL_CLOSURE, "", false, cause == null
                        ? "the server closed the connection during the opening handshake"
                        : describe(cause, null), cause);
            }
            case OPEN -> {
                if (cause != null && endDetail == null) {
                    // A connection lost after opening (reset, EOF) is not "fail the WebSocket connection":
                    // close 1006 without an error event, as browsers report it; the detail says why.
                    endDetail = "the connection broke: " + describe(cause, null);
                    endCause = cause;
                }
                ws.receiveEof();
                pump();
            }
        }
    }

    private void finish(boolean isFailure, int code, String reason, boolean wasClean, String detail, Throwable cause) {
        if (finished.compareAndSet(false, true)) {
            sink.closed(isFailure, code, reason, wasClean, detail == null ? "" : detail, cause);
        }
    }

    private static String describe(Throwable cause, ConnectOptions options) {
        String where = options == null ? "" : " to " + options.remote();
        return switch (cause) {
            case ConnectException e -> "connection refused" + where + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
            case TimeoutException e -> "connect timed out" + where;
            case java.net.SocketTimeoutException e -> "connect timed out" + where;
            case SSLException e -> "TLS failure: " + e.getMessage();
            case UnresolvedAddressException e -> "cannot resolve" + where;
            case IOException e -> e.getMessage() == null ? e.toString() : e.getMessage();
            default -> cause.toString();
        };
    }
}
