package io.duplex.testkit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Ways to split an input into consecutive chunks, to check that a parser gives the same answer however
 * its input arrives. Every chunk is a fresh array; concatenated, the chunks of a partition equal the input.
 *
 * <p>Threading: stateless; safe from any thread ({@link #random} uses the caller's generator).
 */
public final class Partitions {
    /** The largest input {@link #everyComposition} accepts: 2^15 = 32768 partitions. */
    public static final int MAX_COMPOSITION_LENGTH = 16;

    private Partitions() {
    }

    /**
     * Every split into two chunks: for each k from 0 to n, the chunks [0, k) and [k, n). The first and
     * last partitions have an empty chunk, which parsers must also accept.
     *
     * @param input the bytes
     * @return n + 1 partitions of two chunks each
     */
    public static List<List<byte[]>> splitAtEveryPoint(byte[] input) {
        List<List<byte[]>> out = new ArrayList<>(input.length + 1);
        for (int k = 0; k <= input.length; k++) {
            out.add(List.of(Arrays.copyOfRange(input, 0, k), Arrays.copyOfRange(input, k, input.length)));
        }
        return out;
    }

    /**
     * @param input the bytes
     * @return one chunk per byte (no chunks for an empty input)
     */
    public static List<byte[]> oneByteAtATime(byte[] input) {
        List<byte[]> out = new ArrayList<>(input.length);
        for (byte b : input) {
            out.add(new byte[] {b});
        }
        return out;
    }

    /**
     * Every way to split the input into non-empty chunks: 2^(n-1) partitions, one per subset of the n-1
     * places between bytes. An empty input has one partition, a single empty chunk, so that a consumer is
     * still fed once.
     *
     * @param input at most {@value #MAX_COMPOSITION_LENGTH} bytes
     * @return all partitions, the unsplit input first
     * @throws IllegalArgumentException for inputs longer than {@value #MAX_COMPOSITION_LENGTH} bytes
     */
    public static List<List<byte[]>> everyComposition(byte[] input) {
        int n = input.length;
        if (n > MAX_COMPOSITION_LENGTH) {
            throw new IllegalArgumentException("everyComposition of " + n + " bytes would give 2^" + (n - 1)
                    + " partitions; the limit is " + MAX_COMPOSITION_LENGTH + " bytes");
        }
        if (n == 0) {
            return List.of(List.of(new byte[0]));
        }
        int places = n - 1;
        List<List<byte[]>> out = new ArrayList<>(1 << places);
        for (int cuts = 0; cuts < 1 << places; cuts++) {
            // Bit p of cuts set: cut between byte p and byte p + 1.
            List<byte[]> chunks = new ArrayList<>(Integer.bitCount(cuts) + 1);
            int start = 0;
            for (int p = 0; p < places; p++) {
                if ((cuts & 1 << p) != 0) {
                    chunks.add(Arrays.copyOfRange(input, start, p + 1));
                    start = p + 1;
                }
            }
            chunks.add(Arrays.copyOfRange(input, start, n));
            out.add(chunks);
        }
        return out;
    }

    /**
     * Random splits into non-empty chunks. Each partition draws its own cut density, so the set mixes
     * few large chunks with many tiny ones.
     *
     * @param input the bytes
     * @param random the generator, seeded by the test for reproducibility
     * @param count how many partitions
     * @return {@code count} partitions (an empty input gives single empty chunks)
     */
    public static List<List<byte[]>> random(byte[] input, Random random, int count) {
        List<List<byte[]>> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (input.length == 0) {
                out.add(List.of(new byte[0]));
                continue;
            }
            double density = random.nextDouble();
            List<byte[]> chunks = new ArrayList<>();
            int start = 0;
            for (int p = 1; p < input.length; p++) {
                if (random.nextDouble() < density) {
                    chunks.add(Arrays.copyOfRange(input, start, p));
                    start = p;
                }
            }
            chunks.add(Arrays.copyOfRange(input, start, input.length));
            out.add(chunks);
        }
        return out;
    }
}
