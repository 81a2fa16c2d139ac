package io.duplex.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The watchdog reports a loop stuck in one tick once per episode, with the loop thread's stack. */
@Timeout(30)
class BlockedLoopTest {

    @Test
    void aBlockedLoopIsReportedOncePerEpisodeWithItsStack() throws Exception {
        try (LogCapture logs = new LogCapture();
                EventLoopGroup group = EventLoopGroup.builder().loops(1).threadNamePrefix("blocked-")
                        .blockedLoopThreshold(Duration.ofMillis(100)).build()) {
            EventLoop loop = group.next();

            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> blockUntil(release));
            Await.until("a blocked-loop report", () -> logs.warningsFrom("BlockedLoopWatchdog").size() == 1);
            LogCapture.Warning report = logs.warningsFrom("BlockedLoopWatchdog").get(0);
            assertThat(report.message()).contains("blocked-0").contains("threshold of 100 ms");
            assertThat(Arrays.stream(report.thrown().getStackTrace()))
                    .anySatisfy(frame -> assertThat(frame.getMethodName()).isEqualTo("blockUntil"));
            // Still stuck for several more watchdog periods (50 ms each): no second report for this episode.
            assertThat(awaitReports(logs, 2, 400)).isFalse();
            release.countDown();
            Await.onLoop(loop, () -> null);

            CountDownLatch releaseAgain = new CountDownLatch(1);
            loop.execute(() -> blockUntil(releaseAgain));
            Await.until("a report of the second episode", () -> logs.warningsFrom("BlockedLoopWatchdog").size() == 2);
            releaseAgain.countDown();
        }
    }

    @Test
    void aZeroThresholdTurnsTheWatchdogOff() throws Exception {
        try (LogCapture logs = new LogCapture();
                EventLoopGroup group = EventLoopGroup.builder().loops(1).threadNamePrefix("unwatched-")
                        .blockedLoopThreshold(Duration.ZERO).build()) {
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("unwatched-watchdog"));
            CountDownLatch release = new CountDownLatch(1);
            group.next().execute(() -> blockUntil(release));
            assertThat(awaitReports(logs, 1, 300)).isFalse();
            release.countDown();
        }
    }

    private static void blockUntil(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@code count} reports exist within {@code millis} (a bounded wait for something that should not happen). */
    private static boolean awaitReports(LogCapture logs, int count, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() - deadline < 0) {
            if (logs.warningsFrom("BlockedLoopWatchdog").size() >= count) {
                return true;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
        return logs.warningsFrom("BlockedLoopWatchdog").size() >= count;
    }
}
