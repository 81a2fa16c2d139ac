package io.duplex.transport;

/**
 * A task scheduled with {@link EventLoop#schedule}.
 *
 * <p>Threading: {@link #cancel()} may be called from any thread; a cancel from another thread takes effect
 * on the loop, so the task may still run if it was already due.
 */
public interface Timeout {

    /** Cancels the task. Returns false if it has already run or been cancelled. */
    boolean cancel();

    /** Whether the task has run (or started running). */
    boolean isExpired();

    /** Whether {@link #cancel()} succeeded. */
    boolean isCancelled();
}
