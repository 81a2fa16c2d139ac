package io.duplex.server.internal;

import java.nio.charset.StandardCharsets;

/**
 * UTF-8 for outbound text, as the core writes it: unpaired surrogates become U+FFFD (the web platform's
 * USVString conversion; the JDK's encoder would write '?'). The core's own encoder is not exported, and
 * the server needs the length before handing a message to the loop.
 *
 * <p>Threading: stateless.
 */
public final class Utf8Text {

    private Utf8Text() {
    }

    /** The encoded length of {@code text} in bytes, unpaired surrogates counted as U+FFFD (3 bytes). */
    public static long length(CharSequence text) {
        long bytes = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3; // BMP characters, and lone surrogates as U+FFFD
            }
        }
        return bytes;
    }

    /** The UTF-8 bytes of {@code text}, unpaired surrogates as U+FFFD. */
    public static byte[] encode(CharSequence text) {
        int length = text.length();
        StringBuilder fixed = null;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1));
            if (fixed == null && Character.isSurrogate(c) && !pair) {
                fixed = new StringBuilder(length).append(text, 0, i);
            }
            if (fixed != null) {
                if (pair) {
                    fixed.append(c).append(text.charAt(i + 1));
                } else {
                    fixed.append(Character.isSurrogate(c) ? '\uFFFD' : c);
                }
            }
            if (pair) {
                i++;
            }
        }
        return (fixed != null ? fixed.toString() : text.toString()).getBytes(StandardCharsets.UTF_8);
    }
}
