package io.duplex.cli.internal;

import io.duplex.server.WebSocketServer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A server that {@code duplex serve} started, with the one way to stop it: {@link #stop()}, which the
 * shutdown hook calls on Ctrl-C or SIGTERM, and tests call directly.
 *
 * <p>Threading: thread-safe; {@link #stop()} acts once, whoever calls it first.
 */
public final class RunningServer {

    /** How long a stop waits for sockets to finish their closing handshakes before cutting them off. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final WebSocketServer server;
    private final String url;
    private final PrintWriter out;
    private final PrintWriter err;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    RunningServer(WebSocketServer server, String url, PrintWriter out, PrintWriter err) {
        this.server = server;
        this.url = url;
        this.out = out;
        this.err = err;
    }

    /** The server. */
    public WebSocketServer server() {
        return server;
    }

    /** Where it listens, as printed: {@code ws://127.0.0.1:8080/}, {@code wss://...} or {@code unix:PATH}. */
    public String url() {
        return url;
    }

    /**
     * Stops the server gracefully (sockets get 1001 and up to {@link #STOP_TIMEOUT} to close) and prints
     * "Duplex stopped". Later calls return at once.
     */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!server.stop(STOP_TIMEOUT)) {
                err.println("duplex: sockets still open after " + STOP_TIMEOUT.toSeconds()
                        + " s were terminated");
                err.flush();
            }
            out.println("Duplex stopped");
            out.flush();
        } finally {
            stopped.countDown();
        }
    }

    /** Blocks until {@link #stop()} has finished. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /** Blocks until {@link #stop()} has finished or {@code timeout} elapses; returns whether it finished. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
