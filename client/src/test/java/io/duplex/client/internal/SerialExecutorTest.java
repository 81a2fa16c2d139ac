package io.duplex.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

    @Test
    void runsTasksOneAtATimeInOrderOnAConcurrentPool() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            SerialExecutor serial = new SerialExecutor(pool);
            List<Integer> order = new CopyOnWriteArrayList<>();
            AtomicInteger inside = new AtomicInteger();
            AtomicBoolean overlapped = new AtomicBoolean();
            CountDownLatch done = new CountDownLatch(2000);
            Thread[] submitters = new Thread[2];
            for (int t = 0; t < 2; t++) {
                int base = t * 1000;
                submitters[t] = Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 1000; i++) {
                        int n = base + i;
                        serial.execute(() -> {
                            if (inside.incrementAndGet() != 1) {
                                overlapped.set(true);
                            }
                            order.add(n);
                            inside.decrementAndGet();
                            done.countDown();
                        });
                    }
                });
            }
            for (Thread t : submitters) {
                t.join();
            }
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(overlapped).isFalse();
            // each submitter's tasks ran in its submission order
            assertThat(order.stream().filter(n -> n < 1000).toList()).isSorted();
            assertThat(order.stream().filter(n -> n >= 1000).toList()).isSorted();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aThrowingTaskDoesNotStopTheQueue() throws Exception {
        SerialExecutor serial = SerialExecutor.onVirtualThreads();
        CountDownLatch ran = new CountDownLatch(1);
        serial.execute(() -> {
            throw new IllegalStateException("expected by this test");
        });
        serial.execute(ran::countDown);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    }
}
