package io.duplex.transport.internal;

import io.duplex.transport.EventLoop;
import io.duplex.transport.Timeout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One thread, one selector, and everything pinned to them: connections, listeners, a {@link TimerWheel}, a
 * direct receive buffer shared by every read, and a {@link SocketWriter}.
 *
 * <p>Theory of operation. The loop repeats one tick: select (blocking only when no task is waiting, for at
 * most the time to the next timer tick), dispatch ready keys to their {@link IoHandle}, read the clock once,
 * run due timers, run tasks submitted with {@link #execute}, run loop-local deferred work (close
 * notifications), then flush every connection that queued output during the tick, each with one gathering
 * write. {@link #execute} is the only entry from other threads: a lock-free queue plus a selector wakeup that
 * is only paid for when the loop is (about to be) blocked in select, tracked by {@link #wakeupNeeded}.
 * Nothing a handler or task throws ends the loop. Shutdown: {@link #shutdown()} sets a flag; the loop then
 * stops accepting tasks, runs those already queued, aborts its connections, closes its listeners and its
 * selector, and its thread ends.
 *
 * <p>Threading: {@link #execute}, {@link #schedule}, {@link #inEventLoop}, {@link #shutdown} and
 * {@link #busySince} from any thread; everything else on the loop thread.
 */
public final class NioEventLoop implements EventLoop {

    private static final System.Logger LOG = System.getLogger(NioEventLoop.class.getName());
    private static final int MAX_SPARE_WRITE_QUEUES = 256;
    /** Tasks run per tick before I/O gets another turn. */
    private static final int TASKS_PER_TICK = 4096;
    private static final int STAGING_BYTES = 64 * 1024;

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Runnable> localTasks = new ArrayDeque<>();
    private final AtomicBoolean wakeupNeeded = new AtomicBoolean();
    private final ArrayList<NioConnection> flushList = new ArrayList<>();
    private final Consumer<SelectionKey> dispatch = this::dispatch;
    private final TimerWheel timers;
    private final ByteBuffer receiveBuffer;
    /** Drained write queues for reuse (loop thread only); at most {@link #MAX_SPARE_WRITE_QUEUES}. */
    private final ArrayDeque<WriteQueue> spareWriteQueues = new ArrayDeque<>();
    private final SocketWriter writer = new SocketWriter(STAGING_BYTES);
    private final Duration lingerTimeout;

    private long now;
    private boolean clockRead;
    /** System.nanoTime() when the current tick's work began, 0 while selecting; read by the watchdog. */
    private volatile long busySince;
    private volatile boolean shutdownRequested;
    private volatile boolean terminated;

    /** @param lingerTimeout how long a closed connection waits for the peer's end of input; see {@link LingeringClose} */
    NioEventLoop(String name, int receiveBufferSize, Duration lingerTimeout) {
        this.lingerTimeout = Objects.requireNonNull(lingerTimeout, "lingerTimeout");
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for event loop " + name, e);
        }
        this.receiveBuffer = ByteBuffer.allocateDirect(receiveBufferSize);
        this.now = System.nanoTime();
        this.timers = new TimerWheel(now);
        // Not a daemon: a server's main thread may return once it listens; shutdown() ends the loops.
        this.thread = new Thread(this::run, name);
    }

    void start() {
        thread.start();
    }

    Thread thread() {
        return thread;
    }

    // ---- EventLoop ----

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (terminated) {
            throw new RejectedExecutionException("event loop " + thread.getName() + " has shut down");
        }
        tasks.offer(task);
        // The final drain may have run between the check and the offer: take the task back if it is still there.
        if (terminated && tasks.remove(task)) {
            throw new RejectedExecutionException("event loop " + thread.getName() + " has shut down");
        }
        if (Thread.currentThread() != thread && wakeupNeeded.get() && wakeupNeeded.compareAndSet(true, false)) {
            selector.wakeup();
        }
    }

    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    /** {@inheritDoc} Resolution: 10 ms ticks on a 512-slot wheel; see {@link TimerWheel}. */
    @Override
    public Timeout schedule(Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        // Clamped to about 36 years ("never") so that the deadline cannot overflow.
        long nanos = Math.min(Math.max(0, saturatedNanos(delay)), Long.MAX_VALUE >> 3);
        WheelTimeout timeout = new WheelTimeout(this, task, System.nanoTime() + nanos);
        if (inEventLoop()) {
            timers.add(timeout);
        } else {
            execute(() -> timers.add(timeout));
        }
        return timeout;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public String toString() {
        return "EventLoop[" + thread.getName() + "]";
    }

    // ---- for connections and listeners (loop thread) ----

    TimerWheel timers() {
        return timers;
    }

    ByteBuffer receiveBuffer() {
        return receiveBuffer;
    }

    /** A write queue for a connection that has output pending: a drained one if any is kept, else new. */
    WriteQueue writeQueue() {
        WriteQueue spare = spareWriteQueues.pollFirst();
        return spare != null ? spare : new WriteQueue();
    }

    /**
     * Takes back a connection's drained write queue. Busy connections take and drain one each tick, so
     * keeping a few makes their output garbage-free; idle connections hold none either way.
     */
    void recycle(WriteQueue drained) {
        if (drained.reusable() && spareWriteQueues.size() < MAX_SPARE_WRITE_QUEUES) {
            spareWriteQueues.addFirst(drained);
        }
    }

    SocketWriter writer() {
        return writer;
    }

    Duration lingerTimeout() {
        return lingerTimeout;
    }

    SelectionKey register(SelectableChannel channel, int ops, IoHandle handle) throws ClosedChannelException {
        return channel.register(selector, ops, handle);
    }

    /** Flushes {@code connection} at the end of this tick. */
    void flushAtEndOfTick(NioConnection connection) {
        flushList.add(connection);
    }

    /** Runs {@code task} later in this tick, after the current callback has returned. */
    void runLater(Runnable task) {
        localTasks.addLast(task);
    }

    /** Runs {@code task}, logging what it throws instead of letting it end the loop. */
    void runGuarded(Runnable task, String what) {
        try {
            task.run();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, what + " on " + thread.getName() + " threw; the loop goes on", t);
        }
    }

    /** 0 while the loop waits in select; otherwise when its current tick's work began. Any thread. */
    long busySince() {
        return busySince;
    }

    /** Asks the loop to shut down (see the class comment). Any thread. */
    void shutdown() {
        shutdownRequested = true;
        selector.wakeup();
    }

    /** Releases the selector of a loop whose thread was never started. */
    void discard() {
        terminated = true;
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the selector of " + thread.getName() + " failed", e);
        }
    }

    // ---- the loop ----

    private void run() {
        while (!shutdownRequested) {
            try {
                tick();
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.ERROR, "event loop " + thread.getName() + " failed a tick; the loop goes on", t);
            }
        }
        terminate();
    }

    private void tick() throws IOException {
        clockRead = false;
        if (!tasks.isEmpty() || !localTasks.isEmpty()) {
            selector.selectNow(dispatch);
        } else {
            long timeout = timers.nanosUntilNextTick(System.nanoTime());
            wakeupNeeded.set(true);
            // Re-check after publishing the flag: a task offered before it was set saw no need to wake us.
            if (!tasks.isEmpty() || timeout == 0 || shutdownRequested) {
                selector.selectNow(dispatch);
            } else {
                selector.select(dispatch, timeout < 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeout + 999_999)));
            }
            wakeupNeeded.lazySet(false);
        }
        readClock();
        timers.expire(now, this);
        runTasks();
        runLocalTasks();
        flushConnections();
        busySince = 0;
    }

    private void dispatch(SelectionKey key) {
        readClock();
        try {
            ((IoHandle) key.attachment()).onReady(key.readyOps());
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "I/O dispatch on " + thread.getName() + " threw; the loop goes on", t);
        }
    }

    private void readClock() {
        if (!clockRead) {
            clockRead = true;
            long t = System.nanoTime();
            now = t;
            busySince = t == 0 ? 1 : t;
        }
    }

    private void runTasks() {
        for (int i = 0; i < TASKS_PER_TICK; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            runGuarded(task, "task");
        }
    }

    private void runLocalTasks() {
        for (Runnable task; (task = localTasks.pollFirst()) != null; ) {
            runGuarded(task, "deferred task");
        }
    }

    private void flushConnections() {
        // By index: a flush may queue another connection (never this list's current one) for this same tick.
        for (int i = 0; i < flushList.size(); i++) {
            flushList.get(i).flushAtTickEnd();
        }
        flushList.clear();
    }

    private void terminate() {
        terminated = true;
        readClock();
        runTasks();
        while (!tasks.isEmpty()) {
            runTasks();
        }
        for (SelectionKey key : selector.keys().toArray(SelectionKey[]::new)) {
            if (key.attachment() instanceof IoHandle handle) {
                runGuarded(handle::onLoopShutdown, "shutdown of " + handle);
            }
        }
        runLocalTasks();
        flushList.clear();
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the selector of " + thread.getName() + " failed", e);
        }
        busySince = 0;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
