package io.duplex.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class WriteQueueTest {

    @Test
    void drainedShallowQueueIsReusableAndWorksAgainAfterReuse() {
        WriteQueue queue = new WriteQueue();
        queue.add(ByteBuffer.wrap(new byte[3]));
        queue.add(ByteBuffer.wrap(new byte[4]));
        assertThat(queue.reusable()).as("not drained yet").isFalse();

        queue.consume(7);

        assertThat(queue.reusable()).isTrue();
        assertThat(queue.bytes()).isZero();
        queue.add(ByteBuffer.wrap(new byte[5]));
        assertThat(queue.bytes()).isEqualTo(5);
        assertThat(queue.first().remaining()).isEqualTo(5);
    }

    @Test
    void queueThatGrewDeeperThanTheReuseDepthIsNotKept() {
        WriteQueue queue = new WriteQueue();
        for (int i = 0; i <= WriteQueue.REUSABLE_DEPTH + 1; i++) {
            queue.add(ByteBuffer.wrap(new byte[1]));
        }

        queue.consume(queue.bytes());

        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.reusable()).isFalse();
    }

    @Test
    void emptyBuffersAreDroppedAndNeverCountTowardDepth() {
        WriteQueue queue = new WriteQueue();
        for (int i = 0; i < 1000; i++) {
            queue.add(ByteBuffer.allocate(0));
        }

        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.reusable()).isTrue();
    }
}
