package io.duplex.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RawFrameTest {
    private static final int KEY = 0x37fa213d;

    @Test
    void rfc6455_5_7_singleFrameUnmaskedText() {
        assertThat(Hex.format(RawFrame.text("Hello", true, null))).isEqualTo("81 05 48 65 6c 6c 6f");
    }

    @Test
    void rfc6455_5_7_singleFrameMaskedText() {
        assertThat(Hex.format(RawFrame.text("Hello", true, KEY))).isEqualTo("81 85 37 fa 21 3d 7f 9f 4d 51 58");
    }

    @Test
    void rfc6455_5_7_fragmentedUnmaskedText() {
        assertThat(Hex.format(RawFrame.text("Hel", false, null))).isEqualTo("01 03 48 65 6c");
        assertThat(Hex.format(RawFrame.continuation(Bytes.utf8("lo"), true, null))).isEqualTo("80 02 6c 6f");
    }

    @Test
    void rfc6455_5_7_unmaskedPingAndMaskedPong() {
        assertThat(Hex.format(RawFrame.ping(Bytes.utf8("Hello"), null))).isEqualTo("89 05 48 65 6c 6c 6f");
        assertThat(Hex.format(RawFrame.pong(Bytes.utf8("Hello"), KEY)))
                .isEqualTo("8a 85 37 fa 21 3d 7f 9f 4d 51 58");
    }

    @Test
    void rfc6455_5_7_binary256BytesUsesSixteenBitLength() {
        byte[] frame = RawFrame.binary(new byte[256], true, null);
        assertThat(frame).hasSize(4 + 256);
        assertThat(Hex.format(java.util.Arrays.copyOf(frame, 4))).isEqualTo("82 7e 01 00");
    }

    @Test
    void rfc6455_5_7_binary64KiBUsesSixtyFourBitLength() {
        byte[] frame = RawFrame.binary(new byte[65536], true, null);
        assertThat(frame).hasSize(10 + 65536);
        assertThat(Hex.format(java.util.Arrays.copyOf(frame, 10))).isEqualTo("82 7f 00 00 00 00 00 01 00 00");
    }

    @Test
    void minimalLengthBoundaries() {
        assertThat(RawFrame.binary(new byte[125], true, null)[1]).isEqualTo((byte) 125);
        assertThat(RawFrame.binary(new byte[126], true, null)[1]).isEqualTo((byte) 126);
        assertThat(RawFrame.binary(new byte[65535], true, null)[1]).isEqualTo((byte) 126);
    }

    @Test
    void closeWithCodeAndReason() {
        assertThat(Hex.format(RawFrame.close(1000, "ok", null))).isEqualTo("88 04 03 e8 6f 6b");
        assertThat(Hex.format(RawFrame.closeEmpty(null))).isEqualTo("88 00");
    }

    @Test
    void forcedNonMinimalLengthEncodings() {
        byte[] sixteen = RawFrame.builder(RawFrame.TEXT).payload("Hi")
                .lengthEncoding(RawFrame.LengthEncoding.SIXTEEN).build();
        assertThat(Hex.format(sixteen)).isEqualTo("81 7e 00 02 48 69");
        byte[] sixtyFour = RawFrame.builder(RawFrame.TEXT).payload("Hi")
                .lengthEncoding(RawFrame.LengthEncoding.SIXTY_FOUR).build();
        assertThat(Hex.format(sixtyFour)).isEqualTo("81 7f 00 00 00 00 00 00 00 02 48 69");
    }

    @Test
    void rawLengthWithHighBitSet() {
        byte[] frame = RawFrame.builder(RawFrame.BINARY).rawLength(Long.MIN_VALUE).build();
        assertThat(Hex.format(frame)).isEqualTo("82 7f 80 00 00 00 00 00 00 00");
    }

    @Test
    void reservedBitsOpcodeAndNoFin() {
        byte[] frame = RawFrame.builder(0xB).fin(false).rsv(4 | 1).build();
        assertThat(Hex.format(frame)).isEqualTo("5b 00");
    }

    @Test
    void maskedFlagIndependentOfKey() {
        assertThat(Hex.format(RawFrame.builder(RawFrame.TEXT).payload("Hi").maskedFlag(true).build()))
                .isEqualTo("81 82 48 69");
        assertThat(Hex.format(RawFrame.builder(RawFrame.TEXT).payload("Hi").mask(KEY).maskedFlag(false).build()))
                .isEqualTo("81 02 37 fa 21 3d 7f 93");
    }

    @Test
    void refusesWhatCannotBeWritten() {
        assertThatThrownBy(() -> RawFrame.builder(16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RawFrame.builder(1).rsv(8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RawFrame.builder(2).payload(new byte[200])
                .lengthEncoding(RawFrame.LengthEncoding.SEVEN).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
