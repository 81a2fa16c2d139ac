package io.duplex.core.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duplex.testkit.Bytes;
import io.duplex.testkit.Hex;
import io.duplex.testkit.RawFrame;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MaskingTest {
    private static final int RFC_KEY = 0x37fa213d;

    @Test
    void rfc6455_5_3_knownAnswerFromTheExampleIn5_7() {
        ByteBuffer payload = ByteBuffer.wrap(Hex.parse("7f 9f 4d 51 58"));
        Masking.unmask(payload, 0, 5, RFC_KEY, 0);
        assertThat(new String(payload.array(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("Hello");

        ByteBuffer target = ByteBuffer.allocate(5);
        Masking.mask(ByteBuffer.wrap(Bytes.utf8("Hello")), target, RFC_KEY);
        assertThat(Hex.format(target.array())).isEqualTo("7f 9f 4d 51 58");
        assertThat(target.position()).isEqualTo(5);
    }

    @Test
    void rfc6455_5_3_agreesWithTheReferenceFrameWriterOnLongPayloads() {
        byte[] payload = Bytes.random(new Random(3), 1000);
        byte[] frame = RawFrame.binary(payload, true, 0xA1B2C3D4);
        ByteBuffer buffer = ByteBuffer.wrap(frame); // 2 + 2 header bytes, 4 key bytes
        Masking.unmask(buffer, 8, frame.length, 0xA1B2C3D4, 0);
        assertThat(Arrays.copyOfRange(frame, 8, frame.length)).isEqualTo(payload);
    }

    @Property(tries = 3000)
    void unmaskEqualsBytewiseReference(@ForAll @IntRange(max = 100) int length,
                                       @ForAll @IntRange(max = 15) int from,
                                       @ForAll @IntRange(max = 3) int maskOffset,
                                       @ForAll int key, @ForAll boolean direct, @ForAll boolean bigEndian,
                                       @ForAll long seed) {
        byte[] content = Bytes.random(new Random(seed), from + length + 7);
        ByteBuffer buffer = buffer(content, direct, bigEndian);
        buffer.position(1).limit(from + length + 3);
        Masking.unmask(buffer, from, from + length, key, maskOffset);

        assertThat(buffer.position()).isEqualTo(1);
        assertThat(buffer.limit()).isEqualTo(from + length + 3);
        assertThat(contents(buffer)).isEqualTo(reference(content, from, from + length, key, maskOffset));
    }

    @Property(tries = 3000)
    void maskEqualsBytewiseReferenceAndLeavesTheSourceAlone(@ForAll @IntRange(max = 100) int length,
                                                            @ForAll @IntRange(max = 9) int sourceAt,
                                                            @ForAll @IntRange(max = 9) int targetAt,
                                                            @ForAll int key,
                                                            @ForAll boolean sourceDirect, @ForAll boolean sourceBig,
                                                            @ForAll boolean targetDirect, @ForAll boolean targetBig,
                                                            @ForAll long seed) {
        Random random = new Random(seed);
        byte[] sourceContent = Bytes.random(random, sourceAt + length + 5);
        byte[] targetContent = Bytes.random(random, targetAt + length + 5);
        ByteBuffer source = buffer(sourceContent, sourceDirect, sourceBig);
        ByteBuffer target = buffer(targetContent, targetDirect, targetBig);
        source.position(sourceAt).limit(sourceAt + length);
        target.position(targetAt);

        Masking.mask(source, target, key);

        assertThat(source.position()).isEqualTo(sourceAt);
        assertThat(source.limit()).isEqualTo(sourceAt + length);
        assertThat(contents(source)).isEqualTo(sourceContent);
        assertThat(target.position()).isEqualTo(targetAt + length);
        byte[] expected = targetContent.clone();
        byte[] masked = reference(sourceContent, sourceAt, sourceAt + length, key, 0);
        System.arraycopy(masked, sourceAt, expected, targetAt, length);
        assertThat(contents(target)).isEqualTo(expected);
    }

    @Property(tries = 1000)
    void unmaskInChunksWithMaskOffsetsEqualsUnmaskInOneGo(@ForAll @IntRange(max = 200) int length,
                                                          @ForAll int key, @ForAll boolean direct,
                                                          @ForAll long seed) {
        Random random = new Random(seed);
        byte[] content = Bytes.random(random, length);
        ByteBuffer whole = buffer(content, direct, true);
        Masking.unmask(whole, 0, length, key, 0);

        ByteBuffer chunked = buffer(content, direct, false);
        int maskOffset = 0;
        for (int at = 0; at < length; ) {
            int chunk = Math.min(length - at, random.nextInt(20));
            Masking.unmask(chunked, at, at + chunk, key, maskOffset);
            maskOffset = Masking.maskOffsetAfter(maskOffset, chunk);
            at += chunk;
        }
        assertThat(contents(chunked)).isEqualTo(contents(whole));
    }

    @Test
    void unmaskOf64KiBEqualsReference() {
        byte[] content = Bytes.random(new Random(7), 65536);
        for (boolean direct : new boolean[] {false, true}) {
            ByteBuffer buffer = buffer(content, direct, false);
            Masking.unmask(buffer, 0, content.length, RFC_KEY, 2);
            assertThat(contents(buffer)).isEqualTo(reference(content, 0, content.length, RFC_KEY, 2));
        }
    }

    @Test
    void maskOffsetAfterWrapsModuloFour() {
        assertThat(Masking.maskOffsetAfter(0, 0)).isZero();
        assertThat(Masking.maskOffsetAfter(1, 2)).isEqualTo(3);
        assertThat(Masking.maskOffsetAfter(3, 1)).isZero();
        assertThat(Masking.maskOffsetAfter(2, (1L << 40) + 7)).isEqualTo(1);
    }

    @Test
    void rejectsBadArgumentsWithoutWriting() {
        ByteBuffer buffer = ByteBuffer.allocate(8);
        assertThatThrownBy(() -> Masking.unmask(buffer, 0, 4, 1, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Masking.unmask(buffer, 0, 4, 1, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Masking.unmask(buffer, 3, 2, 1, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        buffer.limit(4);
        assertThatThrownBy(() -> Masking.unmask(buffer, 0, 5, 1, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Masking.unmask(ByteBuffer.allocate(4).asReadOnlyBuffer(), 0, 4, 1, 0))
                .isInstanceOf(ReadOnlyBufferException.class);

        ByteBuffer small = ByteBuffer.allocate(3);
        assertThatThrownBy(() -> Masking.mask(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), small, -1))
                .isInstanceOf(BufferOverflowException.class);
        assertThat(small.position()).isZero();
        assertThat(small.array()).containsOnly(0);
        assertThatThrownBy(() -> Masking.mask(buffer, buffer, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(buffer.array()).containsOnly(0);
    }

    @Test
    void maskFromReadOnlySourceIntoDirectTarget() {
        ByteBuffer source = ByteBuffer.wrap(Bytes.utf8("Hello")).asReadOnlyBuffer();
        ByteBuffer target = ByteBuffer.allocateDirect(5);
        Masking.mask(source, target, RFC_KEY);
        assertThat(Hex.format(contents(target))).isEqualTo("7f 9f 4d 51 58");
    }

    /** RFC 6455 5.3, byte by byte: octet j of the payload is XORed with octet (j MOD 4) of the key. */
    private static byte[] reference(byte[] content, int from, int to, int key, int maskOffset) {
        byte[] out = content.clone();
        for (int i = from; i < to; i++) {
            int keyIndex = (i - from + maskOffset) % 4;
            out[i] ^= (byte) (key >>> (24 - 8 * keyIndex));
        }
        return out;
    }

    private static ByteBuffer buffer(byte[] content, boolean direct, boolean bigEndian) {
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(content.length) : ByteBuffer.allocate(content.length);
        buffer.put(0, content);
        return buffer.order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] contents(ByteBuffer buffer) {
        byte[] out = new byte[buffer.capacity()];
        buffer.duplicate().clear().get(out); // the whole buffer, whatever its position and limit
        return out;
    }
}
