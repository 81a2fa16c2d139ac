package io.duplex.peers.javawebsocket;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A WebSocket echo server on Java-WebSocket 1.6 (org.java-websocket), as a peer that
 * {@code bin/loadtest} compares Duplex with.
 *
 * <ul>
 *   <li>One selector thread and one decoder ({@code WebSocketWorker}) thread, the library's smallest
 *       setting (its default is one decoder per available processor, which the shared JVM flags make 1).
 *   <li>TCP_NODELAY; the default draft (RFC 6455 with no extensions, so no compression); no
 *       connection-lost pings.
 *   <li>Text is echoed with {@code send(String)}, binary with {@code send(ByteBuffer)}.
 * </ul>
 *
 * <p>Usage: {@code java -jar java-websocket-echo.jar --port P [--host 127.0.0.1] [--path /echo]}.
 * Connections to another path are closed. Prints one line when listening; runs until killed.
 *
 * <p>Threading: the library calls {@code onMessage} from its one decoder thread; {@code main} only sets up.
 */
public final class JavaWebSocketEchoServer extends WebSocketServer {

    private final String path;

    private JavaWebSocketEchoServer(InetSocketAddress address, String path) {
        super(address, 1);
        this.path = path;
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        if (!handshake.getResourceDescriptor().equals(path)) {
            conn.close(CloseFrame.POLICY_VALIDATION, "no such path");
        }
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        conn.send(message);
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        conn.send(message);
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        // Nothing to release.
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            // An error of the server socket itself: the server cannot go on.
            System.err.println("java-websocket-echo: " + ex);
            System.exit(1);
        }
    }

    @Override
    public void onStart() {
        System.out.println("java-websocket-echo listening on " + getAddress().getHostString() + ":" + getPort()
                + " path " + path + " decoders 1 processors " + Runtime.getRuntime().availableProcessors());
        System.out.flush();
    }

    /**
     * Starts the server; its threads keep the process alive.
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
        JavaWebSocketEchoServer server = new JavaWebSocketEchoServer(new InetSocketAddress(host, port), path);
        server.setTcpNoDelay(true);
        server.setReuseAddr(true);
        server.setConnectionLostTimeout(0);
        server.start();
    }
}
