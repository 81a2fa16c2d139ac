package io.duplex.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 6455 5.2 opcodes: the defined ones, the reserved ones, control versus data. */
class OpcodeTest {

    @Test
    void definedOpcodesMapBothWays() {
        for (Opcode opcode : Opcode.values()) {
            assertThat(Opcode.of(opcode.code())).isSameAs(opcode);
        }
    }

    @Test
    void reservedOpcodesHaveNoConstant() {
        for (int code : new int[] {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
            assertThat(Opcode.of(code)).isNull();
        }
    }

    @Test
    void controlFramesHaveTheHighOpcodeBit() {
        assertThat(Opcode.CLOSE.isControl()).isTrue();
        assertThat(Opcode.PING.isControl()).isTrue();
        assertThat(Opcode.PONG.isControl()).isTrue();
        assertThat(Opcode.TEXT.isControl()).isFalse();
        assertThat(Opcode.BINARY.isControl()).isFalse();
        assertThat(Opcode.CONTINUATION.isControl()).isFalse();
    }
}
