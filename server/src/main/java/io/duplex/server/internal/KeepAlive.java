package io.duplex.server.internal;

import io.duplex.transport.EventLoop;
import io.duplex.transport.Timeout;
import java.time.Duration;

/**
 * The idle timeout and ping keepalive of one socket.
 *
 * <h2>Theory of operation</h2>
 * Receiving anything stamps {@code lastReceive} with the loop's per-tick clock ({@link EventLoop#nanoTime()}),
 * which costs no system call and no timer operation per message. One timer per socket is armed for the
 * nearest deadline; when it fires it looks at how long the socket has been silent:
 * <pre>
 *   silent &gt;= idle timeout                          -&gt; timeout ("idle")
 *   ping outstanding, no answer for a ping interval  -&gt; timeout ("no pong")
 *   no ping outstanding, silent &gt;= ping interval     -&gt; send a ping, mark it outstanding
 *   otherwise                                        -&gt; re-arm for the nearest deadline
 * </pre>
 * Anything received (a pong, or any other frame) clears the outstanding ping, as the route's documentation
 * promises. A zero duration turns its check off; with both off no timer is armed.
 *
 * <p>Threading: confined to the socket's loop.
 */
final class KeepAlive {

    /** What the checks make the socket do. */
    interface Actions {
        /** Send a keepalive ping. */
        void ping();

        /** Close for a timeout; {@code why} names which one. */
        void timeout(String why);
    }

    private final EventLoop loop;
    private final long idleNanos;
    private final long pingNanos;
    private final Actions actions;
    private long lastReceive;
    private boolean pingOutstanding;
    private long pingSentAt;
    private Timeout timer;
    private boolean stopped;

    KeepAlive(EventLoop loop, long idleNanos, long pingNanos, Actions actions) {
        this.loop = loop;
        this.idleNanos = idleNanos;
        this.pingNanos = pingNanos;
        this.actions = actions;
    }

    /** Starts the checks, counting silence from now. */
    void start() {
        lastReceive = loop.nanoTime();
        arm(lastReceive);
    }

    /** Something arrived. */
    void received() {
        lastReceive = loop.nanoTime();
        pingOutstanding = false;
    }

    /** Stops the checks for good. */
    void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void check() {
        timer = null;
        if (stopped) {
            return;
        }
        long now = loop.nanoTime();
        if (idleNanos > 0 && now - lastReceive >= idleNanos) {
            stop();
            actions.timeout("nothing received for " + Duration.ofNanos(now - lastReceive).toMillis()
                    + " ms, idle timeout " + Duration.ofNanos(idleNanos).toMillis() + " ms");
            return;
        }
        if (pingNanos > 0) {
            if (pingOutstanding && now - pingSentAt >= pingNanos) {
                stop();
                actions.timeout("no pong or other frame within " + Duration.ofNanos(pingNanos).toMillis()
                        + " ms of a keepalive ping");
                return;
            }
            if (!pingOutstanding && now - lastReceive >= pingNanos) {
                pingOutstanding = true;
                pingSentAt = now;
                actions.ping();
                if (stopped) {
                    return;
                }
            }
        }
        arm(now);
    }

    private void arm(long now) {
        if (idleNanos <= 0 && pingNanos <= 0) {
            return;
        }
        long next = Long.MAX_VALUE;
        if (idleNanos > 0) {
            next = lastReceive + idleNanos;
        }
        if (pingNanos > 0) {
            next = Math.min(next, pingOutstanding ? pingSentAt + pingNanos : lastReceive + pingNanos);
        }
        long delay = Math.max(next - now, 1_000_000L); // at least 1 ms: the clock is read once per tick
        timer = loop.schedule(this::check, Duration.ofNanos(delay));
    }
}
