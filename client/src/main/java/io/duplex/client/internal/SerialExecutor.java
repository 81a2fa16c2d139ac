package io.duplex.client.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs tasks one at a time, in submission order, on an underlying executor that may run them
 * concurrently: the per-socket event queue (the HTML standard's task source for one WebSocket).
 *
 * <p>Theory of operation: tasks go into a queue; when the first task arrives while idle, one drain task is
 * submitted to the underlying executor, and it runs queued tasks until the queue is empty. At most one
 * drain task exists at a time, so tasks never overlap and the order is kept, whatever the underlying
 * executor does.
 *
 * <p>Threading: {@link #execute} is safe from any thread.
 */
public final class SerialExecutor implements Executor {

    private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

    private final Executor underlying;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean draining;

    /**
     * @param underlying where the drain task runs
     */
    public SerialExecutor(Executor underlying) {
        this.underlying = underlying;
    }

    /** A serial executor over virtual threads: handlers may block without holding up any I/O thread. */
    public static SerialExecutor onVirtualThreads() {
        return new SerialExecutor(task -> Thread.ofVirtual().name("duplex-ws-events").start(task));
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (draining) {
                return;
            }
            draining = true;
        }
        try {
            underlying.execute(this::drain);
        } catch (RuntimeException e) {
            synchronized (tasks) {
                draining = false;
            }
            throw e;
        }
    }

    private void drain() {
        while (true) {
            Runnable task;
            synchronized (tasks) {
                task = tasks.poll();
                if (task == null) {
                    draining = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "event task threw", e);
            }
        }
    }
}
