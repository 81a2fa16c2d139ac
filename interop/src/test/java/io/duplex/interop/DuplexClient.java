package io.duplex.interop;

import static org.assertj.core.api.Assertions.fail;

import io.duplex.client.BinaryType;
import io.duplex.client.CloseEvent;
import io.duplex.client.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Duplex client ({@link WebSocket}, in-process) as the client interop tests drive it: messages queue up
 * as they are dispatched (text as {@link String}, binary as {@code byte[]}), so that a test can wait for
 * them one at a time, each with a deadline.
 *
 * <p>Threading: listeners run on the socket's event executor and only add to the queue; the test thread
 * reads it.
 */
final class DuplexClient implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final WebSocket socket;
    private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();

    private DuplexClient(String url, String... protocols) {
        this.socket = WebSocket.builder(url)
                .protocols(protocols)
                // As a page does in onopen: no message task can run before the open task.
                .onopen(event -> ((WebSocket) event.target()).binaryType(BinaryType.ARRAYBUFFER))
                .onmessage(event -> messages.add(switch (event.data()) {
                    case String text -> text;
                    case ByteBuffer bytes -> {
                        byte[] copy = new byte[bytes.remaining()];
                        bytes.get(copy);
                        yield copy;
                    }
                    default -> "unexpected data " + event.data();
                }))
                .connect();
    }

    /** Connects to {@code url} offering {@code protocols}, and waits for the open event. */
    static DuplexClient open(String url, String... protocols) throws InterruptedException {
        DuplexClient client = new DuplexClient(url, protocols);
        try {
            client.socket.opened().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            fail("the Duplex client could not open " + url + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            client.socket.close();
            fail("the Duplex client did not open " + url + " within " + WAIT);
        }
        return client;
    }

    /** The socket. */
    WebSocket socket() {
        return socket;
    }

    /** The next message: a {@link String} or a {@code byte[]}, waiting up to 15 s. */
    Object nextMessage() throws InterruptedException {
        Object message = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            return fail("no message from " + socket.url() + " within " + WAIT + "; readyState "
                    + socket.readyState() + (socket.readyState() == WebSocket.CLOSED ? ", " + awaitClose() : ""));
        }
        return message;
    }

    /** The close event, waiting up to 15 s for it. */
    CloseEvent awaitClose() throws InterruptedException {
        try {
            return socket.closed().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("closed() completed exceptionally", e);
        } catch (TimeoutException e) {
            return fail("no close event from " + socket.url() + " within " + WAIT + "; readyState "
                    + socket.readyState());
        }
    }

    /** Starts closing if the test has not, so that no socket outlives its test. */
    @Override
    public void close() {
        socket.close();
    }
}
