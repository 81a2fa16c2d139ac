package io.duplex.server.internal;

import io.duplex.transport.EventLoop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;

/**
 * Hands one socket's calls from other threads to its loop, in call order, with one loop task per burst
 * rather than per call.
 *
 * <p>Operations wait in a queue; the first operation of a burst schedules this object (it is the drain
 * task) on the loop. A call made on the loop itself must first run what is waiting ({@link #runPending()}),
 * so that it cannot overtake a call another thread made before it. A socket creates its hand-over on the
 * first call from another thread, so sockets only ever used from their loop hold none.
 *
 * <p>Threading: {@link #submit} from any thread; {@link #runPending} and {@link #run} on the loop.
 */
final class Handover implements Runnable {

    private static final VarHandle SCHEDULED;

    static {
        try {
            SCHEDULED = MethodHandles.lookup().findVarHandle(Handover.class, "scheduled", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EventLoop loop;
    private final Runnable batch;
    private final ConcurrentLinkedQueue<Runnable> pending = new ConcurrentLinkedQueue<>();
    @SuppressWarnings("unused") // read and written through SCHEDULED
    private volatile boolean scheduled;

    /**
     * @param loop the socket's loop
     * @param batch runs the pending operations on the loop, wrapped as the socket needs (it calls
     *     {@link #runPending()} inside its own batch, so the burst's writes are flushed once)
     */
    Handover(EventLoop loop, Runnable batch) {
        this.loop = loop;
        this.batch = batch;
    }

    /** Queues {@code operation} for the loop. Dropped if the loop has shut down (the socket is gone then). */
    void submit(Runnable operation) {
        pending.add(operation);
        if (SCHEDULED.compareAndSet(this, false, true)) {
            try {
                loop.execute(this);
            } catch (RejectedExecutionException e) {
                pending.clear();
            }
        }
    }

    /** The drain task: runs the burst on the loop. */
    @Override
    public void run() {
        scheduled = false;
        batch.run();
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
