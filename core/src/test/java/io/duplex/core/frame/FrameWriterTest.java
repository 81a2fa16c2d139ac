package io.duplex.core.frame;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.core.Opcode;
import io.duplex.testkit.Hex;
import io.duplex.testkit.RawFrame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Frame encoding: RFC 6455 5.7 known answers, minimal lengths, masking without touching the source. */
class FrameWriterTest {

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(b.position(), out);
        return out;
    }

    @Test
    void encodesRfcExampleUnmaskedText() {
        ByteBuffer frame = FrameWriter.encode(true, 0, Opcode.TEXT, StandardCharsets.US_ASCII.encode("Hello"), false, 0);
        assertThat(bytes(frame)).isEqualTo(Hex.parse("81 05 48 65 6c 6c 6f"));
    }

    @Test
    void encodesRfcExampleMaskedText() {
        ByteBuffer frame = FrameWriter.encode(true, 0, Opcode.TEXT, StandardCharsets.US_ASCII.encode("Hello"), true, 0x37FA213D);
        assertThat(bytes(frame)).isEqualTo(Hex.parse("81 85 37 fa 21 3d 7f 9f 4d 51 58"));
    }

    @Test
    void encodesRfcExampleFragmentedText() {
        ByteBuffer first = FrameWriter.encode(false, 0, Opcode.TEXT, StandardCharsets.US_ASCII.encode("Hel"), false, 0);
        ByteBuffer second = FrameWriter.encode(true, 0, Opcode.CONTINUATION, StandardCharsets.US_ASCII.encode("lo"), false, 0);
        assertThat(bytes(first)).isEqualTo(Hex.parse("01 03 48 65 6c"));
        assertThat(bytes(second)).isEqualTo(Hex.parse("80 02 6c 6f"));
    }

    @Test
    void encodesRfcExamplePing() {
        ByteBuffer ping = FrameWriter.encode(true, 0, Opcode.PING, StandardCharsets.US_ASCII.encode("Hello"), false, 0);
        assertThat(bytes(ping)).isEqualTo(Hex.parse("89 05 48 65 6c 6c 6f"));
    }

    @Test
    void encodesMinimalLengthForms() {
        // RFC 6455 5.2: 256 bytes use the 16-bit form, 65536 bytes the 64-bit form (5.7's examples).
        ByteBuffer medium = FrameWriter.encode(true, 0, Opcode.BINARY, ByteBuffer.allocate(256), false, 0);
        assertThat(bytes(medium.slice(0, 4))).isEqualTo(Hex.parse("82 7e 01 00"));
        ByteBuffer large = FrameWriter.encode(true, 0, Opcode.BINARY, ByteBuffer.allocate(65536), false, 0);
        assertThat(bytes(large.slice(0, 10))).isEqualTo(Hex.parse("82 7f 00 00 00 00 00 01 00 00"));
        for (int length : new int[] {0, 125, 126, 65535, 65536}) {
            for (boolean masked : new boolean[] {false, true}) {
                ByteBuffer frame = FrameWriter.encode(true, 0, Opcode.BINARY, ByteBuffer.allocate(length), masked, 0x1234);
                assertThat(frame.remaining()).isEqualTo(FrameWriter.headerLength(length, masked) + length);
                byte[] reference = (masked ? RawFrame.builder(RawFrame.BINARY).mask(0x1234) : RawFrame.builder(RawFrame.BINARY).unmasked())
                        .payload(new byte[length]).build();
                assertThat(bytes(frame)).isEqualTo(reference);
            }
        }
    }

    @Test
    void writesRsvBitsAndNoFin() {
        ByteBuffer frame = FrameWriter.encode(false, 0b100, Opcode.BINARY, ByteBuffer.allocate(0), false, 0);
        assertThat(frame.get(0) & 0xFF).isEqualTo(0x42);
    }

    @Test
    void maskingLeavesThePayloadBufferUntouched() {
        ByteBuffer payload = ByteBuffer.wrap(new byte[] {10, 20, 30, 40, 50, 60});
        payload.position(1);
        FrameWriter.encode(true, 0, Opcode.BINARY, payload, true, 0xFFFFFFFF);
        assertThat(payload.array()).containsExactly(10, 20, 30, 40, 50, 60);
        assertThat(payload.position()).isEqualTo(1);
    }

    @Test
    void unmaskedWriteLeavesThePayloadBufferPosition() {
        ByteBuffer payload = ByteBuffer.wrap(new byte[] {1, 2, 3});
        ByteBuffer target = ByteBuffer.allocate(16);
        FrameWriter.writeFrame(target, true, 0, Opcode.BINARY, payload, false, 0);
        assertThat(payload.position()).isZero();
        assertThat(target.position()).isEqualTo(5);
    }
}
