package io.duplex.transport.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.Arrays;

/**
 * Moves a connection's {@link WriteQueue} into its socket with as few system calls as possible. One per loop,
 * shared by every connection on it.
 *
 * <p>Two ways out. When the oldest queued buffer is on the heap, the heap buffers at the front of the queue
 * are copied into one direct staging buffer and written with one {@code write}: the JDK would copy each heap
 * buffer into a temporary direct buffer anyway (a whole one per buffer, even for a multi-megabyte buffer of
 * which the kernel takes a fraction), so copying them ourselves costs nothing extra and hands the kernel one
 * contiguous span instead of many small ones. Otherwise (a direct buffer first) up to {@value #GATHER}
 * buffers go out in one gathering write.
 *
 * <p>Threading: not thread-safe; confined to its loop thread.
 */
final class SocketWriter {

    /** Buffers per gathering write; well under IOV_MAX (1024 on Linux). */
    static final int GATHER = 64;
    /** System calls per flush of one connection before it yields to the others and waits for OP_WRITE. */
    static final int WRITES_PER_FLUSH = 16;

    private final ByteBuffer[] gather = new ByteBuffer[GATHER];
    private final ByteBuffer staging;

    /** @param stagingBytes size of the direct staging buffer, or 0 to always write the queued buffers as they are */
    SocketWriter(int stagingBytes) {
        this.staging = stagingBytes > 0 ? ByteBuffer.allocateDirect(stagingBytes) : null;
    }

    /**
     * Writes from {@code queue} until it is empty, the kernel takes fewer bytes than offered, or
     * {@value #WRITES_PER_FLUSH} writes were made. Returns whether the queue is empty.
     */
    boolean write(GatheringByteChannel channel, WriteQueue queue) throws IOException {
        for (int i = 0; i < WRITES_PER_FLUSH && !queue.isEmpty(); i++) {
            long offered;
            long written;
            ByteBuffer first = queue.first();
            if (staging != null && first.hasArray()) {
                staging.clear();
                offered = queue.copyHeapPrefix(staging);
                staging.flip();
                written = channel.write(staging);
                queue.consume(written);
            } else {
                int n = queue.fill(gather);
                offered = queue.lastOffered;
                written = n == 1 ? channel.write(first) : channel.write(gather, 0, n);
                Arrays.fill(gather, 0, n, null); // do not keep the connection's buffers alive
                queue.written(written);
            }
            if (written < offered) {
                break; // the kernel's send buffer is full
            }
        }
        return queue.isEmpty();
    }
}
