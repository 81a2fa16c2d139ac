package io.duplex.transport;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handler that records what the transport tells it, and optionally echoes. Callbacks run on the loop;
 * the test thread reads through the futures, latches and synchronized accessors.
 */
class Recorder implements ConnectionHandler {

    final CompletableFuture<Connection> opened = new CompletableFuture<>();
    /** Completes with the cause handed to onClosed, wrapped so that null is a value. */
    final CompletableFuture<Cause> closed = new CompletableFuture<>();
    final AtomicInteger openCalls = new AtomicInteger();
    final AtomicInteger closeCalls = new AtomicInteger();
    final AtomicInteger writableCalls = new AtomicInteger();
    final CountDownLatch endOfInput = new CountDownLatch(1);
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final boolean echo;
    /** Set after onClosed: whether any callback arrived after it. */
    volatile boolean callbackAfterClose;

    record Cause(Throwable value) {}

    Recorder() {
        this(false);
    }

    Recorder(boolean echo) {
        this.echo = echo;
    }

    static Recorder echo() {
        return new Recorder(true);
    }

    @Override
    public void onOpen(Connection connection) {
        checkNotClosed();
        openCalls.incrementAndGet();
        opened.complete(connection);
    }

    @Override
    public void onData(Connection connection, ByteBuffer data) {
        checkNotClosed();
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        synchronized (received) {
            received.writeBytes(copy);
        }
        if (echo) {
            connection.write(ByteBuffer.wrap(copy));
        }
    }

    @Override
    public void onWritable(Connection connection) {
        checkNotClosed();
        writableCalls.incrementAndGet();
    }

    @Override
    public void onEndOfInput(Connection connection) {
        checkNotClosed();
        endOfInput.countDown();
        ConnectionHandler.super.onEndOfInput(connection);
    }

    @Override
    public void onClosed(Connection connection, Throwable cause) {
        closeCalls.incrementAndGet();
        closed.complete(new Cause(cause));
    }

    private void checkNotClosed() {
        if (closed.isDone()) {
            callbackAfterClose = true;
        }
    }

    byte[] received() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    int receivedCount() {
        synchronized (received) {
            return received.size();
        }
    }
}
