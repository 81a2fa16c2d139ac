package io.duplex.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tasks, the loop clock and timers on a real loop thread. */
@org.junit.jupiter.api.Timeout(30)
class EventLoopTest {

    private final EventLoopGroup group = EventLoopGroup.builder().loops(2).threadNamePrefix("test-loop-").build();

    @AfterEach
    void shutdown() {
        group.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void theGroupHasItsLoopsOnNamedThreads() throws Exception {
        assertThat(group.loops()).hasSize(2);
        EventLoop loop = group.loops().get(1);
        assertThat(loop.inEventLoop()).isFalse();
        assertThat(Await.onLoop(loop, loop::inEventLoop)).isTrue();
        assertThat(Await.onLoop(loop, () -> Thread.currentThread().getName())).isEqualTo("test-loop-1");
        assertThat(group.next()).isNotSameAs(group.next());
    }

    @Test
    void tasksFromManyThreadsAllRunOnTheLoopInEachThreadsOrder() throws Exception {
        EventLoop loop = group.next();
        int threads = 8;
        int perThread = 20_000;
        long[] counter = {0};                // touched only on the loop thread
        int[] next = new int[threads];       // ditto: the next sequence number expected from each thread
        AtomicBoolean outOfOrder = new AtomicBoolean();
        AtomicBoolean offLoop = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    int seq = i;
                    loop.execute(() -> {
                        if (!loop.inEventLoop()) {
                            offLoop.set(true);
                        }
                        if (next[id] != seq) {
                            outOfOrder.set(true);
                        }
                        next[id] = seq + 1;
                        counter[0]++;
                    });
                }
            });
            thread.start();
            submitters.add(thread);
        }
        start.countDown();
        for (Thread thread : submitters) {
            thread.join(TimeUnit.SECONDS.toMillis(20));
        }
        assertThat(Await.onLoop(loop, () -> counter[0])).isEqualTo((long) threads * perThread);
        assertThat(outOfOrder).isFalse();
        assertThat(offLoop).isFalse();
    }

    @Test
    void aThrowingTaskIsLoggedAndTheLoopGoesOn() throws Exception {
        EventLoop loop = group.next();
        try (LogCapture logs = new LogCapture()) {
            loop.execute(() -> {
                throw new IllegalStateException("task bug");
            });
            assertThat(Await.onLoop(loop, () -> 42)).isEqualTo(42);
            assertThat(logs.warningsFrom("NioEventLoop"))
                    .anySatisfy(r -> assertThat(r.thrown()).hasMessage("task bug"));
        }
    }

    @Test
    void theLoopClockIsReadOncePerTickAndMovesForward() throws Exception {
        EventLoop loop = group.next();
        long[] sameTick = Await.onLoop(loop, () -> new long[] {loop.nanoTime(), loop.nanoTime()});
        assertThat(sameTick[0]).isEqualTo(sameTick[1]);
        // A timer runs in a tick that began at or after its deadline, so its tick's clock has passed the deadline.
        long before = System.nanoTime();
        java.util.concurrent.CompletableFuture<Long> inTimer = new java.util.concurrent.CompletableFuture<>();
        loop.schedule(() -> inTimer.complete(loop.nanoTime()), Duration.ofMillis(20));
        assertThat(Await.get(inTimer)).isGreaterThanOrEqualTo(before + TimeUnit.MILLISECONDS.toNanos(20));
    }

    @Test
    void executeAfterShutdownIsRejected() {
        EventLoop loop = group.next();
        assertThat(group.shutdown(Duration.ofSeconds(5))).isTrue();
        assertThatThrownBy(() -> loop.execute(() -> { })).isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("shut down");
    }

    @Test
    void timersRunInDeadlineOrderAndNeverEarly() throws Exception {
        EventLoop loop = group.next();
        int[] delays = {80, 20, 60, 40};
        int n = delays.length;
        List<Integer> fired = new ArrayList<>(); // on the loop only
        long[] before = new long[n];
        long[] after = new long[n];
        AtomicLong[] firedAt = new AtomicLong[n];
        CountDownLatch all = new CountDownLatch(n);
        List<Timeout> timeouts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            AtomicLong at = new AtomicLong();
            firedAt[i] = at;
            before[i] = System.nanoTime();
            timeouts.add(loop.schedule(() -> {
                at.set(System.nanoTime());
                fired.add(index);
                all.countDown();
            }, Duration.ofMillis(delays[i])));
            after[i] = System.nanoTime();
        }
        assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
        List<Integer> order = Await.onLoop(loop, () -> List.copyOf(fired));
        assertThat(order).containsExactlyInAnyOrder(0, 1, 2, 3);
        for (int i = 0; i < n; i++) {
            long deadlineAtLeast = before[i] + TimeUnit.MILLISECONDS.toNanos(delays[i]);
            assertThat(firedAt[i].get()).as("timer of %d ms is not early", delays[i]).isGreaterThanOrEqualTo(deadlineAtLeast);
            for (int j = 0; j < n; j++) {
                // When deadlines certainly differ (the test thread may be descheduled between schedule calls),
                // the earlier one fires first.
                if (after[i] + TimeUnit.MILLISECONDS.toNanos(delays[i]) < before[j] + TimeUnit.MILLISECONDS.toNanos(delays[j])) {
                    assertThat(order.indexOf(i)).as("timer %d ms before timer %d ms", delays[i], delays[j])
                            .isLessThan(order.indexOf(j));
                }
            }
            assertThat(timeouts.get(i).isExpired()).isTrue();
            assertThat(timeouts.get(i).cancel()).isFalse();
            assertThat(timeouts.get(i).isCancelled()).isFalse();
        }
    }

    @Test
    void aCancelledTimerNeverRuns() throws Exception {
        EventLoop loop = group.next();
        AtomicBoolean ranCancelled = new AtomicBoolean();
        Timeout cancelled = loop.schedule(() -> ranCancelled.set(true), Duration.ofMillis(30));
        assertThat(cancelled.cancel()).isTrue();
        assertThat(cancelled.cancel()).isFalse();
        assertThat(cancelled.isCancelled()).isTrue();
        // Cancel on the loop thread too, for a timer scheduled there.
        Timeout onLoop = Await.onLoop(loop, () -> {
            Timeout t = loop.schedule(() -> ranCancelled.set(true), Duration.ofMillis(30));
            t.cancel();
            return t;
        });
        assertThat(onLoop.isCancelled()).isTrue();
        CountDownLatch later = new CountDownLatch(1);
        loop.schedule(later::countDown, Duration.ofMillis(100));
        assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ranCancelled).isFalse();
        assertThat(cancelled.isExpired()).isFalse();
    }

    @Test
    void aTimerScheduledOnTheLoopWithNoDelayRunsOnALaterTick() throws Exception {
        EventLoop loop = group.next();
        CountDownLatch ran = new CountDownLatch(1);
        boolean ranInline = Await.onLoop(loop, () -> {
            loop.schedule(ran::countDown, Duration.ZERO);
            return ran.getCount() == 0;
        });
        assertThat(ranInline).isFalse();
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    }
}
