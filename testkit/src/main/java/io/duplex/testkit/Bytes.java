package io.duplex.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Small byte-array builders for test data.
 *
 * <p>Threading: stateless; safe from any thread ({@link #random} uses the caller's generator).
 */
public final class Bytes {
    private Bytes() {
    }

    /**
     * Joins arrays end to end.
     *
     * @param parts the arrays, in order
     * @return a new array holding all their bytes
     */
    public static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length = Math.addExact(length, part.length);
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    /**
     * Encodes a string as UTF-8 (lone surrogates become {@code ?}, as {@link String#getBytes} does).
     *
     * @param text the string
     * @return its UTF-8 bytes
     */
    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param value the byte
     * @param count how many times, zero or more
     * @return a new array of {@code count} copies of {@code value}
     */
    public static byte[] repeat(byte value, int count) {
        byte[] out = new byte[count];
        Arrays.fill(out, value);
        return out;
    }

    /**
     * @param random the generator, seeded by the test for reproducibility
     * @param count how many bytes
     * @return a new array of random bytes
     */
    public static byte[] random(Random random, int count) {
        byte[] out = new byte[count];
        random.nextBytes(out);
        return out;
    }
}
