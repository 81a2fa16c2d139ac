package io.duplex.transport.internal;

import io.duplex.transport.Timeout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.RejectedExecutionException;

/**
 * One timer of a {@link TimerWheel}: PENDING, then either EXPIRED (its task ran) or CANCELLED. The state is
 * the only field other threads touch; the links belong to the loop thread.
 *
 * <p>Threading: {@link #cancel()}, {@link #isExpired()} and {@link #isCancelled()} from any thread; the
 * rest on the owning loop's thread.
 */
final class WheelTimeout implements Timeout {

    private static final int PENDING = 0;
    private static final int EXPIRED = 1;
    private static final int CANCELLED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WheelTimeout.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final NioEventLoop loop;
    private final Runnable task;
    private final long deadline;
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    // Owned by the wheel, on the loop thread.
    long tick;
    int slot = -1;
    WheelTimeout prev;
    WheelTimeout next;

    WheelTimeout(NioEventLoop loop, Runnable task, long deadline) {
        this.loop = loop;
        this.task = task;
        this.deadline = deadline;
    }

    long deadline() {
        return deadline;
    }

    boolean isPending() {
        return (int) STATE.getVolatile(this) == PENDING;
    }

    /** Runs the task unless it was cancelled first. On the loop thread. */
    void expire(NioEventLoop caller) {
        if (STATE.compareAndSet(this, PENDING, EXPIRED)) {
            caller.runGuarded(task, "timer task");
        }
    }

    @Override
    public boolean cancel() {
        if (!STATE.compareAndSet(this, PENDING, CANCELLED)) {
            return false;
        }
        if (loop.inEventLoop()) {
            loop.timers().remove(this);
        } else {
            try {
                loop.execute(() -> loop.timers().remove(this));
            } catch (RejectedExecutionException e) {
                // The loop has shut down and its wheel is gone with it.
            }
        }
        return true;
    }

    @Override
    public boolean isExpired() {
        return (int) STATE.getVolatile(this) == EXPIRED;
    }

    @Override
    public boolean isCancelled() {
        return (int) STATE.getVolatile(this) == CANCELLED;
    }

    @Override
    public String toString() {
        String s = switch ((int) STATE.getVolatile(this)) {
            case PENDING -> "pending";
            case EXPIRED -> "expired";
            default -> "cancelled";
        };
        return "Timeout[" + s + "]";
    }
}
