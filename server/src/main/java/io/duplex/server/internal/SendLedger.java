package io.duplex.server.internal;

import io.duplex.server.BackpressurePolicy;
import io.duplex.server.SendStatus;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A socket's buffered amount and backpressure decisions.
 *
 * <h2>Theory of operation</h2>
 * The buffered amount is the payload bytes of data messages accepted by a send and not yet taken by the
 * kernel. It is one volatile long updated with compare-and-set: a send adds its payload length at call time, on whatever thread,
 * so the {@link SendStatus} it answers reflects every earlier send; the loop subtracts it once the
 * message's last wire byte has been written.
 * <p>"Written" is exact without per-write callbacks from the transport: the loop counts every wire byte it
 * hands to the connection (a running total), and records for each message the total at its end
 * ({@link #queued}). The connection reports the bytes it still holds ({@code pendingWriteBytes()}), so
 * {@code total - pending} bytes have reached the kernel, and every message ending at or before that point
 * is written ({@link #reconcile}). The loop reconciles after each flush and on {@code onWritable}; when the
 * connection holds nothing the amount is exactly zero. (With TLS the connection's count includes ciphertext
 * not yet written, which is larger than its plaintext: the amount then lags a little, never leads, and still
 * reaches zero exactly.)
 * <p>Admission ({@link #admit}), for a send when the amount is already over the limit:
 * <ul>
 *   <li>{@link BackpressurePolicy#BUFFER}: queue and answer BACKPRESSURE up to twice the limit, then drop;</li>
 *   <li>{@link BackpressurePolicy#DROP}: drop;</li>
 *   <li>the CLOSE policies: drop, and the caller closes the socket.</li>
 * </ul>
 * A send that crosses the limit from below is queued and answers BACKPRESSURE, which arms the drain signal:
 * the next time the amount falls to zero, {@link #reconcile} reports it, once.
 *
 * <p>Threading: {@link #admit}, {@link #cancel} and {@link #bufferedAmount} from any thread;
 * {@link #queued}, {@link #reconcile} and {@link #clear} only on the socket's loop.
 */
final class SendLedger {

    /** What a send may do. */
    enum Admission {
        /** Queue it; the amount stays within the limit. */
        QUEUE,
        /** Queue it; the amount is over the limit. */
        QUEUE_OVER_LIMIT,
        /** Do not queue it. */
        DROP,
        /** Do not queue it, and close the socket (the policy is one of the CLOSE ones). */
        DROP_AND_CLOSE;

        /** The status a send answers. */
        SendStatus status() {
            return switch (this) {
                case QUEUE -> SendStatus.SUCCESS;
                case QUEUE_OVER_LIMIT -> SendStatus.BACKPRESSURE;
                case DROP, DROP_AND_CLOSE -> SendStatus.DROPPED;
            };
        }
    }

    private static final VarHandle BUFFERED;
    private static final int FIRST_RING_ENTRIES = 8;

    static {
        try {
            BUFFERED = MethodHandles.lookup().findVarHandle(SendLedger.class, "buffered", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long limit;
    private final BackpressurePolicy policy;
    @SuppressWarnings("unused") // read and written through BUFFERED
    private volatile long buffered;
    private volatile boolean drainWanted;

    // Loop-confined: in-flight messages as (wire total at the message's end, payload length) pairs in a ring,
    // allocated by the first message queued and dropped by trim() once empty, so a quiet socket holds none.
    private long[] ring;
    private int head;
    private int count;

    SendLedger(long limit, BackpressurePolicy policy) {
        this.limit = limit;
        this.policy = policy;
    }

    /** The buffered amount now. */
    long bufferedAmount() {
        return buffered;
    }

    /** Whether the amount is over the limit now. */
    boolean overLimit() {
        return buffered > limit;
    }

    /** Decides a send of {@code size} payload bytes and, if it is queued, adds it to the amount. */
    Admission admit(long size) {
        while (true) {
            long current = buffered;
            Admission admission;
            if (current > limit) {
                admission = switch (policy) {
                    case BUFFER -> current + size > 2 * limit ? Admission.DROP : Admission.QUEUE_OVER_LIMIT;
                    case DROP -> Admission.DROP;
                    case CLOSE_POLICY_VIOLATION, CLOSE_TRY_AGAIN_LATER -> Admission.DROP_AND_CLOSE;
                };
            } else {
                admission = current + size > limit ? Admission.QUEUE_OVER_LIMIT : Admission.QUEUE;
            }
            if (admission == Admission.DROP || admission == Admission.DROP_AND_CLOSE) {
                return admission;
            }
            if (BUFFERED.compareAndSet(this, current, current + size)) {
                if (admission == Admission.QUEUE_OVER_LIMIT) {
                    drainWanted = true; // before the message reaches the loop, so its drain cannot be missed
                }
                return admission;
            }
        }
    }

    /** A message admitted but never written (the socket closed first). Returns true on the drain to zero. */
    boolean cancel(long size) {
        return subtract(size);
    }

    /** A message whose last wire byte is at {@code wireEnd} of the running total was handed to the connection. */
    void queued(long wireEnd, long size) {
        if (ring == null) {
            ring = new long[2 * FIRST_RING_ENTRIES];
        } else if (2 * count == ring.length) {
            grow();
        }
        int tail = 2 * ((head + count) & (ring.length / 2 - 1));
        ring[tail] = wireEnd;
        ring[tail + 1] = size;
        count++;
    }

    /**
     * The connection has written the first {@code wireWritten} bytes of the running total. Returns true if
     * the amount fell to zero after a send answered BACKPRESSURE (the drain signal, once).
     */
    boolean reconcile(long wireWritten) {
        long done = 0;
        while (count > 0 && ring[2 * head] <= wireWritten) {
            done += ring[2 * head + 1];
            head = (head + 1) & (ring.length / 2 - 1);
            count--;
        }
        if (count == 0) {
            head = 0;
        }
        return done != 0 && subtract(done);
    }

    /** Drops the ring if nothing is in flight (a socket gone quiet). On the loop. */
    void trim() {
        if (count == 0) {
            ring = null;
        }
    }

    /** The connection is gone: nothing in flight will be written. The drain signal is dropped. */
    void clear() {
        reconcile(Long.MAX_VALUE);
        ring = null;
        drainWanted = false;
    }

    /** Takes {@code size} off the amount; true if that drained it to zero after a BACKPRESSURE answer. */
    private boolean subtract(long size) {
        return (long) BUFFERED.getAndAdd(this, -size) == size && takeDrain();
    }

    private boolean takeDrain() {
        if (drainWanted) {
            drainWanted = false;
            return true;
        }
        return false;
    }

    private void grow() {
        int n = ring.length / 2;
        long[] bigger = new long[4 * n];
        for (int i = 0; i < count; i++) {
            int from = 2 * ((head + i) & (n - 1));
            bigger[2 * i] = ring[from];
            bigger[2 * i + 1] = ring[from + 1];
        }
        ring = bigger;
        head = 0;
    }
}
