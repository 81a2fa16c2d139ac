package io.duplex.server.internal;

import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one socket's callbacks on virtual threads, one at a time, in submission order
 * ({@link io.duplex.server.HandlerExecution#VIRTUAL_THREAD}).
 *
 * <h2>Theory of operation</h2>
 * Tasks go into a queue. While the queue is non-empty exactly one virtual thread drains it: the submitter
 * that finds no drainer running starts one; a drainer that empties the queue stops, then re-checks once
 * so that a task submitted in that instant is not stranded. A blocked callback therefore holds up only its
 * own socket, and the next callback never starts before the previous one returns.
 * <p>Memory stays bounded by receive backpressure: when more than {@link #MAX_QUEUED_TASKS} tasks or
 * {@link #MAX_QUEUED_BYTES} payload bytes wait, {@link Flow#backlogHigh()} is called (the socket stops
 * reading), and once the drainer has emptied the queue, {@link Flow#backlogDrained()}.
 *
 * <p>Threading: {@link #submit} from one thread at a time (the socket's loop); tasks run on virtual threads.
 */
final class SerialExecutor {

    /** Tasks queued before reading pauses: a burst of small messages from one read. */
    static final int MAX_QUEUED_TASKS = 64;
    /** Payload bytes queued before reading pauses. */
    static final long MAX_QUEUED_BYTES = 1 << 20;

    private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

    /** Receive backpressure: called from the drainer and the submitter; must hop to the loop itself. */
    interface Flow {
        /** Too much is queued: stop reading. Called on the submitting thread. */
        void backlogHigh();

        /** The queue emptied after a pause: reading may resume. Called on the drainer's virtual thread. */
        void backlogDrained();
    }

    private record Task(Runnable work, long bytes) {
    }

    private final String name;
    private final Flow flow;
    private final ConcurrentLinkedQueue<Task> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedTasks = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean paused = new AtomicBoolean();

    SerialExecutor(String name, Flow flow) {
        this.name = name;
        this.flow = flow;
    }

    /** Queues {@code work}, which carries {@code bytes} of payload, to run after everything queued before. */
    void submit(Runnable work, long bytes) {
        queue.add(new Task(work, bytes));
        int tasks = queuedTasks.incrementAndGet();
        long total = queuedBytes.addAndGet(bytes);
        if ((tasks > MAX_QUEUED_TASKS || total > MAX_QUEUED_BYTES) && paused.compareAndSet(false, true)) {
            flow.backlogHigh();
        }
        if (draining.compareAndSet(false, true)) {
            Thread.ofVirtual().name(name).start(this::drain);
        }
    }

    /** Whether reading is paused for this executor's backlog. */
    boolean paused() {
        return paused.get();
    }

    /** Tasks waiting or running. */
    int queuedTasks() {
        return queuedTasks.get();
    }

    private void drain() {
        while (true) {
            Task task = queue.poll();
            if (task == null) {
                draining.set(false);
                // A task submitted after the poll but before the flag was cleared would be stranded.
                if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            try {
                task.work().run();
            } catch (Throwable t) {
                // Tasks catch the handler's exceptions themselves; this is a bug in the server.
                LOG.log(Level.ERROR, "task on " + name + " threw", t);
            }
            queuedBytes.addAndGet(-task.bytes());
            if (queuedTasks.decrementAndGet() == 0 && paused.compareAndSet(true, false)) {
                flow.backlogDrained();
            }
        }
    }
}
