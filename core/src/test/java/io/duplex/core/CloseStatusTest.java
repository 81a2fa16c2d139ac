package io.duplex.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Close codes by direction, reason length, and close payload parsing (RFC 6455 5.5.1, 7.4). */
class CloseStatusTest {

    private static ByteBuffer hex(String s) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(s.replace(" ", "")));
    }

    @Test
    void codesValidOnTheWireFollowRfc6455Section7_4() {
        for (int code : new int[] {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999}) {
            assertThat(CloseStatus.isValidOnWire(code)).as("code %d", code).isTrue();
        }
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000}) {
            assertThat(CloseStatus.isValidOnWire(code)).as("code %d", code).isFalse();
        }
    }

    @Test
    void parseEmptyPayloadIsNoStatus1005() throws ProtocolException {
        assertThat(CloseStatus.parse(ByteBuffer.allocate(0))).isSameAs(CloseStatus.NO_STATUS);
    }

    @Test
    void parseOneBytePayloadIsProtocolError() {
        assertThatThrownBy(() -> CloseStatus.parse(hex("03"))).isInstanceOfSatisfying(ProtocolException.class,
                e -> assertThat(e.closeCode()).isEqualTo(1002));
    }

    @Test
    void parseCodeAndReason() throws ProtocolException {
        ByteBuffer payload = hex("03 e8 62 79 65");
        assertThat(CloseStatus.parse(payload)).isEqualTo(new CloseStatus(1000, "bye"));
        assertThat(payload.position()).as("payload not consumed").isZero();
    }

    @Test
    void parseCodeNeverOnTheWireIsProtocolError() {
        assertThatThrownBy(() -> CloseStatus.parse(hex("03 ed"))).isInstanceOfSatisfying(ProtocolException.class, e -> {
            assertThat(e.closeCode()).isEqualTo(1002);
            assertThat(e).hasMessageContaining("close code 1005");
        });
    }

    @Test
    void parseInvalidUtf8ReasonIsInvalidPayload1007() {
        assertThatThrownBy(() -> CloseStatus.parse(hex("03 e8 ed a0 80"))).isInstanceOfSatisfying(ProtocolException.class,
                e -> assertThat(e.closeCode()).isEqualTo(1007));
    }

    @Test
    void reasonOf123BytesIsAcceptedAnd124Refused() {
        assertThat(new CloseStatus(1000, "é".repeat(61) + "a").reason()).hasSize(62);
        assertThatThrownBy(() -> new CloseStatus(1000, "é".repeat(62)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("124 UTF-8 bytes exceeds the limit of 123");
    }

    @Test
    void encodeRefusesCodesThatMayNotBeSent() {
        assertThatThrownBy(() -> CloseStatus.of(1006).encode()).isInstanceOf(IllegalArgumentException.class);
        assertThat(HexFormat.of().formatHex(new CloseStatus(1001, "x").encode().array())).isEqualTo("03e978");
    }

    @Test
    void codesOutside1000To4999AreNotStatuses() {
        assertThatThrownBy(() -> CloseStatus.of(999)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CloseStatus.of(5000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CloseStatus(1000, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void failureCodesAreTheFunnelsCodes() {
        for (int code : new int[] {1002, 1007, 1008, 1009, 1010, 1011}) {
            assertThat(CloseStatus.isFailureCode(code)).isTrue();
        }
        assertThat(CloseStatus.isFailureCode(1000)).isFalse();
        assertThat(CloseStatus.nameOf(1009)).isEqualTo("message too big");
        assertThat(CloseStatus.nameOf(4000)).isEmpty();
    }
}
