package io.duplex.benchmarks;

import io.duplex.core.Opcode;
import io.duplex.core.frame.FrameWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Deterministic inputs shared by the benchmarks: UTF-8 texts of a given flavour and buffers of encoded
 * frames. Every generator is seeded, so two runs (and two machines) measure the same bytes.
 *
 * <p>Threading: stateless; safe from any thread.
 */
final class BenchData {

    /** The payload size of the "large" cases: 64 KiB, a common transport read buffer size. */
    static final int LARGE = 64 * 1024;

    /** Client-to-server frames carry a key; this one has four distinct bytes, so a wrong rotation shows. */
    static final int MASK_KEY = 0x37FA_213D;

    private static final long SEED = 0x5EED_D00DL;

    // Chat-like vocabulary: ASCII words, and words in Latin with accents, Greek, CJK, Hangul and two emoji.
    // docs/benchmarks.md gives the exact non-ASCII share of the generated text (see nonAsciiShare).
    private static final String[] ASCII_WORDS = {
        "the", "meeting", "is", "at", "ok", "see", "you", "tomorrow", "thanks", "lol", "sure", "send",
        "me", "the", "link", "please", "done", "great", "idea", "what", "about", "lunch", "haha", "yes",
    };
    private static final String[] NON_ASCII_WORDS = {
        "café", "naïve", "Grüße", "señor", "déjà", "Ελλάδα", "καλημέρα", "ευχαριστώ",
        "你好", "谢谢", "明天见", "こんにちは", "ありがとう", "안녕하세요", "😀", "👍",
    };

    private BenchData() {
    }

    /** The kinds of text {@link #text} makes. */
    enum Text {
        /** Printable ASCII only: the common case for JSON protocols. */
        ASCII,
        /** Chat text, roughly 30% of its characters non-ASCII (2-, 3- and a few 4-byte sequences). */
        MIXED,
        /** Emoji separated by single spaces: nearly every byte is part of a 4-byte sequence. */
        EMOJI
    }

    /**
     * Valid UTF-8 of exactly {@code size} bytes: generated text cut at a code point boundary at or before
     * {@code size}, padded with spaces.
     */
    static byte[] text(Text kind, int size) {
        SplittableRandom random = new SplittableRandom(SEED);
        StringBuilder text = new StringBuilder(size);
        while (text.length() < size) { // chars >= bytes / 4, so this is enough whatever the flavour
            switch (kind) {
                case ASCII -> {
                    text.append(ASCII_WORDS[random.nextInt(ASCII_WORDS.length)]);
                    text.append(random.nextInt(8) == 0 ? ", " : " ");
                }
                case MIXED -> {
                    // One word in two is non-ASCII: 33% of the characters and 55% of the bytes are.
                    String[] words = random.nextInt(2) == 0 ? NON_ASCII_WORDS : ASCII_WORDS;
                    text.append(words[random.nextInt(words.length)]).append(' ');
                }
                case EMOJI -> {
                    text.appendCodePoint(0x1F300 + random.nextInt(0x1F64F - 0x1F300 + 1));
                    if (random.nextInt(8) == 0) {
                        text.append(' ');
                    }
                }
            }
        }
        byte[] encoded = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] result = new byte[size];
        int cut = Math.min(size, encoded.length);
        while (cut > 0 && cut < encoded.length && (encoded[cut] & 0xC0) == 0x80) {
            cut--; // do not split a sequence: back up to the start of the one that straddles the end
        }
        System.arraycopy(encoded, 0, result, 0, cut);
        java.util.Arrays.fill(result, cut, size, (byte) ' ');
        return result;
    }

    /**
     * {@code count} masked (client-to-server) frames of the given opcode, back to back, each carrying
     * {@code payload} bytes of ASCII text; the key differs per frame as a real client's does.
     */
    static byte[] maskedFrames(Opcode opcode, int count, int payload) {
        byte[] body = text(Text.ASCII, payload);
        int frameLength = FrameWriter.headerLength(payload, true) + payload;
        ByteBuffer out = ByteBuffer.allocate(count * frameLength);
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < count; i++) {
            FrameWriter.writeFrame(out, true, 0, opcode, ByteBuffer.wrap(body), true, random.nextInt());
        }
        return out.array();
    }

    /** Share of code points that are not ASCII, for the docs. */
    static double nonAsciiShare(byte[] utf8) {
        String s = new String(utf8, StandardCharsets.UTF_8);
        long all = s.codePoints().count();
        long nonAscii = s.codePoints().filter(c -> c >= 0x80).count();
        return (double) nonAscii / all;
    }
}
