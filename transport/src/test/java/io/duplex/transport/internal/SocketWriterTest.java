package io.duplex.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How queued buffers become system calls: staged heap buffers, gathered direct buffers, short writes. */
class SocketWriterTest {

    /** A channel that accepts at most {@code budget} bytes per call and records each call's buffer count. */
    static final class FakeChannel implements GatheringByteChannel {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        final List<Integer> callBuffers = new ArrayList<>();
        final List<Boolean> callDirect = new ArrayList<>();
        long budget = Long.MAX_VALUE;
        long perCall = Long.MAX_VALUE;

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            callBuffers.add(length);
            callDirect.add(srcs[offset].isDirect());
            long allowed = Math.min(budget, perCall);
            long total = 0;
            for (int i = offset; i < offset + length && allowed > 0; i++) {
                ByteBuffer b = srcs[i];
                int n = (int) Math.min(b.remaining(), allowed);
                byte[] chunk = new byte[n];
                b.get(chunk);
                written.writeBytes(chunk);
                allowed -= n;
                total += n;
            }
            budget -= total;
            return total;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            return (int) write(new ByteBuffer[] {src}, 0, 1);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }

    private static ByteBuffer heap(String s) {
        return ByteBuffer.wrap(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static ByteBuffer direct(String s) {
        return ByteBuffer.allocateDirect(s.length()).put(heap(s)).flip();
    }

    @Test
    void heapBuffersQueuedInOneTickLeaveInOneWriteThroughTheStagingBuffer() throws Exception {
        WriteQueue q = new WriteQueue();
        q.add(heap("one,"));
        q.add(heap("two,"));
        q.add(heap("three"));
        FakeChannel ch = new FakeChannel();
        assertThat(new SocketWriter(64 * 1024).write(ch, q)).isTrue();
        assertThat(ch.written.toString()).isEqualTo("one,two,three");
        assertThat(ch.callBuffers).containsExactly(1);
        assertThat(ch.callDirect).containsExactly(true);
        assertThat(q.bytes()).isZero();
    }

    @Test
    void directBuffersLeaveInOneGatheringWriteOfAtMost64() throws Exception {
        WriteQueue q = new WriteQueue();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            q.add(direct("<" + i + ">"));
            expected.append("<").append(i).append(">");
        }
        FakeChannel ch = new FakeChannel();
        assertThat(new SocketWriter(64 * 1024).write(ch, q)).isTrue();
        assertThat(ch.written.toString()).isEqualTo(expected.toString());
        assertThat(ch.callBuffers).containsExactly(64, 36);
    }

    @Test
    void withoutStagingHeapBuffersAreGatheredAsTheyAre() throws Exception {
        WriteQueue q = new WriteQueue();
        q.add(heap("a"));
        q.add(heap("b"));
        FakeChannel ch = new FakeChannel();
        assertThat(new SocketWriter(0).write(ch, q)).isTrue();
        assertThat(ch.callBuffers).containsExactly(2);
        assertThat(ch.written.toString()).isEqualTo("ab");
    }

    @Test
    void aShortWriteStopsAndLeavesExactlyTheUnwrittenBytesQueued() throws Exception {
        WriteQueue q = new WriteQueue();
        q.add(heap("abcdef"));
        q.add(direct("ghij"));
        q.add(heap("klm"));
        FakeChannel ch = new FakeChannel();
        ch.budget = 4;
        SocketWriter writer = new SocketWriter(64 * 1024);
        assertThat(writer.write(ch, q)).isFalse();
        assertThat(q.bytes()).isEqualTo(9);
        assertThat(ch.callBuffers).hasSize(1);

        ch.budget = 5; // the rest of the staged heap buffer (2), then 3 of the direct one
        assertThat(writer.write(ch, q)).isFalse();
        assertThat(q.bytes()).isEqualTo(4);

        ch.budget = Long.MAX_VALUE;
        assertThat(writer.write(ch, q)).isTrue();
        assertThat(ch.written.toString()).isEqualTo("abcdefghijklm");
    }

    @Test
    void aHugeHeapBufferIsCopiedOneStagingBufferAtATime() throws Exception {
        byte[] big = new byte[300_000];
        new java.util.Random(3).nextBytes(big);
        WriteQueue q = new WriteQueue();
        q.add(ByteBuffer.wrap(big));
        FakeChannel ch = new FakeChannel();
        assertThat(new SocketWriter(64 * 1024).write(ch, q)).isTrue();
        assertThat(ch.written.toByteArray()).isEqualTo(big);
        assertThat(ch.callBuffers).hasSize(5); // 4 x 64 KiB + the rest
    }

    @Test
    void aFlushYieldsAfterSixteenFullWritesEvenIfTheSocketTakesEverything() throws Exception {
        WriteQueue q = new WriteQueue();
        for (int i = 0; i < 20; i++) {
            q.add(ByteBuffer.wrap(new byte[64 * 1024]));
        }
        FakeChannel ch = new FakeChannel();
        assertThat(new SocketWriter(64 * 1024).write(ch, q)).isFalse();
        assertThat(ch.callBuffers).hasSize(SocketWriter.WRITES_PER_FLUSH);
        assertThat(q.bytes()).isEqualTo(4 * 64 * 1024);
    }

    @Test
    void readOnlyHeapBuffersAreNotStaged() throws Exception {
        WriteQueue q = new WriteQueue();
        q.add(heap("ro").asReadOnlyBuffer());
        q.add(heap("rw"));
        FakeChannel ch = new FakeChannel();
        assertThat(new SocketWriter(64 * 1024).write(ch, q)).isTrue();
        assertThat(ch.written.toString()).isEqualTo("rorw");
        assertThat(ch.callBuffers).containsExactly(2);
    }
}
