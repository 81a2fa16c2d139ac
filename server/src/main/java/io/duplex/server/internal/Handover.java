package io.duplex.server.internal;

import io.duplex.transport.EventLoop;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands one socket's calls from other threads to its loop, in call order, with one loop task per burst
 * rather than per call.
 *
 * <p>Operations wait in a queue; the first operation of a burst schedules a drain task on the loop. A call
 * made on the loop itself must first run what is waiting ({@link #runPending()}), so that it cannot
 * overtake a call another thread made before it.
 *
 * <p>Threading: {@link #submit} from any thread; {@link #runPending} on the loop.
 */
final class Handover {

    private final EventLoop loop;
    private final Runnable drainTask;
    private final ConcurrentLinkedQueue<Runnable> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    /**
     * @param loop the socket's loop
     * @param batch runs the pending operations on the loop, wrapped as the socket needs (it calls
     *     {@link #runPending()} inside its own batch, so the burst's writes are flushed once)
     */
    Handover(EventLoop loop, Runnable batch) {
        this.loop = loop;
        this.drainTask = () -> {
            scheduled.set(false);
            batch.run();
        };
    }

    /** Queues {@code operation} for the loop. Dropped if the loop has shut down (the socket is gone then). */
    void submit(Runnable operation) {
        pending.add(operation);
        if (scheduled.compareAndSet(false, true)) {
            try {
                loop.execute(drainTask);
            } catch (RejectedExecutionException e) {
                pending.clear();
            }
        }
    }

    /** Runs every waiting operation, on the loop. */
    void runPending() {
        for (Runnable operation; (operation = pending.poll()) != null; ) {
            operation.run();
        }
    }

    /** Whether operations are waiting. */
    boolean hasPending() {
        return !pending.isEmpty();
    }
}
