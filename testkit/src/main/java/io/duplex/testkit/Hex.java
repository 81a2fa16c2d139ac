package io.duplex.testkit;

import java.io.ByteArrayOutputStream;

/**
 * Hex dumps as in RFC examples: {@code "81 05 48 65 6c 6c 6f"}, for readable test data and failure
 * messages.
 *
 * <p>Threading: stateless; safe from any thread.
 */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    /**
     * Formats bytes as two lower-case hex digits each, separated by single spaces.
     *
     * @param bytes the bytes
     * @return for example {@code "81 05 48"}; empty for no bytes
     */
    public static String format(byte[] bytes) {
        StringBuilder out = new StringBuilder(Math.max(0, bytes.length * 3 - 1));
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(DIGITS[(bytes[i] >> 4) & 0xF]).append(DIGITS[bytes[i] & 0xF]);
        }
        return out.toString();
    }

    /**
     * Parses hex digits, either case, ignoring all whitespace, so that {@code "81 05"}, {@code "8105"} and
     * a multi-line dump all work.
     *
     * @param hex pairs of hex digits
     * @return the bytes
     * @throws IllegalArgumentException for a character that is neither a hex digit nor whitespace, or an
     *     odd number of digits
     */
    public static byte[] parse(String hex) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(hex.length() / 2);
        int high = -1;
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            int digit = Character.digit(c, 16);
            if (digit < 0) {
                throw new IllegalArgumentException("'" + c + "' at index " + i + " is not a hex digit");
            }
            if (high < 0) {
                high = digit;
            } else {
                out.write(high << 4 | digit);
                high = -1;
            }
        }
        if (high >= 0) {
            throw new IllegalArgumentException("odd number of hex digits in \"" + hex + "\"");
        }
        return out.toByteArray();
    }
}
