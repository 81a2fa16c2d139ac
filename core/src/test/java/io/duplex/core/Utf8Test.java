package io.duplex.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The outbound text encoder against a plain reference: every unpaired surrogate becomes U+FFFD (the web
 * platform's USVString conversion), everything else is the JDK's UTF-8. Also pins the JDK behaviour the
 * encoder's fast path relies on.
 */
class Utf8Test {

    /** The rule, written plainly: pair surrogates left to right; any surrogate left unpaired is U+FFFD. */
    private static byte[] reference(String text) {
        StringBuilder usv = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                usv.append(c).append(text.charAt(++i));
            } else {
                usv.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return usv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    @Test
    void jdkWritesOneQuestionMarkPerUnpairedSurrogate() {
        // The fast path counts 0x3F bytes against '?' characters; this is the JDK behaviour it relies on. If
        // a JDK ever writes something else there, this test says so before the encoder gets it wrong.
        assertThat(hex("a\uD800b".getBytes(StandardCharsets.UTF_8))).isEqualTo("61 3f 62");
        assertThat(hex("\uDC00".getBytes(StandardCharsets.UTF_8))).isEqualTo("3f");
        assertThat(hex("\uD800\uD800\uDC00".getBytes(StandardCharsets.UTF_8))).isEqualTo("3f f0 90 80 80");
        assertThat(hex("\uDC00\uD800".getBytes(StandardCharsets.UTF_8))).isEqualTo("3f 3f");
        assertThat(hex("x\uD83D".getBytes(StandardCharsets.UTF_8))).isEqualTo("78 3f");
    }

    @Test
    void unpairedSurrogatesBecomeReplacementCharacters() {
        assertThat(hex(Utf8.encode("a\uD800b"))).isEqualTo("61 ef bf bd 62");
        assertThat(hex(Utf8.encode("\uDC00"))).isEqualTo("ef bf bd");
        assertThat(hex(Utf8.encode("\uD800\uD800\uDC00"))).isEqualTo("ef bf bd f0 90 80 80");
        assertThat(hex(Utf8.encode("\uDC00\uD800"))).isEqualTo("ef bf bd ef bf bd");
        assertThat(hex(Utf8.encode("ok?\uD83D"))).as("a '?' and a trailing high surrogate")
                .isEqualTo("6f 6b 3f ef bf bd");
        assertThat(hex(Utf8.encode("?\uDE00?"))).isEqualTo("3f ef bf bd 3f");
    }

    @Test
    void wellFormedTextIsTheJdksUtf8() {
        for (String text : new String[] {"", "hello", "what? why?", "???????????????????", "caf\u00e9 \u00fc",
                "\u65e5\u672c\u8a9e", "\uD83D\uDE00 emoji \uD83C\uDF89", "x".repeat(1024), "?".repeat(1000) + "\u00e9"}) {
            assertThat(Utf8.encode(text)).as(text).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void questionMarksAreCountedAtEveryOffsetOfTheWordScan() {
        for (int length = 0; length < 40; length++) {
            for (int at = 0; at < length; at++) {
                byte[] bytes = "a".repeat(length).getBytes(StandardCharsets.US_ASCII);
                bytes[at] = '?';
                assertThat(Utf8.countQuestionMarks(bytes)).as("length %d, at %d", length, at).isEqualTo(1);
                bytes[length - 1 - at] = '?';
                assertThat(Utf8.countQuestionMarks(bytes)).isEqualTo(at == length - 1 - at ? 1 : 2);
            }
        }
        byte[] noisy = new byte[256];
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] = (byte) i; // one 0x3F, and every neighbour value
        }
        assertThat(Utf8.countQuestionMarks(noisy)).isEqualTo(1);
    }

    @Provide
    Arbitrary<String> texts() {
        // Mostly ASCII with '?', some non-ASCII, and surrogates of both kinds in any order.
        Arbitrary<Character> chars = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(10, Arbitraries.chars().range('a', 'z')),
                net.jqwik.api.Tuple.of(3, Arbitraries.of('?')),
                net.jqwik.api.Tuple.of(2, Arbitraries.chars().range('\u0080', '\u07ff')),
                net.jqwik.api.Tuple.of(2, Arbitraries.chars().range('\u0800', '\uffff')),
                net.jqwik.api.Tuple.of(2, Arbitraries.chars().range('\uD800', '\uDBFF')),
                net.jqwik.api.Tuple.of(2, Arbitraries.chars().range('\uDC00', '\uDFFF')));
        return chars.list().ofMaxSize(64).map(list -> {
            StringBuilder s = new StringBuilder();
            list.forEach(s::append);
            return s.toString();
        });
    }

    @Property(tries = 2000)
    void encodeMatchesTheReference(@ForAll("texts") String text) {
        assertThat(Utf8.encode(text)).isEqualTo(reference(text));
        assertThat(Utf8Validator.isValid(Utf8.encode(text), 0, Utf8.encode(text).length)).isTrue();
    }
}
