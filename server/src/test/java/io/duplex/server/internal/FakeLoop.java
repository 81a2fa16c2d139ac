package io.duplex.server.internal;

import io.duplex.transport.EventLoop;
import io.duplex.transport.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A deterministic event loop for tests: a manual clock, tasks that run when the test says so, timers that
 * fire when the clock is advanced past them. The thread that creates it is its loop thread.
 */
final class FakeLoop implements EventLoop {

    private final Thread owner = Thread.currentThread();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<Timer> timers = new ArrayList<>();
    private long nanos = 1_000_000_000L;

    final class Timer implements Timeout {
        final long due;
        final Runnable task;
        boolean cancelled;
        boolean expired;

        Timer(long due, Runnable task) {
            this.due = due;
            this.task = task;
        }

        @Override
        public boolean cancel() {
            if (cancelled || expired) {
                return false;
            }
            cancelled = true;
            return true;
        }

        @Override
        public boolean isExpired() {
            return expired;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == owner;
    }

    @Override
    public Timeout schedule(Runnable task, Duration delay) {
        Timer timer = new Timer(nanos + delay.toNanos(), task);
        timers.add(timer);
        return timer;
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    /** Runs queued tasks (and the tasks they queue) until none is left. */
    void runTasks() {
        for (Runnable task; (task = tasks.poll()) != null; ) {
            task.run();
        }
    }

    /** Moves the clock forward, firing due timers in order, with queued tasks run in between. */
    void advance(Duration duration) {
        long target = nanos + duration.toNanos();
        runTasks();
        while (true) {
            Timer next = timers.stream().filter(t -> !t.cancelled && !t.expired && t.due <= target)
                    .min(Comparator.comparingLong(t -> t.due)).orElse(null);
            if (next == null) {
                break;
            }
            nanos = Math.max(nanos, next.due);
            next.expired = true;
            next.task.run();
            runTasks();
        }
        nanos = target;
        timers.removeIf(t -> t.cancelled || t.expired);
    }

    /** Timers armed and not yet fired or cancelled. */
    int activeTimers() {
        return (int) timers.stream().filter(t -> !t.cancelled && !t.expired).count();
    }
}
