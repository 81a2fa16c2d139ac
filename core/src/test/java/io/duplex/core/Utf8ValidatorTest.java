package io.duplex.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.testkit.Bytes;
import io.duplex.testkit.Hex;
import io.duplex.testkit.Partitions;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class Utf8ValidatorTest {

    // ---- RFC 3629 4, one test per row of the table of well-formed byte sequences

    @Test
    void rfc3629_4_asciiIsOneByte() {
        byte[] ascii = new byte[128];
        for (int i = 0; i < 128; i++) {
            ascii[i] = (byte) i;
        }
        assertValid(ascii);
    }

    @Test
    void rfc3629_4_twoByteBoundaries() {
        assertValid("c2 80");  // U+0080
        assertValid("df bf");  // U+07FF
    }

    @Test
    void rfc3629_4_threeByteBoundaries() {
        assertValid("e0 a0 80"); // U+0800
        assertValid("ed 9f bf"); // U+D7FF, just below the surrogates
        assertValid("ee 80 80"); // U+E000, just above them
        assertValid("ef bf bf"); // U+FFFF
    }

    @Test
    void rfc3629_4_fourByteBoundaries() {
        assertValid("f0 90 80 80"); // U+10000
        assertValid("f4 8f bf bf"); // U+10FFFF
    }

    @Test
    void rfc3629_4_overlongFormsFailAtTheFirstImpossibleByte() {
        assertFailsAt("c0 80", 0);       // C0 and C1 can only lead overlong forms
        assertFailsAt("c1 bf", 0);
        assertFailsAt("e0 80 80", 1);
        assertFailsAt("e0 9f bf", 1);
        assertFailsAt("f0 80 80 80", 1);
        assertFailsAt("f0 8f bf bf", 1);
    }

    @Test
    void rfc3629_4_surrogatesFailAtTheirSecondByte() {
        assertFailsAt("ed a0 80", 1);
        assertFailsAt("ed bf bf", 1);
        for (int cp = 0xD800; cp <= 0xDFFF; cp++) {
            byte[] encoded = {(byte) (0xE0 | cp >> 12), (byte) (0x80 | cp >> 6 & 0x3F), (byte) (0x80 | cp & 0x3F)};
            assertFailsAt(encoded, 1);
        }
    }

    @Test
    void rfc3629_4_aboveU10FFFFFails() {
        assertFailsAt("f4 90 80 80", 1);
        assertFailsAt("f4 bf bf bf", 1);
        for (int lead = 0xF5; lead <= 0xFF; lead++) {
            assertFailsAt(new byte[] {(byte) lead, (byte) 0x80, (byte) 0x80, (byte) 0x80}, 0);
        }
    }

    @Test
    void rfc3629_4_unexpectedContinuationFails() {
        for (int b = 0x80; b <= 0xBF; b++) {
            assertFailsAt(new byte[] {(byte) b}, 0);
        }
        assertFailsAt("61 80", 1);
        assertFailsAt("c2 80 80", 2);
        assertFailsAt("ef bf bf bf", 3);
        assertFailsAt("f4 8f bf bf 80", 4);
    }

    @Test
    void rfc3629_4_leadByteWhereContinuationExpectedFails() {
        assertFailsAt("c2 41", 1);
        assertFailsAt("c2 c2 80", 1);
        assertFailsAt("e1 80 c2", 2);
        assertFailsAt("f1 80 80 e1", 3);
        assertFailsAt("f1 80 80 41", 3);
    }

    @Test
    void rfc6455_8_1_messageEndingInsideASequenceIsIncomplete() {
        for (String truncated : List.of("c2", "e0 a0", "e1", "e1 80", "f0 90", "f1 80 80", "f4 8f bf", "41 42 f4")) {
            Utf8Validator validator = new Utf8Validator();
            byte[] bytes = Hex.parse(truncated);
            assertThat(validator.feed(bytes, 0, bytes.length)).as(truncated).isTrue();
            assertThat(validator.hasFailed()).isFalse();
            assertThat(validator.isComplete()).as(truncated).isFalse();
            assertThat(Utf8Validator.isValid(bytes, 0, bytes.length)).isFalse();
        }
    }

    @Test
    void rfc6455_8_1_failsAtTheFirstInvalidByteAndCountsValidBytes() {
        byte[] valid = Bytes.utf8("héllo, wörld €𝄞"); // 1-, 2-, 3- and 4-byte sequences
        Utf8Validator validator = new Utf8Validator();
        assertThat(validator.feed(valid, 0, valid.length)).isTrue();
        assertThat(validator.validBytes()).isEqualTo(valid.length);
        assertThat(validator.feed(new byte[] {'a', (byte) 0xFF, 'b'}, 0, 3)).isFalse();
        assertThat(validator.validBytes()).isEqualTo(valid.length + 1);
        assertThat(validator.hasFailed()).isTrue();
        assertThat(validator.isComplete()).isFalse();
    }

    @Test
    void staysFailedUntilReset() {
        Utf8Validator validator = new Utf8Validator();
        assertThat(validator.feed(new byte[] {(byte) 0xC0}, 0, 1)).isFalse();
        assertThat(validator.feed(new byte[] {'a'}, 0, 1)).isFalse();
        assertThat(validator.feed(ByteBuffer.wrap(new byte[] {'a'}))).isFalse();
        assertThat(validator.validBytes()).isZero();
        validator.reset();
        assertThat(validator.hasFailed()).isFalse();
        assertThat(validator.isComplete()).isTrue();
        assertThat(validator.feed(new byte[] {'a'}, 0, 1)).isTrue();
        assertThat(validator.validBytes()).isEqualTo(1);
    }

    @Test
    void resetForgetsAPartialCodePoint() {
        Utf8Validator validator = new Utf8Validator();
        validator.feed(new byte[] {(byte) 0xE2, (byte) 0x82}, 0, 2);
        validator.reset();
        assertThat(validator.feed(new byte[] {(byte) 0xAC}, 0, 1)).isFalse();
    }

    @Test
    void emptyInputIsValid() {
        assertThat(Utf8Validator.isValid(new byte[0], 0, 0)).isTrue();
        assertThat(Utf8Validator.isValid(ByteBuffer.allocateDirect(0))).isTrue();
        Utf8Validator validator = new Utf8Validator();
        assertThat(validator.feed(ByteBuffer.allocate(0))).isTrue();
        assertThat(validator.isComplete()).isTrue();
    }

    // ---- however the bytes are split, the verdict is the same

    private static final List<String> CORPUS = List.of(
            "c2 80", "df bf", "e0 a0 80", "ef bf bf", "f0 90 80 80", "f4 8f bf bf", "ed 9f bf",
            "c0 80", "e0 80 80", "f0 80 80 80", "ed a0 80", "ed bf bf", "f4 90 80 80", "f5 80 80 80", "ff",
            "80", "c2 41", "e1 80 c2", "f1 80 80 e1", "c2", "e1 80", "f1 80 80",
            "41 e2 82 ac 42 f0 9f 98 80 43", "e2 82 ac e2 82", "f0 9f 98 80 f0 9f 98 ff");

    @Test
    void everySplitPointOfTwoFeedsGivesTheSameVerdict() {
        for (String hex : CORPUS) {
            byte[] input = Hex.parse(hex);
            Verdict whole = verdict(List.of(input));
            assertThat(whole).isEqualTo(Verdict.reference(input));
            for (List<byte[]> partition : Partitions.splitAtEveryPoint(input)) {
                assertThat(verdict(partition)).as(hex).isEqualTo(whole);
            }
        }
    }

    @Test
    void everyCompositionGivesTheSameVerdict() {
        for (String hex : CORPUS) {
            byte[] input = Hex.parse(hex);
            Verdict whole = verdict(List.of(input));
            for (List<byte[]> partition : Partitions.everyComposition(input)) {
                assertThat(verdict(partition)).as(hex).isEqualTo(whole);
            }
        }
    }

    @Test
    void invalidByteAtEveryOffsetOfLongAsciiIsFoundExactly() {
        // Crosses the 16-byte ASCII fast path at every alignment.
        for (int at = 0; at < 70; at++) {
            byte[] input = Bytes.repeat((byte) 'x', 80);
            input[at] = (byte) 0x80;
            assertFailsAt(input, at);
        }
    }

    @Test
    void invalidByteAfterEveryAmountOfMultiByteTextIsFoundExactly() {
        byte[] text = Bytes.utf8("aé€𝄞".repeat(10));
        for (int at = 0; at <= text.length; at++) {
            byte[] input = Bytes.concat(java.util.Arrays.copyOf(text, at), new byte[] {(byte) 0xFF}, text);
            Verdict expected = Verdict.reference(input);
            assertThat(verdict(List.of(input))).isEqualTo(expected);
            assertThat(expected.validBytes).isLessThanOrEqualTo(at);
        }
    }

    // ---- buffers: heap, direct, read-only, non-zero positions and offsets

    @Test
    void directBufferIsValidatedWithoutMovingPosition() {
        byte[] text = Bytes.utf8("Grüße, 世界! 🌍 " + "ascii ".repeat(20));
        ByteBuffer direct = ByteBuffer.allocateDirect(text.length + 10);
        direct.position(5);
        direct.put(text);
        direct.position(5).limit(5 + text.length);
        assertThat(Utf8Validator.isValid(direct)).isTrue();
        Utf8Validator validator = new Utf8Validator();
        assertThat(validator.feed(direct)).isTrue();
        assertThat(validator.isComplete()).isTrue();
        assertThat(direct.position()).isEqualTo(5);
        assertThat(direct.limit()).isEqualTo(5 + text.length);

        direct.put(5 + 8, (byte) 0xC0);
        Utf8Validator failing = new Utf8Validator();
        assertThat(failing.feed(direct)).isFalse();
        assertThat(failing.validBytes()).isEqualTo(8);
    }

    @Test
    void heapBufferSliceWithArrayOffsetAndPosition() {
        byte[] backing = Bytes.concat(Hex.parse("ff ff ff"), Bytes.utf8("ok €"), Hex.parse("ff ff"));
        ByteBuffer slice = ByteBuffer.wrap(backing, 1, backing.length - 1).slice(); // arrayOffset 1
        slice.position(2).limit(2 + 6);
        assertThat(slice.arrayOffset()).isEqualTo(1);
        assertThat(Utf8Validator.isValid(slice)).isTrue();
        Utf8Validator validator = new Utf8Validator();
        assertThat(validator.feed(slice)).isTrue();
        assertThat(slice.position()).isEqualTo(2);
        slice.limit(slice.limit() + 1);
        Utf8Validator failing = new Utf8Validator();
        assertThat(failing.feed(slice)).isFalse();
        assertThat(failing.validBytes()).isEqualTo(6);
    }

    @Test
    void readOnlyHeapBuffer() {
        ByteBuffer readOnly = ByteBuffer.wrap(Bytes.utf8("read-only ✓")).asReadOnlyBuffer();
        assertThat(Utf8Validator.isValid(readOnly)).isTrue();
        assertThat(Utf8Validator.isValid(ByteBuffer.wrap(Hex.parse("e2 9c")).asReadOnlyBuffer())).isFalse();
    }

    @Test
    void arrayOffsetsAreHonoured() {
        byte[] bytes = Bytes.concat(Hex.parse("80"), Bytes.utf8("€"), Hex.parse("80"));
        assertThat(Utf8Validator.isValid(bytes, 1, 3)).isTrue();
        assertThat(Utf8Validator.isValid(bytes, 0, 4)).isFalse();
        Utf8Validator validator = new Utf8Validator();
        assertThat(validator.feed(bytes, 1, 2)).isTrue();
        assertThat(validator.feed(bytes, 3, 1)).isTrue();
        assertThat(validator.isComplete()).isTrue();
        assertThat(validator.feed(bytes, 3, 1)).isFalse();
        assertThat(validator.validBytes()).isEqualTo(3);
    }

    @Test
    void codePointSplitBetweenHeapAndDirectChunks() {
        byte[] bytes = Bytes.utf8("𝄞");
        Utf8Validator validator = new Utf8Validator();
        assertThat(validator.feed(ByteBuffer.wrap(bytes, 0, 1))).isTrue();
        ByteBuffer direct = ByteBuffer.allocateDirect(2).put(bytes, 1, 2).flip();
        assertThat(validator.feed(direct)).isTrue();
        assertThat(validator.isComplete()).isFalse();
        assertThat(validator.feed(bytes, 3, 1)).isTrue();
        assertThat(validator.isComplete()).isTrue();
    }

    // ---- properties against independent oracles

    @Property(tries = 2000)
    void verdictEqualsReferenceDecodersUnderRandomSplits(@ForAll("utf8ish") byte[] input, @ForAll long seed,
                                                         @ForAll boolean direct) {
        Verdict expected = Verdict.reference(input);
        assertThat(expected.valid()).isEqualTo(jdkAccepts(input));
        for (List<byte[]> partition : Partitions.random(input, new Random(seed), 3)) {
            assertThat(direct ? verdictDirect(partition) : verdict(partition)).isEqualTo(expected);
        }
        assertThat(Utf8Validator.isValid(input, 0, input.length)).isEqualTo(expected.valid());
    }

    @Property(tries = 1000)
    void acceptsEveryValidString(@ForAll("codePoints") String text, @ForAll long seed) {
        byte[] input = Bytes.utf8(text);
        assertThat(Utf8Validator.isValid(ByteBuffer.wrap(input))).isTrue();
        for (List<byte[]> partition : Partitions.random(input, new Random(seed), 3)) {
            Verdict verdict = verdict(partition);
            assertThat(verdict.valid()).isTrue();
            assertThat(verdict.validBytes).isEqualTo(input.length);
        }
    }

    /** Byte arrays biased towards UTF-8 structure: boundary bytes of every range and valid code points. */
    @Provide
    Arbitrary<byte[]> utf8ish() {
        Arbitrary<byte[]> boundaryByte = Arbitraries.of(0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF,
                0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7,
                0xF8, 0xFF).map(b -> new byte[] {(byte) (int) b});
        Arbitrary<byte[]> anyByte = Arbitraries.bytes().map(b -> new byte[] {b});
        Arbitrary<byte[]> codePoint = Arbitraries.integers().between(0, 0x10FFFF)
                .filter(cp -> cp < 0xD800 || cp > 0xDFFF)
                .map(cp -> Bytes.utf8(Character.toString(cp)));
        Arbitrary<byte[]> asciiRun = Arbitraries.integers().between(1, 40).map(n -> Bytes.repeat((byte) 'a', n));
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, boundaryByte), net.jqwik.api.Tuple.of(1, anyByte),
                        net.jqwik.api.Tuple.of(5, codePoint), net.jqwik.api.Tuple.of(1, asciiRun))
                .list().ofMaxSize(40)
                .map(parts -> Bytes.concat(parts.toArray(byte[][]::new)));
    }

    @Provide
    Arbitrary<String> codePoints() {
        return Arbitraries.integers().between(0, 0x10FFFF).filter(cp -> cp < 0xD800 || cp > 0xDFFF)
                .list().ofMaxSize(60)
                .map(cps -> {
                    StringBuilder s = new StringBuilder();
                    cps.forEach(s::appendCodePoint);
                    return s.toString();
                });
    }

    // ---- helpers and the reference

    /** What a validator reports after a sequence of feeds. */
    record Verdict(boolean failed, boolean complete, long validBytes) {
        boolean valid() {
            return !failed && complete;
        }

        /**
         * An oracle built differently from the validator: from code point arithmetic rather than byte
         * ranges. After each byte of a sequence, the code points it could still become form an interval;
         * the sequence fails at the first byte after which that interval holds no scalar value that this
         * sequence length may encode (not overlong, not a surrogate, at most U+10FFFF).
         */
        static Verdict reference(byte[] b) {
            int i = 0;
            while (i < b.length) {
                int lead = b[i] & 0xFF;
                int tails;
                int min;
                if (lead < 0x80) {
                    i++;
                    continue;
                } else if (lead >= 0xC0 && lead < 0xE0) {
                    tails = 1;
                    min = 0x80;
                } else if (lead >= 0xE0 && lead < 0xF0) {
                    tails = 2;
                    min = 0x800;
                } else if (lead >= 0xF0 && lead < 0xF8) {
                    tails = 3;
                    min = 0x10000;
                } else {
                    return new Verdict(true, false, i);
                }
                long prefix = lead & (0x3F >> tails);
                for (int seen = 0; ; seen++) {
                    int remaining = tails - seen;
                    long lo = prefix << 6 * remaining;
                    long hi = lo | (1L << 6 * remaining) - 1;
                    long a = Math.max(lo, min);
                    long z = Math.min(hi, 0x10FFFF);
                    boolean possible = a <= z && !(a >= 0xD800 && z <= 0xDFFF);
                    if (!possible) {
                        return new Verdict(true, false, i + seen);
                    }
                    if (remaining == 0) {
                        break;
                    }
                    if (i + seen + 1 == b.length) {
                        return new Verdict(false, false, b.length);
                    }
                    int next = b[i + seen + 1] & 0xFF;
                    if ((next & 0xC0) != 0x80) {
                        return new Verdict(true, false, i + seen + 1);
                    }
                    prefix = prefix << 6 | next & 0x3F;
                }
                i += tails + 1;
            }
            return new Verdict(false, true, b.length);
        }
    }

    private static Verdict verdict(List<byte[]> chunks) {
        Utf8Validator validator = new Utf8Validator();
        boolean ok = true;
        for (byte[] chunk : chunks) {
            // Alternate arrays and heap buffers at an offset, so both entry points see every split.
            byte[] padded = Bytes.concat(new byte[] {'p'}, chunk, new byte[] {(byte) 0xFF});
            boolean fed = chunk.length % 2 == 0
                    ? validator.feed(padded, 1, chunk.length)
                    : validator.feed(ByteBuffer.wrap(padded, 1, chunk.length));
            assertThat(fed).isEqualTo(!validator.hasFailed());
            ok &= fed;
        }
        assertThat(ok).isEqualTo(!validator.hasFailed());
        return new Verdict(validator.hasFailed(), validator.isComplete(), validator.validBytes());
    }

    private static Verdict verdictDirect(List<byte[]> chunks) {
        Utf8Validator validator = new Utf8Validator();
        for (byte[] chunk : chunks) {
            ByteBuffer direct = ByteBuffer.allocateDirect(chunk.length + 3);
            direct.position(3).mark();
            direct.put(chunk).reset();
            boolean fed = validator.feed(direct);
            assertThat(direct.position()).isEqualTo(3);
            assertThat(fed).isEqualTo(!validator.hasFailed());
        }
        return new Verdict(validator.hasFailed(), validator.isComplete(), validator.validBytes());
    }

    private static boolean jdkAccepts(byte[] input) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(input));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static void assertValid(String hex) {
        assertValid(Hex.parse(hex));
    }

    private static void assertValid(byte[] bytes) {
        assertThat(Verdict.reference(bytes).valid()).as("reference on %s", Hex.format(bytes)).isTrue();
        assertThat(Utf8Validator.isValid(bytes, 0, bytes.length)).as(Hex.format(bytes)).isTrue();
        assertThat(verdict(List.of(bytes))).isEqualTo(new Verdict(false, true, bytes.length));
        assertThat(verdict(Partitions.oneByteAtATime(bytes))).isEqualTo(new Verdict(false, true, bytes.length));
    }

    private static void assertFailsAt(String hex, int index) {
        assertFailsAt(Hex.parse(hex), index);
    }

    private static void assertFailsAt(byte[] bytes, int index) {
        Verdict expected = new Verdict(true, false, index);
        assertThat(Verdict.reference(bytes)).as("reference on %s", Hex.format(bytes)).isEqualTo(expected);
        assertThat(verdict(List.of(bytes))).as(Hex.format(bytes)).isEqualTo(expected);
        assertThat(verdict(Partitions.oneByteAtATime(bytes))).as(Hex.format(bytes)).isEqualTo(expected);
        assertThat(Utf8Validator.isValid(bytes, 0, bytes.length)).isFalse();
        List<byte[]> asChunks = new ArrayList<>();
        asChunks.add(bytes);
        assertThat(verdictDirect(asChunks)).isEqualTo(expected);
    }
}
