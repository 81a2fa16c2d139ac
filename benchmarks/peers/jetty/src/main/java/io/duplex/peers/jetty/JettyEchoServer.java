package io.duplex.peers.jetty;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Jetty;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A WebSocket echo server on Jetty 12's own WebSocket API over the core server (no servlet layer), as a
 * peer that {@code bin/loadtest} compares Duplex with, set up as Jetty's documentation suggests for a
 * non-blocking endpoint.
 *
 * <ul>
 *   <li>One {@link ServerConnector} with one acceptor and one selector, and a {@code QueuedThreadPool}
 *       of {@value #MAX_THREADS} threads (the server gets one core; Jetty sizes pools to the load).
 *   <li>TCP_NODELAY on accepted sockets; no extensions are negotiated (so no permessage-deflate); frames
 *       and messages up to 1 MiB (Duplex's default limit); no idle timeout.
 *   <li>The endpoints never block (they only start asynchronous sends), so the container's invocation
 *       type is {@code NON_BLOCKING}: Jetty may then call them on the selector thread instead of handing
 *       every read to another thread.
 *   <li>Auto-demanding listener: text is echoed with {@code sendText}, binary with {@code sendBinary},
 *       which completes the incoming callback (releasing the buffer) once the echo is written.
 * </ul>
 *
 * <p>Usage: {@code java -jar jetty-echo.jar --port P [--host 127.0.0.1] [--path /echo]}. Prints one line
 * when listening; runs until killed.
 *
 * <p>Threading: Jetty calls each session's listener from its selector or pool threads, one call at a
 * time per session; {@code main} only sets up and waits.
 */
public final class JettyEchoServer {

    /** Threads in Jetty's pool: the acceptor, the selector, and two for the tasks they hand off. */
    static final int MAX_THREADS = 4;

    private JettyEchoServer() {}

    /**
     * Echoes every data message back on the session it came from.
     *
     * <p>Public because Jetty looks its methods up by reflection. Threading: one instance per session;
     * Jetty never calls it concurrently.
     */
    public static final class Echo implements Session.Listener.AutoDemanding {
        private Session session;

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
        }

        @Override
        public void onWebSocketText(String message) {
            session.sendText(message, Callback.NOOP);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            session.sendBinary(payload, callback);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            if (session != null) {
                session.close();
            }
        }
    }

    /**
     * Starts the server and blocks until it stops.
     *
     * @param args {@code --port P}, optional {@code --host}, {@code --path}
     * @throws Exception if Jetty cannot start
     */
    public static void main(String[] args) throws Exception {
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
        // One core: a pool of 200 threads (the default) lets Jetty hand reads and writes to ever more
        // threads that then queue for the one CPU (about 100 threads and 8,000-20,000 msgs/s in a
        // smoke run); 4 threads (acceptor, selector, two to run tasks) keep it near one thread per core.
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 1);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost(host);
        connector.setPort(port);
        connector.setAcceptedTcpNoDelay(true);
        server.addConnector(connector);
        String echoPath = path;
        WebSocketUpgradeHandler upgrade = WebSocketUpgradeHandler.from(server, container -> {
            container.setInvocationType(Invocable.InvocationType.NON_BLOCKING);
            container.setIdleTimeout(Duration.ZERO);
            container.setMaxFrameSize(1 << 20);
            container.setMaxTextMessageSize(1 << 20);
            container.setMaxBinaryMessageSize(1 << 20);
            container.addMapping(echoPath, (request, response, callback) -> {
                response.setExtensions(List.of());
                return new Echo();
            });
        });
        server.setHandler(upgrade);
        server.start();
        System.out.println("jetty-echo listening on " + host + ":" + connector.getLocalPort() + " path " + path
                + " jetty " + Jetty.VERSION + " processors " + Runtime.getRuntime().availableProcessors());
        System.out.flush();
        server.join();
    }
}
