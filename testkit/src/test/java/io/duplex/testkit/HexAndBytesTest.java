package io.duplex.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HexAndBytesTest {
    @Test
    void formatAndParseRoundTrip() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        assertThat(Hex.parse(Hex.format(all))).isEqualTo(all);
        assertThat(Hex.format(new byte[] {(byte) 0x81, 0x05, 0x0a})).isEqualTo("81 05 0a");
        assertThat(Hex.format(new byte[0])).isEmpty();
    }

    @Test
    void parseIgnoresWhitespaceAndCase() {
        assertThat(Hex.parse(" 81\n05\t4A 4b ")).isEqualTo(new byte[] {(byte) 0x81, 0x05, 0x4a, 0x4b});
    }

    @Test
    void parseRejectsOddDigitsAndNonHex() {
        assertThatThrownBy(() -> Hex.parse("812")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hex.parse("8g")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bytesHelpers() {
        assertThat(Bytes.concat(Bytes.utf8("ab"), new byte[0], Bytes.repeat((byte) 7, 2)))
                .isEqualTo(new byte[] {'a', 'b', 7, 7});
        assertThat(Bytes.utf8("é")).isEqualTo(new byte[] {(byte) 0xc3, (byte) 0xa9});
        assertThat(Bytes.random(new Random(5), 32)).isEqualTo(Bytes.random(new Random(5), 32)).hasSize(32);
    }
}
