package io.duplex.server.internal;

import java.util.List;

/**
 * The idle timeout and ping keepalive of upgraded sockets, decided at their loop's sweep.
 *
 * <h2>Theory of operation</h2>
 * There is no timer per socket. Each socket counts the sweeps it has stayed silent through; receiving
 * anything resets the count to zero, one field write per read and no clock. Each loop sweeps its sockets
 * once per {@linkplain #periodNanos() period} ({@link LoopSockets}), and each sweep adds one to the count
 * and asks {@link #check}. A duration is converted to sweeps rounded up, plus one: the first sweep after a
 * receive may come at any point of a period, so a deadline never fires early, and less than two periods
 * late (less than one when the duration is a whole number of periods).
 * <pre>
 *   silent sweeps &gt;= idle sweeps          -&gt; IDLE_TIMEOUT
 *   silent sweeps &gt;= 2 x ping sweeps      -&gt; PONG_TIMEOUT (the ping went unanswered for a ping interval)
 *   silent sweeps == ping sweeps          -&gt; PING
 *   otherwise                             -&gt; NONE
 * </pre>
 * The count passes the ping threshold exactly once per silence, so one ping is sent per silence; anything
 * received (a pong, or any other frame) resets the count, which clears the outstanding ping as the route's
 * documentation promises. A zero duration turns its check off.
 * <p>The period is an eighth of the shortest idle timeout or ping interval of the server's routes, between
 * {@value #MIN_PERIOD_NANOS} ns and {@value #MAX_PERIOD_NANOS} ns: with the default 30 s pings, a sweep per
 * second and pings at most 1 s late; in general a check is late by less than a quarter of the shortest
 * setting or two seconds, whichever is less.
 *
 * <p>Threading: immutable.
 *
 * @param periodNanos the time between two sweeps of a loop
 */
record KeepAlive(long periodNanos) {

    /** The longest period: one sweep per second. */
    static final long MAX_PERIOD_NANOS = 1_000_000_000L;
    /** The shortest period: the timer wheel's tick. */
    static final long MIN_PERIOD_NANOS = 10_000_000L;

    /** What a sweep makes a socket do. */
    enum Verdict {
        /** Nothing. */
        NONE,
        /** Send a keepalive ping. */
        PING,
        /** Close: nothing received for the idle timeout. */
        IDLE_TIMEOUT,
        /** Close: nothing received for a ping interval after a ping. */
        PONG_TIMEOUT
    }

    /** The sweep period for a server with these routes. */
    static KeepAlive forRoutes(List<RouteConfig> routes) {
        long shortest = MAX_PERIOD_NANOS * 8;
        for (RouteConfig route : routes) {
            if (route.idleTimeoutNanos() > 0) {
                shortest = Math.min(shortest, route.idleTimeoutNanos());
            }
            if (route.pingIntervalNanos() > 0) {
                shortest = Math.min(shortest, route.pingIntervalNanos());
            }
        }
        return new KeepAlive(Math.clamp(shortest / 8, MIN_PERIOD_NANOS, MAX_PERIOD_NANOS));
    }

    /** What a socket of {@code route} silent for {@code silentSweeps} sweeps (this one included) must do. */
    Verdict check(int silentSweeps, RouteConfig route) {
        long idle = sweeps(route.idleTimeoutNanos());
        if (idle > 0 && silentSweeps >= idle) {
            return Verdict.IDLE_TIMEOUT;
        }
        long ping = sweeps(route.pingIntervalNanos());
        if (ping > 0) {
            if (silentSweeps >= 2 * ping) {
                return Verdict.PONG_TIMEOUT;
            }
            if (silentSweeps == ping) {
                return Verdict.PING;
            }
        }
        return Verdict.NONE;
    }

    /** Why a socket is closed, for the log. */
    String describe(Verdict verdict, int silentSweeps, RouteConfig route) {
        long silentMillis = (silentSweeps - 1) * periodNanos / 1_000_000; // at least this long
        return switch (verdict) {
            case IDLE_TIMEOUT -> "nothing received for " + silentMillis + " ms, idle timeout "
                    + route.idleTimeoutNanos() / 1_000_000 + " ms";
            case PONG_TIMEOUT -> "no pong or other frame within " + route.pingIntervalNanos() / 1_000_000
                    + " ms of a keepalive ping";
            case NONE, PING -> verdict.toString();
        };
    }

    /** A duration in sweeps: rounded up, plus one for the phase of the first sweep; 0 stays 0 (off). */
    private long sweeps(long nanos) {
        return nanos <= 0 ? 0 : Math.ceilDiv(nanos, periodNanos) + 1;
    }
}
