package io.duplex.transport;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * One thread running one NIO selector. Connections are pinned to a loop for life; everything that
 * touches a connection runs on its loop.
 *
 * <p>Threading: {@link #execute}, {@link #schedule} and {@link #inEventLoop} may be called from any
 * thread; {@link #execute} is the only way for other threads to reach a loop's connections.
 */
public interface EventLoop extends Executor {

    /**
     * Runs {@code task} on this loop's thread, after the current tick's I/O; tasks run in submission
     * order. A task that throws is reported through {@link System.Logger} and does not stop the loop.
     *
     * @throws java.util.concurrent.RejectedExecutionException if the loop has shut down
     */
    @Override
    void execute(Runnable task);

    /** Whether the calling thread is this loop's thread. */
    boolean inEventLoop();

    /**
     * Runs {@code task} on this loop after {@code delay}, with the timer wheel's resolution (documented on
     * the implementation; at most tens of milliseconds late). Cheap enough to arm one per connection.
     */
    Timeout schedule(Runnable task, Duration delay);

    /**
     * The loop's clock, {@link System#nanoTime()} read once per tick. Use it for timestamps taken per
     * message (idle timeouts) without a system call per message. Only meaningful on the loop thread.
     */
    long nanoTime();
}
