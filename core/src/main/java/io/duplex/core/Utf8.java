package io.duplex.core;

import java.nio.charset.StandardCharsets;

/**
 * Encodes outbound text. Java strings may hold unpaired surrogates, which have no UTF-8 form; the web
 * platform converts such strings to USVString by replacing each with U+FFFD, and so do we (the JDK's
 * encoder would write '?', which changes the text silently).
 *
 * <p>Threading: stateless.
 */
final class Utf8 {
    private Utf8() {
    }

    static byte[] encode(String text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < length
                        && Character.isLowSurrogate(text.charAt(i + 1));
                if (!paired) {
                    return replaceLoneSurrogates(text).getBytes(StandardCharsets.UTF_8);
                }
                i++;
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
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
