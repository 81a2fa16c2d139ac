package io.duplex.server.internal;

import io.duplex.transport.Connection;
import io.duplex.transport.ConnectionHandler;
import io.duplex.transport.EventLoop;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * A connection for tests: writes are queued, a flush moves them to "the kernel" unless the kernel is
 * blocked, and closing reports onClosed through the loop, as a transport would.
 */
final class FakeConnection implements Connection {

    private final FakeLoop loop;
    private final ByteArrayOutputStream queued = new ByteArrayOutputStream();
    private final ByteArrayOutputStream kernel = new ByteArrayOutputStream();
    private ConnectionHandler handler;
    private boolean kernelBlocked;
    private boolean shortWrite;
    private boolean readingPaused;
    private boolean closing;
    private boolean open = true;
    boolean aborted;

    FakeConnection(FakeLoop loop) {
        this.loop = loop;
    }

    /** Opens the connection to {@code handler}. */
    void open(ConnectionHandler h) {
        this.handler = h;
        h.onOpen(this);
    }

    /** The peer sends bytes. */
    void receive(byte[] bytes) {
        handler.onData(this, ByteBuffer.wrap(bytes.clone()));
        endOfTick();
    }

    /** The peer sends FIN. */
    void receiveEof() {
        handler.onEndOfInput(this);
        endOfTick();
    }

    /** The peer resets the connection. */
    void reset(Throwable cause) {
        open = false;
        handler.onClosed(this, cause);
    }

    /** Stop the kernel from taking bytes (a peer that does not read). */
    void blockKernel(boolean blocked) {
        kernelBlocked = blocked;
        if (!blocked) {
            flushToKernel();
        }
    }

    /** Bytes the kernel took so far, removed from it. */
    byte[] takeWritten() {
        byte[] bytes = kernel.toByteArray();
        kernel.reset();
        return bytes;
    }

    boolean closing() {
        return closing;
    }

    /** What a transport does at the end of a loop tick: write what is corked, run tasks. */
    void endOfTick() {
        loop.runTasks();
        flushToKernel();
        loop.runTasks();
    }

    private void flushToKernel() {
        if (kernelBlocked || queued.size() == 0) {
            return;
        }
        kernel.writeBytes(queued.toByteArray());
        queued.reset();
        if (shortWrite) {
            shortWrite = false;
            handler.onWritable(this);
        }
        if (closing && open) {
            finishClose(null);
        }
    }

    private void finishClose(Throwable cause) {
        open = false;
        loop.execute(() -> handler.onClosed(this, cause));
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public SocketAddress localAddress() {
        return new InetSocketAddress("127.0.0.1", 8080);
    }

    @Override
    public SocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public Optional<SSLSession> tlsSession() {
        return Optional.empty();
    }

    @Override
    public void write(ByteBuffer bytes) {
        if (closing || !open) {
            return;
        }
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        queued.writeBytes(copy);
    }

    @Override
    public void flush() {
        if (kernelBlocked && queued.size() > 0) {
            shortWrite = true;
        }
        flushToKernel();
    }

    @Override
    public long pendingWriteBytes() {
        return queued.size();
    }

    @Override
    public void pauseReading() {
        readingPaused = true;
    }

    @Override
    public void resumeReading() {
        readingPaused = false;
    }

    @Override
    public boolean isReadingPaused() {
        return readingPaused;
    }

    @Override
    public void close() {
        if (closing || !open) {
            return;
        }
        closing = true;
        if (queued.size() == 0) {
            finishClose(null);
        } else {
            shortWrite = true;
        }
    }

    @Override
    public void abort() {
        if (!open) {
            return;
        }
        aborted = true;
        closing = true;
        queued.reset();
        finishClose(null);
    }

    @Override
    public boolean isOpen() {
        return open;
    }
}
