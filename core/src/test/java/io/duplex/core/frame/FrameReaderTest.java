package io.duplex.core.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duplex.core.ProtocolException;
import io.duplex.testkit.Bytes;
import io.duplex.testkit.Hex;
import io.duplex.testkit.Partitions;
import io.duplex.testkit.RawFrame;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The dumb reader: order of consumer calls, every length form, unmasking, splits, and what it rejects. */
class FrameReaderTest {

    /** Records consumer calls; consecutive payload chunks of one frame are merged so splits compare equal. */
    private static class Recorder implements FrameReader.Consumer {
        final List<String> calls = new ArrayList<>();
        private final StringBuilder payload = new StringBuilder();
        boolean stopAfterFrame;

        @Override
        public void frameHeader(boolean fin, int rsv, int opcode, boolean masked, int maskKey, long length) {
            calls.add("header fin=" + fin + " rsv=" + rsv + " op=" + opcode + " masked=" + masked
                    + " key=" + Integer.toHexString(maskKey) + " len=" + length);
        }

        @Override
        public void payload(ByteBuffer chunk) {
            byte[] bytes = new byte[chunk.remaining()];
            chunk.get(bytes);
            payload.append(HexFormat.of().formatHex(bytes));
        }

        @Override
        public boolean frameEnd() {
            calls.add("payload " + payload);
            payload.setLength(0);
            calls.add("end");
            return !stopAfterFrame;
        }
    }

    private static List<String> read(List<byte[]> pieces) throws ProtocolException {
        FrameReader reader = new FrameReader();
        Recorder recorder = new Recorder();
        for (byte[] piece : pieces) {
            reader.read(ByteBuffer.wrap(piece.clone()), recorder);
        }
        return recorder.calls;
    }

    @Test
    void reportsHeaderPayloadEndInOrderForRfcExample() throws ProtocolException {
        // RFC 6455 5.7: a single-frame masked text message "Hello".
        byte[] frame = Hex.parse("81 85 37 fa 21 3d 7f 9f 4d 51 58");
        assertThat(read(List.of(frame))).containsExactly(
                "header fin=true rsv=0 op=1 masked=true key=37fa213d len=5", "payload 48656c6c6f", "end");
    }

    @Test
    void readsSevenSixteenAndSixtyFourBitLengths() throws ProtocolException {
        for (int length : new int[] {0, 125, 126, 65535, 65536}) {
            byte[] frame = RawFrame.builder(RawFrame.BINARY).unmasked().payload(new byte[length]).build();
            List<String> calls = read(List.of(frame));
            assertThat(calls.get(0)).endsWith("len=" + length);
            assertThat(calls.get(1)).hasSize("payload ".length() + 2 * length);
        }
    }

    @Test
    void everySplitOfAFrameSequenceGivesTheSameCalls() throws ProtocolException {
        byte[] sequence = Bytes.concat(
                RawFrame.text("Hello", false, 0x01020304),
                RawFrame.ping(new byte[] {9}, 0x0A0B0C0D),
                RawFrame.continuation(Bytes.utf8(" world"), true, 0x11223344),
                RawFrame.binary(new byte[300], true, 0x55667788),
                RawFrame.closeEmpty(0x99AABBCC));
        List<String> whole = read(List.of(sequence));
        assertThat(whole).hasSize(15);
        for (List<byte[]> split : Partitions.splitAtEveryPoint(sequence)) {
            assertThat(read(split)).isEqualTo(whole);
        }
        assertThat(read(Partitions.oneByteAtATime(sequence))).isEqualTo(whole);
        for (List<byte[]> split : Partitions.random(sequence, new Random(7), 200)) {
            assertThat(read(split)).isEqualTo(whole);
        }
    }

    @Test
    void everyCompositionOfASmallFrameGivesTheSameCalls() throws ProtocolException {
        byte[] frame = RawFrame.text("Hi!", true, 0x37FA213D); // 9 bytes: 2^8 compositions
        List<String> whole = read(List.of(frame));
        for (List<byte[]> composition : Partitions.everyComposition(frame)) {
            assertThat(read(composition)).isEqualTo(whole);
        }
    }

    @Test
    void reportsReservedOpcodesAndRsvBitsWithoutJudging() throws ProtocolException {
        byte[] frame = RawFrame.builder(0xB).rsv(0b101).fin(false).unmasked().build();
        assertThat(read(List.of(frame))).first().isEqualTo("header fin=false rsv=5 op=11 masked=false key=0 len=0");
    }

    @Test
    void readerRejectsSixteenBitLengthThatFitsSevenBits() {
        byte[] frame = RawFrame.builder(RawFrame.TEXT).unmasked().payload("abc")
                .lengthEncoding(RawFrame.LengthEncoding.SIXTEEN).build();
        assertThatThrownBy(() -> read(List.of(frame))).isInstanceOf(ProtocolException.class)
                .hasMessage("payload length 3 sent in the 16-bit form; RFC 6455 5.2 requires the minimal encoding");
    }

    @Test
    void readerRejectsSixtyFourBitLengthThatFitsSixteenBits() {
        byte[] frame = RawFrame.builder(RawFrame.TEXT).unmasked().payload(new byte[200])
                .lengthEncoding(RawFrame.LengthEncoding.SIXTY_FOUR).build();
        assertThatThrownBy(() -> read(List.of(frame))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("payload length 200 sent in the 64-bit form");
    }

    @Test
    void readerRejectsSixtyFourBitLengthWithHighBitSet() {
        byte[] frame = RawFrame.builder(RawFrame.BINARY).unmasked().lengthEncoding(RawFrame.LengthEncoding.SIXTY_FOUR)
                .rawLength(0x8000_0000_0000_0000L).build();
        assertThatThrownBy(() -> read(List.of(frame))).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("most significant bit");
    }

    @Test
    void readerStopsForGoodAfterFailure() throws ProtocolException {
        FrameReader reader = new FrameReader();
        Recorder recorder = new Recorder();
        byte[] bad = RawFrame.builder(RawFrame.TEXT).unmasked().payload("abc").lengthEncoding(RawFrame.LengthEncoding.SIXTEEN).build();
        assertThatThrownBy(() -> reader.read(ByteBuffer.wrap(bad), recorder)).isInstanceOf(ProtocolException.class);
        assertThat(reader.isStopped()).isTrue();
        reader.read(ByteBuffer.wrap(RawFrame.text("ok", true, null)), recorder);
        assertThat(recorder.calls).isEmpty();
    }

    @Test
    void readerStopsWhenConsumerAsksAndLeavesTheRestInTheBuffer() throws ProtocolException {
        byte[] first = RawFrame.closeEmpty(null);
        byte[] both = Bytes.concat(first, RawFrame.text("after", true, null));
        FrameReader reader = new FrameReader();
        Recorder recorder = new Recorder();
        recorder.stopAfterFrame = true;
        ByteBuffer in = ByteBuffer.wrap(both);
        reader.read(in, recorder);
        assertThat(recorder.calls).hasSize(3);
        assertThat(in.position()).isEqualTo(first.length);
        assertThat(reader.isStopped()).isTrue();
    }

    @Test
    void readerIgnoresTheInputBuffersByteOrder() throws ProtocolException {
        byte[] frame = RawFrame.builder(RawFrame.BINARY).mask(0x01020304).payload(new byte[70_000]).build();
        FrameReader reader = new FrameReader();
        Recorder recorder = new Recorder();
        ByteBuffer direct = ByteBuffer.allocateDirect(frame.length).order(ByteOrder.LITTLE_ENDIAN);
        direct.put(frame).flip();
        reader.read(direct, recorder);
        assertThat(recorder.calls.get(0)).isEqualTo("header fin=true rsv=0 op=2 masked=true key=1020304 len=70000");
        assertThat(recorder.calls.get(1)).isEqualTo("payload " + "00".repeat(70_000));
    }

    @Test
    void atFrameBoundaryOnlyBetweenFrames() throws ProtocolException {
        byte[] frame = RawFrame.text("Hello", true, null);
        FrameReader reader = new FrameReader();
        Recorder recorder = new Recorder();
        assertThat(reader.isAtFrameBoundary()).isTrue();
        reader.read(ByteBuffer.wrap(frame, 0, 1), recorder);
        assertThat(reader.isAtFrameBoundary()).isFalse();
        reader.read(ByteBuffer.wrap(frame, 1, 3), recorder);
        assertThat(reader.isAtFrameBoundary()).isFalse();
        reader.read(ByteBuffer.wrap(frame, 4, frame.length - 4), recorder);
        assertThat(reader.isAtFrameBoundary()).isTrue();
    }

    @Test
    void payloadRemainingCountsOutTheChunkBeingReported() throws ProtocolException {
        byte[] frame = RawFrame.binary(new byte[10], true, 0x01020304);
        FrameReader reader = new FrameReader();
        List<Long> seen = new ArrayList<>();
        FrameReader.Consumer consumer = new Recorder() {
            @Override
            public void payload(ByteBuffer chunk) {
                seen.add(reader.payloadRemaining());
                super.payload(chunk);
            }
        };
        assertThat(reader.payloadRemaining()).isZero();
        reader.read(ByteBuffer.wrap(frame, 0, 2 + 4 + 3), consumer);
        assertThat(reader.payloadRemaining()).isEqualTo(7);
        reader.read(ByteBuffer.wrap(frame, 9, frame.length - 9), consumer);
        assertThat(seen).containsExactly(7L, 0L);
        assertThat(reader.payloadRemaining()).isZero();
    }

    @Test
    void aZeroMaskingKeyLeavesThePayloadAsItIs() throws ProtocolException {
        // RFC 6455 5.3: XOR with a zero key is the identity; the frame is still reported as masked.
        byte[] frame = RawFrame.builder(RawFrame.BINARY).mask(0).payload(new byte[] {1, 2, 3, 4, 5}).build();
        assertThat(read(List.of(frame))).containsExactly(
                "header fin=true rsv=0 op=2 masked=true key=0 len=5", "payload 0102030405", "end");
    }
}
