package io.duplex.transport.internal;

import java.util.ArrayList;
import java.util.Comparator;

/**
 * A hashed timer wheel: {@value #SLOTS} slots of {@value #TICK_MILLIS} ms, so one turn covers 5.12 s; a timer
 * further out waits in its slot for as many turns as it needs (each timer keeps its absolute deadline tick, so
 * nothing is decremented per turn). Scheduling and cancelling on the loop thread are O(1): each slot is an
 * intrusive doubly linked list.
 *
 * <p>Resolution: a timer runs on the first loop tick after its deadline rounded up to the next 10 ms
 * boundary, so between 0 and 10 ms late plus whatever the loop is busy with; never early. Timers due in
 * the same tick run in deadline order, ties in scheduling order.
 *
 * <p>Threading: confined to its loop thread. {@link WheelTimeout#cancel()} from another thread only flips
 * the timer's state and hops onto the loop to unlink it.
 */
final class TimerWheel {

    static final int TICK_MILLIS = 10;
    static final long TICK_NANOS = TICK_MILLIS * 1_000_000L;
    static final int SLOTS = 512;
    private static final int MASK = SLOTS - 1;
    private static final Comparator<WheelTimeout> BY_DEADLINE = Comparator.comparingLong(WheelTimeout::deadline);

    private final WheelTimeout[] heads = new WheelTimeout[SLOTS];
    private final WheelTimeout[] tails = new WheelTimeout[SLOTS];
    private final ArrayList<WheelTimeout> due = new ArrayList<>();
    private final long origin;
    /** Every tick before this one has been processed. */
    private long nextTick;
    private int size;

    TimerWheel(long originNanos) {
        this.origin = originNanos;
    }

    /** Number of timers linked into the wheel. */
    int size() {
        return size;
    }

    /** Links a pending timer into its slot. A timer already due goes into the next tick to be processed. */
    void add(WheelTimeout timeout) {
        if (!timeout.isPending() || timeout.slot >= 0) {
            return; // cancelled before the hop from another thread reached the loop
        }
        long tick = Math.ceilDiv(timeout.deadline() - origin, TICK_NANOS);
        if (tick < nextTick) {
            tick = nextTick;
        }
        timeout.tick = tick;
        int slot = (int) (tick & MASK);
        timeout.slot = slot;
        WheelTimeout tail = tails[slot];
        timeout.prev = tail;
        timeout.next = null;
        if (tail == null) {
            heads[slot] = timeout;
        } else {
            tail.next = timeout;
        }
        tails[slot] = timeout;
        size++;
    }

    /** Unlinks a timer if it is linked. */
    void remove(WheelTimeout timeout) {
        int slot = timeout.slot;
        if (slot < 0) {
            return;
        }
        WheelTimeout prev = timeout.prev;
        WheelTimeout next = timeout.next;
        if (prev == null) {
            heads[slot] = next;
        } else {
            prev.next = next;
        }
        if (next == null) {
            tails[slot] = prev;
        } else {
            next.prev = prev;
        }
        timeout.prev = null;
        timeout.next = null;
        timeout.slot = -1;
        size--;
    }

    /**
     * Nanoseconds from {@code now} until the boundary of the first tick whose slot holds a timer (that timer
     * may belong to a later turn: the loop then wakes early and finds nothing due), 0 if one is overdue, or
     * -1 when the wheel is empty.
     */
    long nanosUntilNextTick(long now) {
        if (size == 0) {
            return -1;
        }
        for (int i = 0; i < SLOTS; i++) {
            long tick = nextTick + i;
            if (heads[(int) (tick & MASK)] != null) {
                return Math.max(0, origin + tick * TICK_NANOS - now);
            }
        }
        throw new IllegalStateException("timer wheel counts " + size + " timers but every slot is empty");
    }

    /**
     * Runs every timer due at {@code now}, slot by slot in tick order. Timers scheduled by a running timer
     * land in a later tick, so a timer that re-arms itself with no delay runs once per loop tick, not forever.
     */
    void expire(long now, NioEventLoop loop) {
        long lastDue = Math.floorDiv(now - origin, TICK_NANOS);
        while (size > 0 && nextTick <= lastDue) {
            long tick = nextTick++;
            int slot = (int) (tick & MASK);
            for (WheelTimeout t = heads[slot]; t != null; ) {
                WheelTimeout next = t.next;
                if (t.tick <= tick) {
                    remove(t);
                    due.add(t);
                }
                t = next;
            }
            if (due.isEmpty()) {
                continue;
            }
            if (due.size() > 1) {
                due.sort(BY_DEADLINE);
            }
            // Cancels from these tasks only unlink; the list is private, so iterating it stays safe.
            for (int i = 0; i < due.size(); i++) {
                due.get(i).expire(loop);
            }
            due.clear();
        }
        if (nextTick <= lastDue) {
            nextTick = lastDue + 1; // empty wheel: jump ahead instead of visiting every slot
        }
    }
}
