package io.duplex.client.internal;

import io.duplex.transport.EventLoopGroup;

/**
 * The event loop group that WebSockets share when the builder names none: created on first use, with at
 * most two loops (a client's sockets rarely need more), and never shut down (its threads end with the JVM).
 *
 * <p>Threading: thread-safe (initialization-on-demand holder).
 */
public final class SharedLoopGroup {

    private SharedLoopGroup() {
    }

    private static final class Holder {
        static final EventLoopGroup GROUP = EventLoopGroup.builder()
                .loops(Math.min(2, Runtime.getRuntime().availableProcessors()))
                .threadNamePrefix("duplex-client-loop-")
                .build();
    }

    /** @return the shared group */
    public static EventLoopGroup get() {
        return Holder.GROUP;
    }
}
