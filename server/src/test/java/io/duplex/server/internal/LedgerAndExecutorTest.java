package io.duplex.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.server.BackpressurePolicy;
import io.duplex.server.SendStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The send ledger's arithmetic and the virtual-thread serial executor, without sockets. */
class LedgerAndExecutorTest {

    @Test
    void ledgerReconcilesMessagesByTheirLastWireByte() {
        SendLedger ledger = new SendLedger(100, BackpressurePolicy.BUFFER);
        assertThat(ledger.admit(60)).isEqualTo(SendLedger.Admission.QUEUE);
        ledger.queued(64, 60); // 4 bytes of header
        assertThat(ledger.admit(60)).isEqualTo(SendLedger.Admission.QUEUE_OVER_LIMIT);
        ledger.queued(128, 60);
        assertThat(ledger.bufferedAmount()).isEqualTo(120);

        assertThat(ledger.reconcile(63)).isFalse();
        assertThat(ledger.bufferedAmount()).isEqualTo(120);
        assertThat(ledger.reconcile(64)).isFalse();
        assertThat(ledger.bufferedAmount()).isEqualTo(60);
        assertThat(ledger.reconcile(128)).as("drain after BACKPRESSURE").isTrue();
        assertThat(ledger.bufferedAmount()).isZero();
        assertThat(ledger.reconcile(128)).isFalse();
    }

    @Test
    void drainIsSignalledOnceAndOnlyAfterBackpressure() {
        SendLedger ledger = new SendLedger(100, BackpressurePolicy.BUFFER);
        ledger.admit(10);
        ledger.queued(12, 10);
        assertThat(ledger.reconcile(12)).isFalse();
        ledger.admit(200);
        assertThat(ledger.cancel(200)).isTrue();
        ledger.admit(1);
        assertThat(ledger.cancel(1)).isFalse();
    }

    @Test
    void policiesOverTheLimit() {
        for (BackpressurePolicy policy : BackpressurePolicy.values()) {
            SendLedger ledger = new SendLedger(100, policy);
            assertThat(ledger.admit(101)).isEqualTo(SendLedger.Admission.QUEUE_OVER_LIMIT);
            SendLedger.Admission next = ledger.admit(50);
            switch (policy) {
                case BUFFER -> {
                    assertThat(next).isEqualTo(SendLedger.Admission.QUEUE_OVER_LIMIT);
                    assertThat(ledger.admit(50)).isEqualTo(SendLedger.Admission.DROP); // 201 > 2 x 100
                    assertThat(ledger.bufferedAmount()).isEqualTo(151);
                }
                case DROP -> assertThat(next).isEqualTo(SendLedger.Admission.DROP);
                case CLOSE_POLICY_VIOLATION, CLOSE_TRY_AGAIN_LATER -> {
                    assertThat(next).isEqualTo(SendLedger.Admission.DROP_AND_CLOSE);
                    assertThat(next.status()).isEqualTo(SendStatus.DROPPED);
                }
            }
        }
    }

    @Test
    void ledgerRingGrowsPastItsInitialCapacity() {
        SendLedger ledger = new SendLedger(1 << 20, BackpressurePolicy.BUFFER);
        for (int i = 1; i <= 100; i++) {
            ledger.admit(1);
            ledger.queued(i * 3L, 1);
        }
        ledger.reconcile(150);
        assertThat(ledger.bufferedAmount()).isEqualTo(50);
        ledger.clear();
        assertThat(ledger.bufferedAmount()).isZero();
    }

    @Test
    void trimKeepsMessagesInFlightAndAnEmptyRingIsRebuiltOnDemand() {
        SendLedger ledger = new SendLedger(1 << 20, BackpressurePolicy.BUFFER);
        ledger.trim(); // nothing queued yet
        ledger.admit(10);
        ledger.queued(12, 10);
        ledger.admit(20);
        ledger.queued(34, 20);
        ledger.trim(); // two in flight: kept
        assertThat(ledger.reconcile(12)).isFalse();
        assertThat(ledger.bufferedAmount()).isEqualTo(20);
        assertThat(ledger.reconcile(34)).isFalse();
        assertThat(ledger.bufferedAmount()).isZero();
        ledger.trim(); // empty: dropped
        ledger.admit(5);
        ledger.queued(41, 5);
        assertThat(ledger.reconcile(40)).isFalse();
        assertThat(ledger.bufferedAmount()).isEqualTo(5);
        ledger.reconcile(41);
        assertThat(ledger.bufferedAmount()).isZero();
    }

    @Test
    void serialExecutorRunsTasksOneAtATimeInOrderOnVirtualThreads() throws Exception {
        List<Integer> order = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlap = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1000);
        SerialExecutor executor = new SerialExecutor("test", new SerialExecutor.Flow() {
            @Override
            public void backlogHigh() {
            }

            @Override
            public void backlogDrained() {
            }
        });
        for (int i = 0; i < 1000; i++) {
            int n = i;
            executor.submit(() -> {
                if (running.incrementAndGet() > 1) {
                    overlap.incrementAndGet();
                }
                if (!Thread.currentThread().isVirtual()) {
                    overlap.addAndGet(1000);
                }
                order.add(n);
                running.decrementAndGet();
                done.countDown();
            }, 1);
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(overlap.get()).isZero();
        assertThat(order).isSorted().hasSize(1000);
    }

    @Test
    void serialExecutorPausesOverItsBoundAndResumesWhenDrained() throws Exception {
        List<String> flow = new CopyOnWriteArrayList<>();
        CountDownLatch resumed = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SerialExecutor executor = new SerialExecutor("test", new SerialExecutor.Flow() {
            @Override
            public void backlogHigh() {
                flow.add("pause");
            }

            @Override
            public void backlogDrained() {
                flow.add("resume");
                resumed.countDown();
            }
        });
        executor.submit(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 0);
        for (int i = 0; i < SerialExecutor.MAX_QUEUED_TASKS; i++) {
            executor.submit(() -> { }, 1);
        }
        assertThat(flow).containsExactly("pause");
        assertThat(executor.paused()).isTrue();
        release.countDown();
        assertThat(resumed.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(flow).containsExactly("pause", "resume");
        assertThat(executor.queuedTasks()).isZero();

        SerialExecutor bytes = new SerialExecutor("bytes", new SerialExecutor.Flow() {
            @Override
            public void backlogHigh() {
                flow.add("pause by bytes");
            }

            @Override
            public void backlogDrained() {
            }
        });
        CountDownLatch hold = new CountDownLatch(1);
        bytes.submit(() -> {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, SerialExecutor.MAX_QUEUED_BYTES + 1);
        hold.countDown();
        assertThat(flow).contains("pause by bytes");
    }
}
