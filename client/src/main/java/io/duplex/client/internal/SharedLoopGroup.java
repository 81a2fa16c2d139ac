package io.duplex.client.internal;

import io.duplex.transport.EventLoopGroup;
import java.time.Duration;

/**
 * The event loop group that WebSockets share when the builder names none: at most two loops (a client's
 * sockets rarely need more), created when the first socket needs it and shut down when the last one has
 * closed. The transport's loop threads are not daemons, so a group kept forever would stop the JVM from
 * exiting after a program's last socket closed; counting users lets it exit as a browser tab's script would.
 *
 * <p>Threading: thread-safe (all methods synchronized).
 */
public final class SharedLoopGroup {

    private static EventLoopGroup group;
    private static int users;

    private SharedLoopGroup() {
    }

    /** @return the shared group, created if needed; pair with {@link #release()} */
    public static synchronized EventLoopGroup acquire() {
        if (group == null) {
            group = EventLoopGroup.builder()
                    .loops(Math.min(2, Runtime.getRuntime().availableProcessors()))
                    .threadNamePrefix("duplex-client-loop-")
                    .build();
        }
        users++;
        return group;
    }

    /** One user of {@link #acquire()} is done; the last one shuts the group down (off the caller's thread). */
    public static synchronized void release() {
        if (users == 0) {
            throw new IllegalStateException("release() without acquire()");
        }
        if (--users == 0) {
            EventLoopGroup last = group;
            group = null;
            Thread.ofVirtual().name("duplex-client-loop-shutdown").start(() -> last.shutdown(Duration.ofSeconds(5)));
        }
    }
}
