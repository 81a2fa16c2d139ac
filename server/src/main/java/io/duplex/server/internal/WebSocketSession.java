package io.duplex.server.internal;

import io.duplex.core.CloseStatus;
import io.duplex.core.Event;
import io.duplex.core.ProtocolException;
import io.duplex.core.Utf8;
import io.duplex.core.WebSocketConnection;
import io.duplex.server.internal.Callbacks.Kind;
import io.duplex.server.BackpressurePolicy;
import io.duplex.server.CloseCause;
import io.duplex.server.CloseInfo;
import io.duplex.server.HandlerExecution;
import io.duplex.server.PreparedMessage;
import io.duplex.server.SendStatus;
import io.duplex.server.ServerWebSocket;
import io.duplex.transport.Connection;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The WebSocket phase of a connection: the bridge between a core {@link WebSocketConnection}, the
 * transport's {@link Connection} and the route's {@link WebSocketHandler}, and the {@link ServerWebSocket}
 * the application holds. It extends {@link ServerConnection} (the opening handshake) so that a connection is
 * one object from accept to close; its fields are set at the upgrade. Anything not needed by an idle socket
 * is made on first use: the {@link SendLedger} (first send), the {@link Handover} (first call from another
 * thread), the {@link CloseReport} (when the end begins); the loop's keepalive sweep ({@link KeepAlive})
 * replaces a timer per socket.
 *
 * <h2>Theory of operation</h2>
 * <pre>
 *   OPEN --close()/timeout/stop/backpressure/handler failure: close frame sent--&gt; CLOSING
 *   OPEN --peer's close frame (echo sent) or protocol failure (close frame sent)--&gt; CLOSING
 *   CLOSING --core's Closed event (after TCP end, close timer, or terminate())--&gt; FINISHED (onClose once)
 * </pre>
 * <ul>
 *   <li><b>Inbound.</b> Bytes go to the core; its events become handler callbacks, run inline on the loop
 *       or queued to a {@link SerialExecutor} ({@link HandlerExecution#VIRTUAL_THREAD}).</li>
 *   <li><b>Outbound.</b> Every core call is followed by moving the core's output to the connection. Calls
 *       made on the loop act at once; calls from other threads go through a {@link Handover} in order. A
 *       send's status is decided at call time by the {@link SendLedger}.</li>
 *   <li><b>Flushing.</b> Work the loop does for this socket (a read, a burst of handed-over calls, a timer)
 *       runs as one batch; its writes are flushed once at the end and the ledger reconciled against what the
 *       connection still holds. A loop-thread send outside a batch schedules one such flush.</li>
 *   <li><b>Closing.</b> The core's signals drive TCP (RFC 6455 7.1.1: the server closes TCP first):
 *       {@code closeExpected}/{@code transportShouldClose} arm the close timer, {@code transportShouldClose}
 *       closes the connection after flushing. End of TCP, the close timer and terminate() all end in
 *       {@code receiveEof()}, whose Closed event is turned into the one {@link CloseInfo}.</li>
 * </ul>
 *
 * <p>Threading: the {@link ServerWebSocket} methods are safe from any thread; everything else runs on
 * the connection's loop.
 */
final class WebSocketSession extends ServerConnection implements ServerWebSocket, SerialExecutor.Flow {

    private static final System.Logger LOG = System.getLogger(WebSocketSession.class.getName());
    private static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0).asReadOnlyBuffer();
    private static final VarHandle LEDGER;
    private static final VarHandle HANDOVER;

    static {
        try {
            LEDGER = MethodHandles.lookup().findVarHandle(WebSocketSession.class, "ledger", SendLedger.class);
            HANDOVER = MethodHandles.lookup().findVarHandle(WebSocketSession.class, "handover", Handover.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Set once at the upgrade, on the loop, before the application can see this socket (it receives it in
    // onOpen, which runs after; handing it to other threads publishes these with it).
    private WebSocketConnection core;
    private RouteConfig route;
    private String path;
    private String query;
    private String subprotocol;
    private Object userData;
    private SerialExecutor executor;
    /** Created by the first send (from any thread), so a socket that never sends holds none. */
    private volatile SendLedger ledger;
    /** Created by the first call from another thread. */
    private volatile Handover handover;

    private volatile boolean open;
    // Loop-confined state.
    private long wireQueued;
    private int batchDepth;
    /** Keepalive sweeps since something was last received ({@link KeepAlive}). */
    private int silentSweeps;
    private boolean dirty;
    private boolean flushScheduled;
    private boolean userPaused;
    private boolean executorPaused;
    private boolean tcpCloseRequested;
    private boolean finished;
    /** How the socket is ending: created when its end begins. */
    private CloseReport ending;

    WebSocketSession(ServerRuntime runtime, boolean secure) {
        super(runtime, secure);
    }

    @Override
    void upgraded(RouteConfig route, WebSocketConnection core, RequestView request, String subprotocol,
                  Object userData, SerialExecutor executor, long wireAlreadyQueued, ByteBuffer leftover) {
        this.core = core;
        this.route = route;
        String requested = request.path();
        this.path = requested.equals(route.path()) ? route.path() : runtime.sharedPath(requested);
        this.query = request.query();
        this.subprotocol = subprotocol;
        this.userData = userData;
        this.executor = executor;
        // The 101 went to the connection before the WebSocket phase: count it as written wire bytes, so that
        // the ledger's arithmetic (total - pending) starts right.
        this.wireQueued = wireAlreadyQueued;
        this.dirty = wireAlreadyQueued > 0;
        this.open = true;
        enter();
        deliver(h -> h.onOpen(this), Kind.EVENT, 0);
        if (leftover != null && leftover.hasRemaining()) {
            receiveInBatch(leftover);
        }
        exit();
    }

    @Override
    SerialExecutor newExecutor(RouteConfig route) {
        return new SerialExecutor("duplex-handler " + route.path(), this);
    }

    // ---------------------------------------------------------------- from the transport (on the loop)

    @Override
    void receive(ByteBuffer data) {
        enter();
        receiveInBatch(data);
        exit();
    }

    private void receiveInBatch(ByteBuffer data) {
        silentSweeps = 0;
        core.receive(data);
        pump();
    }

    @Override
    void writable() {
        reconcile();
    }

    @Override
    void endOfInput() {
        endOfStream();
        requestTcpClose();
    }

    @Override
    void transportClosed(Throwable cause) {
        if (cause != null && !terminated() && !finished && core.closeReceived() == null && failure() == null) {
            deliver(h -> h.onError(this, cause), Kind.ERROR, 0);
        }
        endOfStream();
        SendLedger l = ledger;
        if (l != null) {
            l.clear();
        }
        cancelCloseTimer();
    }

    @Override
    void closeForStop() {
        enter();
        runPendingHandovers();
        startClose(new CloseStatus(CloseStatus.GOING_AWAY, "server stopping"), CloseCause.SERVER_STOPPING);
        exit();
    }

    // ---------------------------------------------------------------- the core's events and output

    private void pump() {
        for (Event event; (event = core.pollEvent()) != null; ) {
            onEvent(event);
        }
        drainOutput();
        if (core.state() != WebSocketConnection.State.OPEN) {
            open = false;
        }
        if (!tcpClosed() && (core.closeExpected() || core.transportShouldClose())) {
            armCloseTimer();
        }
        if (core.transportShouldClose()) {
            requestTcpClose();
        }
    }

    private void onEvent(Event event) {
        if (terminated() && !(event instanceof Event.Closed)) {
            return; // terminate() drops what was still queued
        }
        switch (event) {
            case Event.Text t -> Callbacks.text(this, t.text());
            case Event.Binary b -> Callbacks.binary(this, b.data());
            case Event.Fragment f -> deliver(h -> h.onFragment(this, f.type(), f.payload(), f.last()),
                    Kind.EVENT, f.payload().remaining());
            case Event.Ping p -> deliver(h -> h.onPing(this, p.payload()), Kind.EVENT, 0);
            case Event.Pong p -> deliver(h -> h.onPong(this, p.payload()), Kind.EVENT, 0);
            case Event.CloseReceived c -> open = false;
            case Event.Failure f -> {
                open = false;
                ending().failure = f.cause();
                LOG.log(Level.DEBUG, () -> this + " failed: " + f.cause().getMessage());
                deliver(h -> h.onError(this, f.cause()), Kind.ERROR, 0);
            }
            case Event.Closed c -> finish(c);
        }
    }

    private void drainOutput() {
        for (ByteBuffer out; (out = core.pollOutput()) != null; ) {
            wireQueued += out.remaining();
            connection.write(out);
            dirty = true;
        }
    }

    private void finish(Event.Closed closed) {
        if (finished) {
            return;
        }
        finished = true;
        open = false;
        cancelCloseTimer();
        CloseInfo info = ending == null ? CloseReport.of(closed) : ending.toInfo(closed);
        LOG.log(Level.DEBUG, () -> this + " closed: " + info);
        runtime.socketClosed();
        deliver(h -> h.onClose(this, info), Kind.CLOSE, 0);
        Callbacks.after(executor, this::release);
    }

    // ---------------------------------------------------------------- closing and timers (on the loop)

    /** Counts a silent period, pings or closes as {@link KeepAlive} says. */
    @Override
    void keepAliveSweep(KeepAlive keepAlive) {
        SendLedger l = ledger;
        if (l != null) {
            l.trim(); // an empty ring goes; one still in flight stays
        }
        if (core.state() != WebSocketConnection.State.OPEN) {
            return;
        }
        int silent = silentSweeps == Integer.MAX_VALUE ? silentSweeps : ++silentSweeps;
        if (silent >= 2) {
            core.trim(); // nothing received for a whole period: the core's empty queues go
        }
        KeepAlive.Verdict verdict = keepAlive.check(silent, route);
        switch (verdict) {
            case NONE -> { }
            case PING -> {
                enter();
                core.sendPing(NO_BYTES);
                drainOutput();
                exit();
            }
            case IDLE_TIMEOUT, PONG_TIMEOUT -> {
                LOG.log(Level.DEBUG, () -> "closing " + this + ": " + keepAlive.describe(verdict, silent, route));
                enter();
                startClose(new CloseStatus(CloseStatus.GOING_AWAY, "timeout"), CloseCause.TIMEOUT);
                exit();
            }
        }
    }

    private void startClose(CloseStatus status, CloseCause cause) {
        if (core.state() != WebSocketConnection.State.OPEN) {
            return;
        }
        CloseReport e = ending();
        e.localCause = cause;
        e.sentStatus = status;
        core.close(status);
        pump();
    }

    private void requestTcpClose() {
        if (!tcpCloseRequested && !tcpClosed()) {
            tcpCloseRequested = true;
            connection.close(); // writes what is queued first
        }
    }

    private void armCloseTimer() {
        CloseReport e = ending();
        if (e.closeTimer == null && !finished) {
            e.closeTimer = connection.loop().schedule(this::closeTimerFired, runtime.config().closeTimeout());
        }
    }

    private void cancelCloseTimer() {
        if (ending != null && ending.closeTimer != null) {
            ending.closeTimer.cancel();
        }
    }

    private void closeTimerFired() {
        if (finished) {
            return;
        }
        // A completed closing handshake still flushing to a slow reader is not a timeout of the handshake.
        ending.closeTimedOut = core.closeReceived() == null || ending.failure != null;
        LOG.log(Level.DEBUG, () -> this + ": close timeout of " + runtime.config().closeTimeout().toMillis()
                + " ms, aborting");
        connection.abort();
        endOfStream();
    }

    private void doTerminate() {
        if (finished) {
            return;
        }
        ending().terminated = true;
        connection.abort();
        endOfStream();
    }

    private CloseReport ending() {
        if (ending == null) {
            ending = new CloseReport();
        }
        return ending;
    }

    private boolean terminated() {
        return ending != null && ending.terminated;
    }

    private ProtocolException failure() {
        return ending == null ? null : ending.failure;
    }

    // ---------------------------------------------------------------- batches, flushing, accounting

    private void enter() {
        batchDepth++;
    }

    private void exit() {
        if (--batchDepth == 0 && dirty) {
            flushAndReconcile();
        }
    }

    /** The TCP connection is over (or treated as over): the core's last events, in one batch. */
    private void endOfStream() {
        enter();
        core.receiveEof();
        pump();
        exit();
    }

    private void runHandedOver() {
        enter();
        runPendingHandovers();
        exit();
    }

    private void runPendingHandovers() {
        Handover h = handover;
        if (h != null) {
            h.runPending();
        }
    }

    /** Queues {@code operation} for the loop, from another thread. */
    private void handOver(Runnable operation) {
        Handover h = handover;
        if (h == null) {
            h = (Handover) install(HANDOVER, new Handover(connection.loop(), this::runHandedOver));
        }
        h.submit(operation);
    }

    private void flushAndReconcile() {
        dirty = false;
        if (!tcpCloseRequested && !tcpClosed()) {
            connection.flush();
        }
        reconcile();
    }

    private void reconcile() {
        SendLedger l = ledger;
        if (l != null && l.reconcile(wireQueued - connection.pendingWriteBytes()) && !finished) {
            deliver(h -> h.onDrain(this), Kind.EVENT, 0);
        }
    }

    /** Runs an application call on the loop: now if this is the loop thread, else handed over in order. */
    private void onLoop(Runnable operation) {
        if (!connection.loop().inEventLoop()) {
            handOver(operation);
            return;
        }
        beforeLoopCall();
        operation.run();
        afterLoopCall();
    }

    /** An application call on the loop must not overtake calls other threads made before it. */
    private void beforeLoopCall() {
        Handover h = handover;
        if (h != null && h.hasPending()) {
            h.runPending();
        }
    }

    private void afterLoopCall() {
        if (batchDepth == 0 && dirty && !flushScheduled) {
            // Outside our own batches (a send from another socket's callback, or an application timer):
            // flush once at the end of this loop turn, so a burst of sends shares one write.
            flushScheduled = true;
            ServerRuntime.execute(connection.loop(), () -> {
                flushScheduled = false;
                if (dirty) {
                    flushAndReconcile();
                }
            });
        }
    }

    // ---------------------------------------------------------------- handler callbacks

    private void deliver(Callbacks.Callback callback, Callbacks.Kind kind, long bytes) {
        Callbacks.deliver(this, callback, kind, bytes);
    }

    RouteConfig route() {
        return route;
    }

    SerialExecutor executor() {
        return executor;
    }

    /** A callback threw: onError, then close with 1011 (on the callback's thread). */
    void handlerFailed(Throwable t) {
        Callbacks.invoke(this, h -> h.onError(this, t), Kind.ERROR);
        open = false;
        onLoop(() -> startClose(new CloseStatus(CloseStatus.INTERNAL_ERROR, "internal error"), CloseCause.INTERNAL_ERROR));
    }

    /** The serial executor has too much queued: stop reading. On the loop (it submits there). */
    @Override
    public void backlogHigh() {
        executorPaused = true;
        applyReading();
    }

    /** The serial executor has drained after a pause. From its virtual thread. */
    @Override
    public void backlogDrained() {
        handOver(() -> {
            if (!executor.paused()) { // a new pause since then wins
                executorPaused = false;
                applyReading();
            }
        });
    }

    private void applyReading() {
        if (tcpClosed()) {
            return;
        }
        if (userPaused || executorPaused) {
            connection.pauseReading();
        } else {
            connection.resumeReading();
        }
    }

    // ---------------------------------------------------------------- ServerWebSocket

    /** What a data send hands to the core. */
    private enum Outbound { TEXT, BINARY, PREPARED }

    @Override
    public SendStatus sendText(CharSequence text) {
        Objects.requireNonNull(text, "text");
        // Encoded here, on the caller's thread, once: the ledger needs the length now, and the loop then only
        // frames the bytes. A snapshot of the text at call time.
        byte[] utf8 = Utf8.encode(text.toString());
        return send(Outbound.TEXT, ByteBuffer.wrap(utf8), utf8.length);
    }

    @Override
    public SendStatus sendBinary(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        return send(Outbound.BINARY, data, data.remaining());
    }

    @Override
    public SendStatus sendBinary(byte[] data) {
        return sendBinary(ByteBuffer.wrap(data));
    }

    @Override
    public SendStatus send(PreparedMessage message) {
        Objects.requireNonNull(message, "message");
        return send(Outbound.PREPARED, runtime.config().preparedFrames().apply(message), message.payloadLength());
    }

    /**
     * A data message of {@code size} payload bytes: admitted by the ledger at call time, then written at once
     * on the loop thread, or handed over to the loop in call order. No lambda on the loop's own path.
     */
    private SendStatus send(Outbound kind, ByteBuffer payload, long size) {
        if (!open) {
            return SendStatus.DROPPED;
        }
        SendStatus status = admit(size).status();
        if (status == SendStatus.DROPPED) {
            return status;
        }
        if (connection.loop().inEventLoop()) {
            beforeLoopCall();
            write(kind, payload, size);
            afterLoopCall();
        } else {
            // The core copies while framing; only a hand-over needs a copy, as the caller keeps its buffer.
            ByteBuffer message = kind == Outbound.BINARY ? copy(payload) : payload;
            handOver(() -> write(kind, message, size));
        }
        return status;
    }

    /** On the loop: frames an admitted message, unless the socket can no longer send. */
    private void write(Outbound kind, ByteBuffer payload, long size) {
        if (!writable(size)) {
            return;
        }
        switch (kind) {
            case TEXT -> core.sendText(payload);
            case BINARY -> core.sendBinary(payload);
            case PREPARED -> core.sendPreEncoded(payload);
        }
        queued(size);
    }

    @Override
    public SendStatus sendPing(ByteBuffer applicationData) {
        if (applicationData.remaining() > 125) {
            throw new IllegalArgumentException("ping payload of " + applicationData.remaining()
                    + " bytes exceeds 125 (RFC 6455 5.5)");
        }
        if (!open) {
            return SendStatus.DROPPED;
        }
        ByteBuffer payload = copy(applicationData);
        onLoop(() -> {
            if (core.state() == WebSocketConnection.State.OPEN) {
                core.sendPing(payload);
                drainOutput();
            }
        });
        SendLedger l = ledger;
        return l != null && l.overLimit() ? SendStatus.BACKPRESSURE : SendStatus.SUCCESS;
    }

    private SendLedger.Admission admit(long size) {
        SendLedger.Admission admission = ledger().admit(size);
        if (admission == SendLedger.Admission.DROP_AND_CLOSE) {
            int code = route.backpressurePolicy() == BackpressurePolicy.CLOSE_POLICY_VIOLATION
                    ? CloseStatus.POLICY_VIOLATION : CloseStatus.TRY_AGAIN_LATER;
            open = false;
            onLoop(() -> startClose(new CloseStatus(code, "backpressure"), CloseCause.BACKPRESSURE));
        }
        return admission;
    }

    /** On the loop: whether an admitted message can still go out; if not, it leaves the ledger. */
    private boolean writable(long size) {
        if (core.state() == WebSocketConnection.State.OPEN) {
            return true;
        }
        if (ledger().cancel(size) && !finished) {
            deliver(h -> h.onDrain(this), Kind.EVENT, 0);
        }
        return false;
    }

    private void queued(long size) {
        drainOutput();
        ledger().queued(wireQueued, size);
    }

    private SendLedger ledger() {
        SendLedger l = ledger;
        return l != null ? l : (SendLedger) install(LEDGER, new SendLedger(route.backpressureLimit(),
                route.backpressurePolicy()));
    }

    /** Sets a field made on first use from any thread: {@code fresh}, unless another thread's won the race. */
    private Object install(VarHandle field, Object fresh) {
        Object won = field.compareAndExchange(this, null, fresh);
        return won != null ? won : fresh;
    }

    private static ByteBuffer copy(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(0, data, data.position(), data.remaining());
        return copy;
    }

    @Override
    public long bufferedAmount() {
        SendLedger l = ledger;
        return l == null ? 0 : l.bufferedAmount();
    }

    @Override
    public void close() {
        close(CloseStatus.NORMAL_CLOSURE, "");
    }

    @Override
    public void close(int code, String reason) {
        CloseStatus status = new CloseStatus(code, reason == null ? "" : reason); // range and reason length
        if (!CloseStatus.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent (RFC 6455 7.4.1, 7.4.2)");
        }
        open = false;
        onLoop(() -> startClose(status, CloseCause.CLEAN));
    }

    @Override
    public void terminate() {
        open = false;
        onLoop(this::doTerminate);
    }

    @Override
    void abortForStop() {
        terminate();
    }

    @Override
    public void pauseReading() {
        onLoop(() -> {
            userPaused = true;
            applyReading();
        });
    }

    @Override
    public void resumeReading() {
        onLoop(() -> {
            userPaused = false;
            applyReading();
        });
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String query() {
        return query;
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public SocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public Object userData() {
        return userData;
    }

    @Override
    public String toString() {
        return "WebSocket[" + path + " from " + connection.remoteAddress() + "]";
    }
}
