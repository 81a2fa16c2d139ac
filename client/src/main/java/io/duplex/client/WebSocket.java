package io.duplex.client;

import io.duplex.client.internal.Arguments;
import io.duplex.client.internal.ClientSession;
import io.duplex.client.internal.ClientSettings;
import io.duplex.client.internal.SerialExecutor;
import io.duplex.client.internal.SessionSink;
import io.duplex.client.internal.SharedLoopGroup;
import io.duplex.client.internal.WebSocketUrl;
import io.duplex.core.Limits;
import io.duplex.core.Utf8;
import io.duplex.core.handshake.ClientHandshake;
import io.duplex.core.handshake.HttpHeaders;
import io.duplex.transport.EventLoopGroup;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * The web platform's {@code WebSocket} (WHATWG WebSockets Standard), in Java spelling: the same states,
 * the same errors for the same bad arguments, the same events in the same order.
 *
 * <pre>{@code
 * WebSocket socket = new WebSocket("wss://example.com/chat", "chat");
 * socket.onopen(event -> socket.send("Hello"));
 * socket.onmessage(event -> System.out.println(event.data()));
 * socket.onclose(event -> System.out.println("closed " + event.code()));
 * }</pre>
 *
 * <h2>Theory of operation</h2>
 * <pre>
 *   CONNECTING --open task--&gt; OPEN --close() or the server's close frame--&gt; CLOSING --close task--&gt; CLOSED
 *        \                                                                                            ^
 *         +---------------- close(), failure: error then close events --------------------------------+
 * </pre>
 * The constructor parses the arguments and starts connecting at once. The I/O (an internal session on
 * the transport's event loop) reports what happens; each report becomes a task on this socket's event
 * executor, the standard's "queue a task", and the state changes inside those tasks as the standard says:
 * readyState is OPEN from the open task on, CLOSED from the close task on. {@link #close()} moves to
 * CLOSING at once. A message task does nothing unless readyState is OPEN, so messages received after
 * closing began are not dispatched. Failure ("fail the WebSocket connection") yields an "error" event
 * then a "close" event with code 1006 and wasClean false, never 1015.
 *
 * <p>Events are dispatched one at a time, in order, never concurrently, on the event executor: by default
 * a serial queue running on virtual threads, so handlers may block without stalling any I/O. While
 * handlers fall behind by more than {@link Builder#maxUndispatchedBytes} bytes of messages, reading
 * pauses (receive backpressure).
 *
 * <p>Sending never blocks. {@link #bufferedAmount()} counts application bytes (not framing) queued and not
 * yet handed to the network; past {@link Builder#maxBufferedAmount} (16 MiB by default) the connection is
 * closed as the standard allows when "the buffer is full": error event, then close event 1006.
 *
 * <p>Sockets share a group of at most two event loops unless {@link Builder#eventLoopGroup} names one; the
 * group's threads live while any socket using it is not yet CLOSED, so an open socket keeps the JVM running
 * as an open page keeps its connection.
 *
 * <p>Threading: every method is safe to call from any thread; listeners run on the event executor.
 */
public final class WebSocket extends EventTarget {

    /** readyState: the connection is not yet open. */
    public static final int CONNECTING = 0;
    /** readyState: the connection is open and ready to communicate. */
    public static final int OPEN = 1;
    /** readyState: the closing handshake has started. */
    public static final int CLOSING = 2;
    /** readyState: the connection is closed or could not be opened. */
    public static final int CLOSED = 3;

    /** The default bound of {@link #bufferedAmount()}: 16 MiB. */
    public static final long DEFAULT_MAX_BUFFERED_AMOUNT = 16L << 20;
    /** The default bound of message bytes waiting for dispatch before reading pauses: 4 MiB. */
    public static final long DEFAULT_MAX_UNDISPATCHED_BYTES = 4L << 20;

    private final WebSocketUrl url;
    private final Executor events;
    private final long maxBufferedAmount;
    private final ClientSession session;
    private final boolean usesSharedGroup;
    private final AtomicInteger readyState = new AtomicInteger(CONNECTING);
    private final AtomicLong bufferedAmount = new AtomicLong();
    private final CompletableFuture<WebSocket> opened = new CompletableFuture<>();
    private final CompletableFuture<CloseEvent> closed = new CompletableFuture<>();
    private volatile BinaryType binaryType = BinaryType.BLOB;
    private volatile String protocol = "";
    private volatile String extensions = "";

    /**
     * {@code new WebSocket(url)}: checks the URL and starts connecting.
     *
     * @param url a ws, wss, http or https URL without a fragment
     * @throws DOMException "SyntaxError" if the URL does not parse, has another scheme, or has a fragment
     */
    public WebSocket(String url) {
        this(builder(url));
    }

    /**
     * {@code new WebSocket(url, protocols)}: checks the arguments and starts connecting.
     *
     * @param url a ws, wss, http or https URL without a fragment
     * @param protocols subprotocols to offer, in order of preference
     * @throws DOMException "SyntaxError" if the URL is invalid, or a protocol is not a token or repeated
     *     (compared case-insensitively)
     */
    public WebSocket(String url, String... protocols) {
        this(builder(url).protocols(protocols));
    }

    private WebSocket(Builder b) {
        // WebSockets Standard, constructor steps 2-7 (URL) and 8-9 (protocols): SyntaxError on failure
        this.url = Arguments.url(b.url);
        List<String> protocols = Arguments.protocols(b.protocols);
        this.events = b.eventExecutor != null ? new SerialExecutor(b.eventExecutor) : SerialExecutor.onVirtualThreads();
        this.maxBufferedAmount = b.maxBufferedAmount;
        ProxyConfig proxy = b.proxy;
        if (proxy == null && b.proxyFromEnvironment) {
            proxy = ProxyConfig.fromEnvironment(System.getenv(), url.secure(), url.host()).orElse(null);
        }
        // Last of the steps that may throw: the shared group is released by the close task only.
        ClientSettings.Connector connector = b.connector;
        boolean shared = connector == null && b.group == null;
        if (connector == null) {
            EventLoopGroup group = shared ? SharedLoopGroup.acquire() : b.group;
            connector = group::connect;
        }
        this.usesSharedGroup = shared;
        ClientSettings settings = new ClientSettings(url, protocols, b.headers.build(), b.origin, b.sslContext,
                b.hostnameVerification, b.connectTimeout, b.closeTimeout, b.limits, b.maxBufferedAmount,
                b.maxUndispatchedBytes, proxy, connector);
        this.session = new ClientSession(settings, new Sink());
        eventHandler("open", b.onopen);
        eventHandler("message", b.onmessage);
        eventHandler("error", b.onerror);
        eventHandler("close", b.onclose);
        b.listeners.forEach(l -> addEventListener(l.getKey(), l.getValue()));
        // Step 12: establish the connection in parallel
        session.start();
    }

    /**
     * A builder for what browsers do not expose: headers, Origin, TLS, timeouts, executors, limits, proxy.
     *
     * @param url a ws, wss, http or https URL; checked by {@link Builder#connect()}
     * @return the builder
     */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    // ---------------------------------------------------------------- attributes

    /** @return the URL, serialized (http and https mapped to ws and wss), e.g. "ws://example.com/" */
    public String url() {
        return url.serialize();
    }

    /** @return {@link #CONNECTING}, {@link #OPEN}, {@link #CLOSING} or {@link #CLOSED} */
    public int readyState() {
        return readyState.get();
    }

    /** @return application bytes given to send() and not yet handed to the network (after closing, never reset) */
    public long bufferedAmount() {
        return bufferedAmount.get();
    }

    /** @return the Sec-WebSocket-Extensions the server accepted, or "" (set when the open event fires) */
    public String extensions() {
        return extensions;
    }

    /** @return the subprotocol the server chose, or "" (set when the open event fires) */
    public String protocol() {
        return protocol;
    }

    /** @return how binary messages appear in {@link MessageEvent#data()}; {@link BinaryType#BLOB} by default */
    public BinaryType binaryType() {
        return binaryType;
    }

    /**
     * Sets how binary messages dispatched from now on appear in {@link MessageEvent#data()}.
     *
     * @param type {@link BinaryType#BLOB} or {@link BinaryType#ARRAYBUFFER}
     */
    public void binaryType(BinaryType type) {
        this.binaryType = Objects.requireNonNull(type, "type");
    }

    // ---------------------------------------------------------------- send

    /**
     * Sends a text message (lone surrogates become U+FFFD).
     *
     * @param data the text
     * @throws DOMException "InvalidStateError" while CONNECTING
     */
    public void send(String data) {
        Objects.requireNonNull(data, "data");
        // WebIDL USVString conversion and UTF-8 encoding in one pass: Utf8.encode writes U+FFFD for lone
        // surrogates. No loop over characters here: see docs/benchmarks.md, "The 1 KiB echo slow mode".
        byte[] utf8 = Utf8.encode(data);
        if (enqueue(utf8.length)) {
            session.sendText(ByteBuffer.wrap(utf8), utf8.length);
        }
    }

    /**
     * Sends a binary message: the bytes from position to limit, copied now; the buffer is left untouched.
     *
     * @param data the bytes
     * @throws DOMException "InvalidStateError" while CONNECTING
     */
    public void send(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(0, data, data.position(), data.remaining());
        if (enqueue(copy.capacity())) {
            session.sendBinary(copy, copy.capacity());
        }
    }

    /**
     * Sends a binary message, copying the array now.
     *
     * @param data the bytes
     * @throws DOMException "InvalidStateError" while CONNECTING
     */
    public void send(byte[] data) {
        send(ByteBuffer.wrap(data));
    }

    /**
     * Sends a binary message holding a blob's bytes (its type is not sent).
     *
     * @param data the blob
     * @throws DOMException "InvalidStateError" while CONNECTING
     */
    public void send(Blob data) {
        Objects.requireNonNull(data, "data");
        if (enqueue(data.size())) {
            session.sendBinary(data.arrayBuffer(), data.size());
        }
    }

    /**
     * The standard's send() steps, less the sending: throws while CONNECTING, counts the bytes always,
     * and says whether to send (OPEN, and the buffer not full).
     */
    private boolean enqueue(long size) {
        int state = readyState.get();
        if (state == CONNECTING) {
            throw DOMException.invalidStateError("send() while CONNECTING (WebSockets Standard, send() step 1)");
        }
        // send(): "Any invocation of this method ... that does not throw an exception must increase the
        // bufferedAmount attribute by the number of bytes", sent or not (after closing, not sent)
        long total = bufferedAmount.addAndGet(size);
        if (state != OPEN) {
            return false;
        }
        if (total > maxBufferedAmount) {
            // send(): "If the data cannot be sent, e.g. because it would need to be buffered but the buffer
            // is full, the user agent must flag the WebSocket as full and then close the WebSocket connection"
            if (readyState.compareAndSet(OPEN, CLOSING)) {
                session.abort("bufferedAmount of " + total + " bytes exceeds the limit of " + maxBufferedAmount);
            }
            return false;
        }
        return true;
    }

    // ---------------------------------------------------------------- close

    /**
     * Starts the closing handshake with an empty close frame (the server sees 1005); while CONNECTING,
     * fails the connection instead (error, then close 1006). Does nothing if already CLOSING or CLOSED.
     */
    public void close() {
        doClose(-1, null);
    }

    /**
     * Starts the closing handshake with a code.
     *
     * @param code 1000 or 3000-4999
     * @throws DOMException "InvalidAccessError" for any other code
     */
    public void close(int code) {
        Arguments.closeCode(code);
        doClose(code, null);
    }

    /**
     * Starts the closing handshake with a code and a reason.
     *
     * @param code 1000 or 3000-4999
     * @param reason at most 123 bytes of UTF-8
     * @throws DOMException "InvalidAccessError" for a code outside those; "SyntaxError" for a longer reason
     */
    public void close(int code, String reason) {
        // WebSockets Standard, close() steps 1-2: the code first, then the reason
        Arguments.closeCode(code);
        Arguments.closeReason(reason);
        doClose(code, reason == null ? null : Arguments.usvString(reason));
    }

    private void doClose(int code, String reason) {
        // close() step 3: the first matching case
        while (true) {
            int state = readyState.get();
            if (state == CLOSING || state == CLOSED) {
                return; // "do nothing"
            }
            if (state == CONNECTING && readyState.compareAndSet(CONNECTING, CLOSING)) {
                // "If the WebSocket connection is not yet established: fail the WebSocket connection and
                // set this's ready state to CLOSING"
                session.abort("close() was called before the connection was established");
                return;
            }
            if (state == OPEN && readyState.compareAndSet(OPEN, CLOSING)) {
                // "If the WebSocket closing handshake has not yet been started: start it" (empty close frame
                // without a code; the server's own close frame may already be in flight: then nothing is sent)
                session.close(code, reason);
                return;
            }
        }
    }

    // ---------------------------------------------------------------- Java additions

    /**
     * @return completes with this socket once the open event has been dispatched, exceptionally (an
     *     {@link IOException} saying why) if the connection closes first
     */
    public CompletionStage<WebSocket> opened() {
        return opened.minimalCompletionStage();
    }

    /** @return completes with the close event once it has been dispatched; never exceptionally */
    public CompletionStage<CloseEvent> closed() {
        return closed.minimalCompletionStage();
    }

    // ---------------------------------------------------------------- event handler properties

    /** @return the {@code onopen} handler, or null */
    @SuppressWarnings("unchecked")
    public EventListener<Event> onopen() {
        return (EventListener<Event>) eventHandler("open");
    }

    /** @param handler the {@code onopen} handler; null removes it */
    public void onopen(EventListener<Event> handler) {
        eventHandler("open", handler);
    }

    /** @return the {@code onmessage} handler, or null */
    @SuppressWarnings("unchecked")
    public EventListener<MessageEvent> onmessage() {
        return (EventListener<MessageEvent>) eventHandler("message");
    }

    /** @param handler the {@code onmessage} handler; null removes it */
    public void onmessage(EventListener<MessageEvent> handler) {
        eventHandler("message", handler);
    }

    /** @return the {@code onerror} handler, or null */
    @SuppressWarnings("unchecked")
    public EventListener<Event> onerror() {
        return (EventListener<Event>) eventHandler("error");
    }

    /** @param handler the {@code onerror} handler; null removes it */
    public void onerror(EventListener<Event> handler) {
        eventHandler("error", handler);
    }

    /** @return the {@code onclose} handler, or null */
    @SuppressWarnings("unchecked")
    public EventListener<CloseEvent> onclose() {
        return (EventListener<CloseEvent>) eventHandler("close");
    }

    /** @param handler the {@code onclose} handler; null removes it */
    public void onclose(EventListener<CloseEvent> handler) {
        eventHandler("close", handler);
    }

    @Override
    public String toString() {
        return "WebSocket[" + url() + ", readyState=" + readyState() + "]";
    }

    /** The session's reports, each turned into a task on the event executor (the standard's "queue a task"). */
    private final class Sink implements SessionSink {

        @Override
        public void opened(String chosenProtocol, String acceptedExtensions) {
            events.execute(() -> {
                // "When the WebSocket connection is established": set extensions and protocol, change the
                // ready state to OPEN, fire open; skipped if close() came first (it failed the connection)
                extensions = acceptedExtensions;
                protocol = chosenProtocol;
                if (readyState.compareAndSet(CONNECTING, OPEN)) {
                    dispatchEvent(new Event("open"));
                    opened.complete(WebSocket.this); // after the handlers, as closed() completes after onclose
                }
            });
        }

        @Override
        public void message(String text, ByteBuffer binary, long size) {
            events.execute(() -> {
                try {
                    // "When a WebSocket message has been received": if the ready state is not OPEN, return
                    if (readyState.get() != OPEN) {
                        return;
                    }
                    Object data = text != null ? text
                            : binaryType == BinaryType.BLOB ? Blob.wrap(binary) : binary.asReadOnlyBuffer();
                    dispatchEvent(new MessageEvent("message", data, url.origin()));
                } finally {
                    session.consumed(size);
                }
            });
        }

        @Override
        public void closing() {
            // "When the WebSocket closing handshake is started": change the ready state to CLOSING
            events.execute(() -> readyState.compareAndSet(OPEN, CLOSING));
        }

        @Override
        public void closed(boolean failed, int code, String reason, boolean wasClean, String detail, Throwable cause) {
            events.execute(() -> {
                // "When the WebSocket connection is closed": CLOSED, then error if failed, then close
                readyState.set(CLOSED);
                if (usesSharedGroup) {
                    SharedLoopGroup.release();
                }
                if (failed) {
                    dispatchEvent(new Event("error"));
                }
                CloseEvent event = new CloseEvent("close", wasClean, code, reason, detail, cause);
                opened.completeExceptionally(new IOException("WebSocket to " + url() + " closed before it opened: "
                        + (detail.isEmpty() ? "code " + code : detail), cause));
                dispatchEvent(event);
                closed.complete(event);
            });
        }

        @Override
        public void sent(long bytes) {
            bufferedAmount.addAndGet(-bytes);
        }
    }

    /**
     * Settings that browsers do not expose. {@link #connect()} checks the URL and protocols as the
     * constructor does and starts connecting.
     *
     * <p>Threading: not thread-safe; build on one thread.
     */
    public static final class Builder {
        private final String url;
        private String[] protocols = new String[0];
        private final HttpHeaders.Builder headers = HttpHeaders.builder();
        private String origin;
        private SSLContext sslContext;
        private boolean hostnameVerification = true;
        private Duration connectTimeout = Duration.ofSeconds(30);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private Executor eventExecutor;
        private EventLoopGroup group;
        private Limits limits = Limits.DEFAULT.withMaxFramePayload(16L << 20).withMaxMessageSize(16L << 20);
        private long maxBufferedAmount = DEFAULT_MAX_BUFFERED_AMOUNT;
        private long maxUndispatchedBytes = DEFAULT_MAX_UNDISPATCHED_BYTES;
        private ProxyConfig proxy;
        private boolean proxyFromEnvironment;
        ClientSettings.Connector connector;
        private EventListener<Event> onopen;
        private EventListener<MessageEvent> onmessage;
        private EventListener<Event> onerror;
        private EventListener<CloseEvent> onclose;
        private final List<java.util.Map.Entry<String, EventListener<? super Event>>> listeners = new java.util.ArrayList<>();

        private Builder(String url) {
            this.url = url;
        }

        /**
         * @param protocols subprotocols to offer, in order of preference; checked by {@link #connect()}
         * @return this builder
         */
        public Builder protocols(String... protocols) {
            this.protocols = protocols == null ? new String[0] : protocols.clone();
            return this;
        }

        /**
         * @param name a header for the handshake request (cookies, authorization), not one the handshake
         *     writes itself (Host, Upgrade, Connection, Sec-WebSocket-*, Origin)
         * @param value its value
         * @return this builder
         * @throws IllegalArgumentException for a handshake header or an invalid name or value
         */
        public Builder header(String name, String value) {
            ClientHandshake.builder().header(name, value); // the core's checks, before anything is queued
            headers.add(name, value);
            return this;
        }

        /**
         * @param origin the Origin header to send (browsers always send their page's); default none
         * @return this builder
         */
        public Builder origin(String origin) {
            this.origin = origin;
            return this;
        }

        /**
         * @param context the TLS context for wss (its trust managers decide which servers are trusted);
         *     default the JDK's
         * @return this builder
         */
        public Builder sslContext(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        /**
         * @param on whether wss checks that the server's certificate matches the URL's host; default true.
         *     Turn off only for tests against IP literals with throwaway certificates.
         * @return this builder
         */
        public Builder hostnameVerification(boolean on) {
            this.hostnameVerification = on;
            return this;
        }

        /**
         * @param timeout bound on TCP connect plus TLS, and again on the proxy tunnel plus the opening
         *     handshake; default 30 s. Expiry fails the connection.
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * @param timeout how long to wait, after the close frames, for the server to close TCP (RFC 6455
         *     7.1.1) before aborting; default 10 s
         * @return this builder
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = positive(timeout, "closeTimeout");
            return this;
        }

        /**
         * @param executor where listeners run; tasks are still run one at a time and in order whatever the
         *     executor does. Default: virtual threads.
         * @return this builder
         */
        public Builder eventExecutor(Executor executor) {
            this.eventExecutor = executor;
            return this;
        }

        /**
         * @param group the event loops doing the I/O; default a shared group of at most two loops
         * @return this builder
         */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.group = group;
            return this;
        }

        /**
         * @param limits frame, message and handshake bounds; default {@link Limits#DEFAULT} with frames and
         *     messages raised to 16 MiB. A message over the limit fails the connection (1009 sent, 1006 reported).
         * @return this builder
         */
        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * @param bytes the bufferedAmount past which send() closes the connection (error, then close 1006);
         *     default {@link WebSocket#DEFAULT_MAX_BUFFERED_AMOUNT}
         * @return this builder
         */
        public Builder maxBufferedAmount(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxBufferedAmount must be >= 1, was " + bytes);
            }
            this.maxBufferedAmount = bytes;
            return this;
        }

        /**
         * @param bytes message bytes received and not yet dispatched past which reading pauses (it resumes
         *     at half); default {@link WebSocket#DEFAULT_MAX_UNDISPATCHED_BYTES}
         * @return this builder
         */
        public Builder maxUndispatchedBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxUndispatchedBytes must be >= 1, was " + bytes);
            }
            this.maxUndispatchedBytes = bytes;
            return this;
        }

        /**
         * @param proxy the proxy to connect through, or null for a direct connection (the default)
         * @return this builder
         */
        public Builder proxy(ProxyConfig proxy) {
            this.proxy = proxy;
            return this;
        }

        /**
         * Use the proxy that the environment names ({@code https_proxy}, {@code http_proxy},
         * {@code all_proxy}, {@code no_proxy}; see {@link ProxyConfig#fromEnvironment}), unless {@link
         * #proxy} is set. Off by default.
         *
         * @return this builder
         */
        public Builder proxyFromEnvironment() {
            this.proxyFromEnvironment = true;
            return this;
        }

        /**
         * Sets {@code onopen} before connecting starts. Java threads run in parallel, unlike a page's
         * script: a handler set after the constructor returns can miss an open event that comes very
         * fast. Handlers set here cannot.
         *
         * @param handler the handler
         * @return this builder
         */
        public Builder onopen(EventListener<Event> handler) {
            this.onopen = handler;
            return this;
        }

        /**
         * Sets {@code onmessage} before connecting starts.
         *
         * @param handler the handler
         * @return this builder
         */
        public Builder onmessage(EventListener<MessageEvent> handler) {
            this.onmessage = handler;
            return this;
        }

        /**
         * Sets {@code onerror} before connecting starts (a refused connection can fail at once).
         *
         * @param handler the handler
         * @return this builder
         */
        public Builder onerror(EventListener<Event> handler) {
            this.onerror = handler;
            return this;
        }

        /**
         * Sets {@code onclose} before connecting starts.
         *
         * @param handler the handler
         * @return this builder
         */
        public Builder onclose(EventListener<CloseEvent> handler) {
            this.onclose = handler;
            return this;
        }

        /**
         * Registers a listener before connecting starts, as {@link WebSocket#addEventListener} would.
         *
         * @param type the event type
         * @param listener the listener
         * @return this builder
         */
        public Builder addEventListener(String type, EventListener<? super Event> listener) {
            listeners.add(java.util.Map.entry(Objects.requireNonNull(type, "type"), listener));
            return this;
        }

        Builder connector(ClientSettings.Connector connector) {
            this.connector = connector;
            return this;
        }

        /**
         * Checks the URL and protocols and starts connecting, as {@code new WebSocket(url, protocols)} does.
         *
         * @return the socket, CONNECTING
         * @throws DOMException "SyntaxError" for an invalid URL or protocol
         */
        public WebSocket connect() {
            return new WebSocket(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + d);
            }
            return d;
        }
    }
}
