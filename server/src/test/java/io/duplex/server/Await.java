package io.duplex.server;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Poll-until with a deadline, for state that has no event to wait on (a counter falling to zero). */
final class Await {

    private Await() {
    }

    /** Whether {@code condition} became true within {@code timeout}; checks every millisecond. */
    static boolean until(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(1_000_000);
        }
        return true;
    }
}
