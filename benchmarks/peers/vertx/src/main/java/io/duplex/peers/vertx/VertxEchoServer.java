package io.duplex.peers.vertx;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * A WebSocket echo server on Vert.x 4.5, set up the way Vert.x's documentation recommends for
 * throughput, as a peer that {@code bin/loadtest} compares Duplex with.
 *
 * <ul>
 *   <li>One event loop ({@code eventLoopPoolSize 1}): the server gets one core. Vert.x keeps its own
 *       acceptor thread beside it, as it always does.
 *   <li>The native epoll transport ({@code preferNativeTransport}, with netty-transport-native-epoll on
 *       the class path); the line printed at start says whether it is in use.
 *   <li>TCP_NODELAY; no per-message or per-frame compression; frames and messages up to 1 MiB (Duplex's
 *       default limit).
 *   <li>Text messages are echoed with {@code writeTextMessage}, binary ones with
 *       {@code writeBinaryMessage}, from the whole-message handlers (so a text message is decoded as
 *       UTF-8 and encoded again, as a Vert.x application does).
 *   <li>No file caching or class-path resolving (they only create a cache folder in the working
 *       directory).
 * </ul>
 *
 * <p>Usage: {@code java -jar vertx-echo.jar --port P [--host 127.0.0.1] [--path /echo]}. Connections to
 * another path are rejected. Prints one line when listening; runs until killed.
 *
 * <p>Threading: every connection's handlers run on the one event loop; {@code main} only sets up.
 */
public final class VertxEchoServer {

    private VertxEchoServer() {}

    /**
     * Starts the server; the Vert.x threads keep the process alive.
     *
     * @param args {@code --port P}, optional {@code --host}, {@code --path}
     */
    public static void main(String[] args) {
        String host = "127.0.0.1";
        int port = -1;
        String path = "/echo";
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--host" -> host = value;
                case "--port" -> port = Integer.parseInt(value);
                case "--path" -> path = value;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: --port P [--host H] [--path /echo]");
            }
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port " + port + " is not in 0..65535");
        }
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(1)
                .setPreferNativeTransport(true)
                .setFileSystemOptions(new FileSystemOptions()
                        .setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setTcpNoDelay(true)
                .setCompressionSupported(false)
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false)
                .setMaxWebSocketFrameSize(1 << 20)
                .setMaxWebSocketMessageSize(1 << 20);
        String echoPath = path;
        HttpServer server = vertx.createHttpServer(options).webSocketHandler(ws -> {
            if (!ws.path().equals(echoPath)) {
                ws.close((short) 1008, "no such path");
                return;
            }
            ws.textMessageHandler(ws::writeTextMessage);
            ws.binaryMessageHandler(ws::writeBinaryMessage);
            ws.exceptionHandler(e -> ws.close());
        });
        HttpServer bound = server.listen().toCompletionStage().toCompletableFuture().join();
        System.out.println("vertx-echo listening on " + host + ":" + bound.actualPort() + " path " + path
                + " native transport " + vertx.isNativeTransportEnabled()
                + " processors " + Runtime.getRuntime().availableProcessors());
        System.out.flush();
    }
}
