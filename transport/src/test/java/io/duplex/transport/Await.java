package io.duplex.transport;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting helpers with deadlines, so that no test sleeps to synchronise. */
final class Await {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Await() {}

    /** Polls {@code condition} every millisecond until it holds; fails naming {@code what} after 10 s. */
    static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + TIMEOUT.toSeconds() + " s waiting for " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** Runs {@code task} on {@code loop} and returns its result. */
    static <T> T onLoop(EventLoop loop, Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
}
