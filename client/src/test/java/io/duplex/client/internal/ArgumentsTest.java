package io.duplex.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duplex.client.DOMException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Constructor step 9 (protocols) and close() steps 1-2 (code, reason). */
class ArgumentsTest {

    @Test
    void protocolsThatAreTokensAreAccepted() {
        assertThat(Arguments.protocols("chat", "superchat", "v1.json.example.com", "!#$%&'*+-.^_`|~"))
                .containsExactly("chat", "superchat", "v1.json.example.com", "!#$%&'*+-.^_`|~");
        assertThat(Arguments.protocols()).isEmpty();
        assertThat(Arguments.protocols((String[]) null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a,b", "a;b", "a/b", "(a)", "a\"b", "a=b", "a:b", "[a]", "{a}", "a?", "a@b",
            "a\\b", "\u00FC", "a\u0000", "a\u007F", "\t"})
    void protocolThatIsNotATokenIsASyntaxError(String protocol) {
        assertThatThrownBy(() -> Arguments.protocols("ok", protocol))
                .isInstanceOfSatisfying(DOMException.class, e -> assertThat(e.name()).isEqualTo("SyntaxError"));
    }

    @Test
    void nullProtocolIsASyntaxError() {
        assertThatThrownBy(() -> Arguments.protocols("ok", null)).isInstanceOf(DOMException.class);
    }

    @Test
    void repeatedProtocolIsASyntaxError() {
        assertThatThrownBy(() -> Arguments.protocols("chat", "chat"))
                .isInstanceOfSatisfying(DOMException.class, e -> assertThat(e.name()).isEqualTo("SyntaxError"))
                .hasMessageContaining("twice");
    }

    @Test
    void repeatedProtocolIsComparedCaseInsensitively() {
        assertThatThrownBy(() -> Arguments.protocols("chat", "x", "CHAT")).isInstanceOf(DOMException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 3000, 3999, 4000, 4999})
    void closeCodeAllowed(int code) {
        assertThatCode(() -> Arguments.closeCode(code)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 999, 1001, 1002, 1005, 1006, 1011, 1015, 2000, 2999, 5000, 65535,
            65536 + 1000, Integer.MAX_VALUE})
    void closeCodeOtherThan1000Or3000To4999IsAnInvalidAccessError(int code) {
        assertThatThrownBy(() -> Arguments.closeCode(code))
                .isInstanceOfSatisfying(DOMException.class, e -> {
                    assertThat(e.name()).isEqualTo("InvalidAccessError");
                    assertThat(e.code()).isEqualTo(15);
                })
                .hasMessageContaining(Integer.toString(code));
    }

    @Test
    void closeReasonOf123Utf8BytesIsAllowed() {
        assertThatCode(() -> Arguments.closeReason("a".repeat(123))).doesNotThrowAnyException();
        assertThatCode(() -> Arguments.closeReason("\u00E9".repeat(61) + "a")).doesNotThrowAnyException(); // 123
        assertThatCode(() -> Arguments.closeReason(null)).doesNotThrowAnyException();
        assertThatCode(() -> Arguments.closeReason("")).doesNotThrowAnyException();
    }

    @Test
    void closeReasonOver123Utf8BytesIsASyntaxError() {
        assertThatThrownBy(() -> Arguments.closeReason("a".repeat(124)))
                .isInstanceOfSatisfying(DOMException.class, e -> assertThat(e.name()).isEqualTo("SyntaxError"))
                .hasMessageContaining("124");
        // 62 two-byte characters: 62 chars but 124 bytes
        assertThatThrownBy(() -> Arguments.closeReason("\u00E9".repeat(62))).isInstanceOf(DOMException.class);
        // 31 four-byte characters: 62 chars, 124 bytes
        assertThatThrownBy(() -> Arguments.closeReason("\uD83D\uDE00".repeat(31))).isInstanceOf(DOMException.class);
    }

    @Test
    void closeReasonLoneSurrogatesCountAsThreeBytes() {
        // 41 lone surrogates become 41 U+FFFD: 123 bytes; one more is 126
        assertThatCode(() -> Arguments.closeReason("\uD800".repeat(41))).doesNotThrowAnyException();
        assertThatThrownBy(() -> Arguments.closeReason("\uD800".repeat(42))).isInstanceOf(DOMException.class);
    }

    @Test
    void usvStringReplacesOnlyLoneSurrogates() {
        assertThat(Arguments.usvString("a\uD83D\uDE00b")).isEqualTo("a\uD83D\uDE00b");
        assertThat(Arguments.usvString("a\uD800b\uDC00")).isEqualTo("a\uFFFDb\uFFFD");
        assertThat(Arguments.usvString("\uDE00\uD83D")).isEqualTo("\uFFFD\uFFFD");
    }
}
