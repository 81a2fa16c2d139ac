package io.duplex.interop;

import static org.assertj.core.api.Assertions.fail;

import io.duplex.core.Limits;
import io.duplex.server.CloseInfo;
import io.duplex.server.OriginPolicy;
import io.duplex.server.Route;
import io.duplex.server.ServerWebSocket;
import io.duplex.server.UpgradeDecision;
import io.duplex.server.UpgradeRequest;
import io.duplex.server.WebSocketHandler;
import io.duplex.server.WebSocketServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Duplex server the interop clients talk to, on 127.0.0.1 and a free port, with the behaviour
 * the client scripts expect (their header comments state it):
 * <ul>
 *   <li>{@code /echo}: echoes text and binary messages; "please close" is answered with a close
 *       4001 "closing as asked"; "please ping" with a ping "duplex" and, once the pong arrives, the text
 *       "pong received: duplex". Messages over {@link #LIMIT} bytes close with 1009. Any origin may
 *       connect (the browser test opens it from a blank page).</li>
 *   <li>{@code /proto}: the same, and the upgrade hook picks the first of {@link #SUBPROTOCOLS} (the
 *       server's order of preference) that the client offers; the socket greets with
 *       "subprotocol=NAME".</li>
 *   <li>{@code /forbidden}: the upgrade hook rejects with 403 "no entry".</li>
 * </ul>
 * Each client connects with a unique query ({@link #url}); how the server saw that socket close is
 * kept under it, for the tests to check the server's side of every closing handshake.
 *
 * <p>Threading: thread-safe; handler callbacks run on the server's event loops.
 */
final class EchoServer implements AutoCloseable {

    /** The message (and frame) size limit of every route: the default 1 MiB is raised so that 1 MiB fits well under it. */
    static final int LIMIT = 2 << 20;

    /** The subprotocols {@code /proto} supports, most preferred first. */
    static final List<String> SUBPROTOCOLS = List.of("duplex.v2", "duplex.v1");

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final ConcurrentMap<String, CompletableFuture<CloseInfo>> closes = new ConcurrentHashMap<>();
    private final Queue<String> errors = new ConcurrentLinkedQueue<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final WebSocketServer server;

    private EchoServer() throws IOException {
        Handler handler = new Handler();
        Limits limits = Limits.DEFAULT.withMaxPayload(LIMIT);
        server = WebSocketServer.builder()
                .listen("127.0.0.1", 0)
                .eventLoops(1)
                .route(Route.builder("/echo", handler).originPolicy(OriginPolicy.any()).limits(limits).build())
                .route(Route.builder("/proto", handler).limits(limits).upgradeHook(EchoServer::chooseSubprotocol).build())
                .route(Route.builder("/forbidden", handler).upgradeHook(request -> UpgradeDecision.reject(403, "no entry")).build())
                .build()
                .start();
    }

    /** Starts a server. */
    static EchoServer start() throws IOException {
        return new EchoServer();
    }

    private static UpgradeDecision chooseSubprotocol(UpgradeRequest request) {
        return SUBPROTOCOLS.stream()
                .filter(request.subprotocols()::contains)
                .findFirst()
                .map(chosen -> (UpgradeDecision) UpgradeDecision.accept().subprotocol(chosen))
                .orElse(UpgradeDecision.accept());
    }

    /** The port the server listens on. */
    int port() {
        return server.port();
    }

    /** A connection to make: its URL, and the key under which the server records its close. */
    record Connection(String url, String key) {}

    /** A new connection to {@code path}, tagged with {@code label} and a sequence number. */
    Connection connection(String path, String label) {
        String key = "id=" + label + "-" + ids.incrementAndGet();
        return new Connection("ws://127.0.0.1:" + port() + path + "?" + key, key);
    }

    /** How the server saw {@code connection} close, waiting up to 10 s for it. */
    CloseInfo awaitClose(Connection connection) {
        try {
            return closeFuture(connection.key()).get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return fail("the server did not report the close of " + connection.url() + " within " + CLOSE_WAIT
                    + "; handler errors so far: " + errors);
        } catch (ExecutionException e) {
            return fail("unexpected failure recording a close", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted", e);
        }
    }

    /** Errors the handler was told of (protocol errors by peers, I/O errors), for failure messages. */
    List<String> errors() {
        return List.copyOf(errors);
    }

    private CompletableFuture<CloseInfo> closeFuture(String key) {
        return closes.computeIfAbsent(key, k -> new CompletableFuture<>());
    }

    @Override
    public void close() {
        server.stop(Duration.ofSeconds(5));
    }

    /** The behaviour described in the class comment; one instance serves every socket. */
    private final class Handler implements WebSocketHandler {

        @Override
        public void onOpen(ServerWebSocket socket) {
            if (socket.path().equals("/proto")) {
                socket.sendText("subprotocol=" + socket.subprotocol());
            }
        }

        @Override
        public void onText(ServerWebSocket socket, String text) {
            switch (text) {
                case "please close" -> socket.close(4001, "closing as asked");
                case "please ping" -> socket.sendPing(ByteBuffer.wrap("duplex".getBytes(StandardCharsets.UTF_8)));
                default -> socket.sendText(text);
            }
        }

        @Override
        public void onBinary(ServerWebSocket socket, ByteBuffer data) {
            socket.sendBinary(data);
        }

        @Override
        public void onPong(ServerWebSocket socket, ByteBuffer applicationData) {
            socket.sendText("pong received: " + StandardCharsets.UTF_8.decode(applicationData));
        }

        @Override
        public void onClose(ServerWebSocket socket, CloseInfo close) {
            closeFuture(socket.query()).complete(close);
        }

        @Override
        public void onError(ServerWebSocket socket, Throwable error) {
            errors.add(socket.path() + "?" + socket.query() + ": " + error);
        }
    }
}
