package io.duplex.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Encodes outbound text as UTF-8. Java strings may hold unpaired surrogates, which have no UTF-8 form; the
 * web platform converts such strings to USVString by replacing each with U+FFFD, and so do we.
 *
 * <h2>Theory of operation</h2>
 * {@link String#getBytes(java.nio.charset.Charset) String.getBytes(UTF_8)} does the encoding: a vector copy
 * for an ASCII string, the JDK's own loop otherwise. It gets one thing wrong for us: it writes each unpaired
 * surrogate as {@code '?'} (0x3F), the charset's replacement, which would change the text silently. In UTF-8
 * the byte 0x3F only ever encodes U+003F itself (every byte of a multi-byte sequence has its high bit set),
 * so the output holds more 0x3F bytes than the text holds {@code '?'} characters exactly when the text has
 * unpaired surrogates. The bytes are counted a word at a time, the characters with {@link String#indexOf(int)}
 * (a JDK intrinsic) and only when a 0x3F byte turned up at all. Only a text that does have an unpaired
 * surrogate is rewritten with U+FFFD and encoded again. Nothing here loops over the characters of a string
 * in Java, so the cost does not depend on how deep in a compiled call chain the JIT inlines it.
 *
 * <p>Threading: stateless.
 */
public final class Utf8 {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final long QUESTION_MARKS = 0x3F3F_3F3F_3F3F_3F3FL;
    private static final long LOW_SEVEN = 0x7F7F_7F7F_7F7F_7F7FL;

    private Utf8() {
    }

    /**
     * The UTF-8 bytes of {@code text}, each unpaired surrogate written as U+FFFD (EF BF BD).
     *
     * @param text the text
     * @return a new array
     */
    public static byte[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int marks = countQuestionMarks(bytes);
        if (marks == 0 || marks == countQuestionMarks(text)) {
            return bytes;
        }
        return replaceLoneSurrogates(text).getBytes(StandardCharsets.UTF_8);
    }

    /** The 0x3F bytes in {@code bytes}, eight at a time. */
    static int countQuestionMarks(byte[] bytes) {
        int count = 0;
        int i = 0;
        for (int end = bytes.length - 7; i < end; i += 8) {
            long x = (long) LONGS.get(bytes, i) ^ QUESTION_MARKS; // a zero byte where there was a '?'
            // The high bit of each byte that is zero, and of no other (no carries between bytes).
            long zeros = ~(((x & LOW_SEVEN) + LOW_SEVEN) | x | LOW_SEVEN);
            count += Long.bitCount(zeros);
        }
        for (; i < bytes.length; i++) {
            if (bytes[i] == '?') {
                count++;
            }
        }
        return count;
    }

    private static int countQuestionMarks(String text) {
        int count = 0;
        for (int i = text.indexOf('?'); i >= 0; i = text.indexOf('?', i + 1)) {
            count++;
        }
        return count;
    }

    private static String replaceLoneSurrogates(String text) {
        StringBuilder fixed = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                fixed.append(c).append(text.charAt(++i));
            } else {
                fixed.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return fixed.toString();
    }
}
