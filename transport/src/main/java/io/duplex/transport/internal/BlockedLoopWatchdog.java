package io.duplex.transport.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One daemon thread per group that looks at every loop each {@code threshold / 2} and reports, once per
 * episode, a loop that has been busy in one tick for longer than the threshold: a handler or task that blocks
 * stalls every connection on its loop, and the loop thread's stack names the culprit.
 *
 * <p>A loop publishes when its current tick's work began ({@link NioEventLoop#busySince()}, 0 while it waits
 * in select); an episode is identified by that timestamp, so a loop stuck in one tick is reported once, and
 * again only after it has got out and is stuck anew. Reports go to {@link System.Logger} at WARNING, with the
 * stack attached as the throwable.
 *
 * <p>Threading: its own thread reads the loops' volatile timestamps; {@link #stop()} from any thread.
 */
final class BlockedLoopWatchdog implements Runnable {

    private static final System.Logger LOG = System.getLogger(BlockedLoopWatchdog.class.getName());

    private final List<NioEventLoop> loops;
    private final long thresholdNanos;
    private final long[] reportedEpisode;
    private final Thread thread;
    private volatile boolean stopped;

    private BlockedLoopWatchdog(List<NioEventLoop> loops, Duration threshold, String name) {
        this.loops = loops;
        this.thresholdNanos = threshold.toNanos();
        this.reportedEpisode = new long[loops.size()];
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
    }

    static BlockedLoopWatchdog start(List<NioEventLoop> loops, Duration threshold, String name) {
        BlockedLoopWatchdog watchdog = new BlockedLoopWatchdog(loops, threshold, name);
        watchdog.thread.start();
        return watchdog;
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    /** Waits until the thread has ended after {@link #stop()}, for at most {@code timeout}; returns whether it has. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return thread.join(timeout);
    }

    @Override
    public void run() {
        long period = Math.max(1, thresholdNanos / 2);
        while (!stopped) {
            LockSupport.parkNanos(this, period);
            if (!stopped) {
                check(System.nanoTime());
            }
        }
    }

    private void check(long now) {
        for (int i = 0; i < loops.size(); i++) {
            NioEventLoop loop = loops.get(i);
            long since = loop.busySince();
            if (since == 0 || since == reportedEpisode[i] || now - since <= thresholdNanos) {
                continue;
            }
            reportedEpisode[i] = since;
            Thread t = loop.thread();
            LoopStack stack = new LoopStack("stack of " + t.getName() + " while blocked");
            stack.setStackTrace(t.getStackTrace());
            LOG.log(System.Logger.Level.WARNING, "event loop " + t.getName() + " has been busy in one tick for "
                    + TimeUnit.NANOSECONDS.toMillis(now - since) + " ms, over the blocked-loop threshold of "
                    + TimeUnit.NANOSECONDS.toMillis(thresholdNanos) + " ms: a callback or task is blocking it"
                    + " (reported once per episode)", stack);
        }
    }

    /** Carries a loop thread's stack to the logger; not thrown. */
    static final class LoopStack extends Throwable {
        LoopStack(String message) {
            super(message, null, false, true);
        }
    }
}
