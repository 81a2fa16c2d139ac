package io.duplex.cli.internal;

import io.duplex.core.CloseStatus;
import io.duplex.core.Event;
import io.duplex.core.Limits;
import io.duplex.core.Opcode;
import io.duplex.core.Role;
import io.duplex.core.WebSocketConnection;
import io.duplex.core.handshake.HandshakeException;
import io.duplex.core.handshake.HttpHeadParser;
import io.duplex.core.handshake.HttpHeaders;
import io.duplex.core.handshake.HttpRequestHead;
import io.duplex.core.handshake.ServerHandshake;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a fuzzing test server's client suite, speaking its three-step protocol on 127.0.0.1 and a
 * free port: {@code /getCaseCount} sends the number of cases and closes; {@code /runCase?case=i&agent=NAME}
 * plays case i's script and records what the client sent back; {@code /updateReports?agent=NAME} records
 * the agent and closes.
 *
 * <p>Built on the protocol core ({@link WebSocketConnection}, {@link ServerHandshake}) over blocking sockets,
 * one virtual thread per connection, rather than on the Duplex server: a suite sends fragmented messages
 * with pings between the fragments, and the server's API sends whole messages only.
 *
 * <p>A case's script sends data messages, fragmented messages and pings, then either closes with a code
 * (first waiting for every message to be echoed and every ping answered) or {@link Step.Hang hangs} until
 * the client closes. Everything the client sent is kept in a {@link Run}, in order.
 *
 * <p>Threading: thread-safe; each connection runs on its own virtual thread.
 */
public final class CaseServer implements AutoCloseable {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration AWAIT = Duration.ofSeconds(30);
    private static final Limits LIMITS = Limits.DEFAULT.withMaxPayload(64L << 20);

    /** One step of a case's script. */
    public sealed interface Step {
        /** Sends a whole text message; an echo is expected. */
        record Text(String text) implements Step {}

        /** Sends a whole binary message; an echo is expected. */
        record Binary(byte[] data) implements Step {}

        /** Sends one message in these fragments, with a ping between each two; one echo and the pongs are expected. */
        record Fragmented(Opcode type, List<byte[]> pieces) implements Step {}

        /** Sends a ping; a pong with the same data is expected. */
        record Ping(String data) implements Step {}

        /** Waits for every expected echo and pong, then closes with this code and reason and waits for the reply. */
        record Close(int code, String reason) implements Step {}

        /** Never closes: waits for the client to close. */
        record Hang() implements Step {}
    }

    /** Something the client sent during a case. */
    public sealed interface Received {
        /** A text message. */
        record Text(String text) implements Received {}

        /** A binary message (ByteBuffer equality compares the bytes). */
        record Binary(ByteBuffer data) implements Received {}

        /** A pong. */
        record Pong(ByteBuffer data) implements Received {}
    }

    /**
     * What the client did in one case.
     *
     * @param agent the agent from the query, decoded
     * @param received its messages and pongs, in order
     * @param clientClose the close status of the client's close frame, or null if none arrived
     * @param problem what went wrong on the server's side, or null
     */
    public record Run(String agent, List<Received> received, CloseStatus clientClose, String problem) {}

    private final List<List<Step>> cases;
    private final ServerSocket listener;
    private final Map<Integer, CompletableFuture<Run>> runs = new ConcurrentHashMap<>();
    private final BlockingQueue<String> reportAgents = new LinkedBlockingQueue<>();
    private final AtomicInteger countRequests = new AtomicInteger();
    private final Queue<String> errors = new ConcurrentLinkedQueue<>();

    /** Listens on 127.0.0.1 and a free port, serving {@code cases} (case 1 is the first). */
    public CaseServer(List<List<Step>> cases) throws IOException {
        this.cases = List.copyOf(cases);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("case-server-accept").start(this::acceptLoop);
    }

    /** The base URL to give the conformance client. */
    public String url() {
        return "ws://127.0.0.1:" + listener.getLocalPort();
    }

    /** How many times {@code /getCaseCount} was asked. */
    public int countRequests() {
        return countRequests.get();
    }

    /** What the client did in case {@code number}, waiting up to 30 s for the case to end. */
    public Run run(int number) throws InterruptedException, ExecutionException, TimeoutException {
        return runFuture(number).get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next agent that {@code /updateReports} was called with, waiting up to 30 s; null if none. */
    public String nextReportAgent() throws InterruptedException {
        return reportAgents.poll(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Failures seen while serving, for assertion messages. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    private CompletableFuture<Run> runFuture(int number) {
        return runs.computeIfAbsent(number, n -> new CompletableFuture<>());
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                Thread.ofVirtual().name("case-server-connection").start(() -> serve(socket));
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    errors.add("accept failed: " + e);
                }
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            Peer peer = new Peer(socket);
            HttpRequestHead head = peer.handshake();
            Map<String, String> query = parseQuery(head.query().orElse(""));
            switch (head.path()) {
                case "/getCaseCount" -> {
                    countRequests.incrementAndGet();
                    peer.connection.sendText(Integer.toString(cases.size()));
                    peer.closeAndAwaitReply(new CloseStatus(1000, ""));
                }
                case "/runCase" -> play(peer, Integer.parseInt(query.get("case")), query.get("agent"));
                case "/updateReports" -> {
                    reportAgents.add(String.valueOf(query.get("agent")));
                    peer.closeAndAwaitReply(new CloseStatus(1000, ""));
                }
                default -> errors.add("unexpected path " + head.path());
            }
        } catch (IOException | HandshakeException | RuntimeException e) {
            errors.add(e.toString());
        }
    }

    private void play(Peer peer, int number, String agent) throws IOException {
        List<Received> received = new ArrayList<>();
        String problem = null;
        try {
            int expected = 0;
            for (Step step : cases.get(number - 1)) {
                switch (step) {
                    case Step.Text t -> {
                        peer.connection.sendText(t.text());
                        expected++;
                    }
                    case Step.Binary b -> {
                        peer.connection.sendBinary(ByteBuffer.wrap(b.data()));
                        expected++;
                    }
                    case Step.Fragmented f -> {
                        for (int i = 0; i < f.pieces().size(); i++) {
                            if (i > 0) {
                                // RFC 6455 5.4: control frames may be injected between the fragments of a message.
                                peer.connection.sendPing(ByteBuffer.wrap(("between " + i).getBytes(StandardCharsets.UTF_8)));
                                expected++;
                            }
                            peer.connection.sendFragment(f.type(), ByteBuffer.wrap(f.pieces().get(i)),
                                    i == f.pieces().size() - 1);
                        }
                        expected++;
                    }
                    case Step.Ping p -> {
                        peer.connection.sendPing(ByteBuffer.wrap(p.data().getBytes(StandardCharsets.UTF_8)));
                        expected++;
                    }
                    case Step.Close c -> {
                        while (received.size() < expected && peer.closeReceived == null) {
                            peer.next(received);
                        }
                        peer.closeAndAwaitReply(new CloseStatus(c.code(), c.reason()));
                    }
                    case Step.Hang h -> {
                        while (peer.closeReceived == null) {
                            peer.next(received);
                        }
                        peer.flush();
                    }
                }
                peer.flush();
            }
        } catch (IOException | RuntimeException e) {
            problem = e.toString();
            throw e;
        } finally {
            runFuture(number).complete(new Run(agent, List.copyOf(received), peer.closeReceived, problem));
        }
    }

    private static Map<String, String> parseQuery(String query) {
        Map<String, String> values = new HashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    /** One accepted connection: the handshake, then the core connection fed from the blocking socket. */
    private static final class Peer {
        private final InputStream in;
        private final OutputStream out;
        private final byte[] buffer = new byte[64 * 1024];
        private ByteBuffer leftover = ByteBuffer.allocate(0);
        private WebSocketConnection connection;
        private CloseStatus closeReceived;
        private boolean ended;

        Peer(Socket socket) throws IOException {
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        HttpRequestHead handshake() throws IOException, HandshakeException {
            HttpHeadParser<HttpRequestHead> parser = HttpHeadParser.forRequests(LIMITS);
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    throw new IOException("EOF inside the handshake");
                }
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                Optional<HttpRequestHead> head = parser.parse(bytes);
                if (head.isPresent()) {
                    leftover = ByteBuffer.allocate(bytes.remaining()).put(bytes).flip();
                    ServerHandshake.Request request = ServerHandshake.validateRequest(head.get());
                    write(ServerHandshake.acceptResponse(request, null, List.of(), HttpHeaders.builder().build()));
                    out.flush();
                    connection = WebSocketConnection.builder(Role.SERVER).limits(LIMITS).build();
                    return head.get();
                }
            }
        }

        /** Reads until one event is handled; messages and pongs go to {@code received}. */
        void next(List<Received> received) throws IOException {
            Event event = connection.pollEvent();
            while (event == null) {
                flush();
                if (ended) {
                    throw new IOException("the connection ended while the script waited for the client");
                }
                if (leftover.hasRemaining()) {
                    connection.receive(leftover);
                } else {
                    int n = in.read(buffer);
                    if (n < 0) {
                        connection.receiveEof();
                    } else {
                        connection.receive(ByteBuffer.wrap(buffer, 0, n));
                    }
                }
                event = connection.pollEvent();
            }
            switch (event) {
                case Event.Text t -> received.add(new Received.Text(t.text()));
                case Event.Binary b -> received.add(new Received.Binary(b.data()));
                case Event.Pong p -> received.add(new Received.Pong(p.payload()));
                case Event.CloseReceived c -> closeReceived = c.status();
                case Event.Closed c -> ended = true;
                case Event.Failure f -> throw new IOException("the client broke the protocol: " + f.cause());
                case Event.Ping p -> { } // answered by the connection
                case Event.Fragment f -> throw new IllegalStateException("streaming mode is off");
            }
            flush();
        }

        /** Sends a close frame, reads until the client's arrives, then the caller closes TCP (RFC 6455 7.1.1). */
        void closeAndAwaitReply(CloseStatus status) throws IOException {
            connection.close(status);
            flush();
            List<Received> late = new ArrayList<>();
            while (closeReceived == null) {
                next(late);
            }
            flush();
        }

        void flush() throws IOException {
            for (ByteBuffer bytes = connection.pollOutput(); bytes != null; bytes = connection.pollOutput()) {
                write(bytes);
            }
            out.flush();
        }

        private void write(ByteBuffer bytes) throws IOException {
            if (bytes.hasArray()) {
                out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            } else {
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                out.write(copy);
            }
        }
    }
}
