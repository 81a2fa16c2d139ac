package io.duplex.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.transport.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The wheel on a clock the test moves by hand: resolution (10 ms ticks, never early), order, timers beyond
 * one turn of the wheel, cancelling, and the select timeout it suggests. The loop is never started; it only
 * lends its task guard.
 */
class TimerWheelTest {

    private static final long MS = 1_000_000L;
    private static final long ORIGIN = 1_000 * MS;

    private final NioEventLoop loop = new NioEventLoop("wheel-test", 1024, Duration.ZERO);
    private final TimerWheel wheel = new TimerWheel(ORIGIN);
    private final List<String> fired = new ArrayList<>();
    private final List<Long> firedAt = new ArrayList<>();
    private long now = ORIGIN;

    @AfterEach
    void discard() {
        loop.discard();
    }

    private WheelTimeout at(long deadlineMs, String name) {
        WheelTimeout t = new WheelTimeout(loop, () -> {
            fired.add(name);
            firedAt.add(now);
        }, ORIGIN + deadlineMs * MS);
        wheel.add(t);
        return t;
    }

    /** Moves the clock forward 1 ms at a time to {@code ms} after the origin, expiring at each step. */
    private void runTo(long ms) {
        while (now < ORIGIN + ms * MS) {
            now += MS;
            wheel.expire(now, loop);
        }
    }

    @Test
    void aTimerRunsAtTheFirstTenMillisecondBoundaryAtOrAfterItsDeadline() {
        at(5, "a");
        at(10, "b");
        at(11, "c");
        runTo(30);
        assertThat(fired).containsExactly("a", "b", "c");
        assertThat(firedAt).containsExactly(ORIGIN + 10 * MS, ORIGIN + 10 * MS, ORIGIN + 20 * MS);
    }

    @Test
    void timersDueInTheSameTickRunInDeadlineOrderThenSchedulingOrder() {
        at(9, "late");
        at(3, "early");
        at(9, "late-too");
        runTo(10);
        assertThat(fired).containsExactly("early", "late", "late-too");
    }

    @Test
    void timersBeyondOneTurnWaitForTheirTurn() {
        long turn = TimerWheel.SLOTS * TimerWheel.TICK_MILLIS; // 5120 ms
        at(50, "first turn");
        at(50 + turn, "second turn, same slot");
        at(12_000, "third turn");
        runTo(60);
        assertThat(fired).containsExactly("first turn");
        runTo(50 + turn - 1);
        assertThat(fired).containsExactly("first turn");
        runTo(50 + turn);
        assertThat(fired).containsExactly("first turn", "second turn, same slot");
        runTo(12_000);
        assertThat(fired).containsExactly("first turn", "second turn, same slot", "third turn");
        assertThat(firedAt.get(2)).isEqualTo(ORIGIN + 12_000 * MS);
        assertThat(wheel.size()).isZero();
    }

    @Test
    void aStalledLoopRunsEveryOverdueTimerInOrderOnItsNextTick() {
        at(7_000, "c");
        at(20, "a");
        at(3_000, "b");
        now = ORIGIN + 20_000 * MS; // one jump over almost four turns
        wheel.expire(now, loop);
        assertThat(fired).containsExactly("a", "b", "c");
    }

    @Test
    void aRemovedTimerDoesNotRunAndRemovingTwiceIsHarmless() {
        WheelTimeout a = at(10, "a");
        at(10, "b");
        wheel.remove(a);
        wheel.remove(a);
        assertThat(wheel.size()).isEqualTo(1);
        runTo(20);
        assertThat(fired).containsExactly("b");
    }

    @Test
    void aTimerThatReArmsItselfWithoutDelayRunsOncePerTick() {
        int[] runs = {0};
        Runnable[] task = new Runnable[1];
        task[0] = () -> {
            runs[0]++;
            wheel.add(new WheelTimeout(loop, task[0], now));
        };
        wheel.add(new WheelTimeout(loop, task[0], ORIGIN));
        now += 10 * MS;
        wheel.expire(now, loop);
        assertThat(runs[0]).isEqualTo(2); // tick 0, then the re-armed copy due in tick 1 == now
        now += 10 * MS;
        wheel.expire(now, loop);
        assertThat(runs[0]).isEqualTo(3);
    }

    @Test
    void theSelectTimeoutIsTheBoundaryOfTheFirstOccupiedTick() {
        assertThat(wheel.nanosUntilNextTick(now)).isEqualTo(-1);
        at(25, "a");
        assertThat(wheel.nanosUntilNextTick(now)).isEqualTo(30 * MS);
        assertThat(wheel.nanosUntilNextTick(now + 40 * MS)).isZero();
    }

    @Test
    void aThrowingTimerIsLoggedAndDoesNotStopTheOthers() {
        try (LogCapture logs = new LogCapture()) {
            wheel.add(new WheelTimeout(loop, () -> {
                throw new IllegalStateException("timer bug");
            }, ORIGIN + 5 * MS));
            at(5, "after");
            runTo(10);
            assertThat(fired).containsExactly("after");
            assertThat(logs.warningsFrom("NioEventLoop")).singleElement()
                    .satisfies(r -> assertThat(r.thrown()).hasMessage("timer bug"));
        }
    }
}
