package io.duplex.core.handshake;

import java.nio.charset.StandardCharsets;

/**
 * RFC 6455 4.2.2 step 5.4: {@code Sec-WebSocket-Accept} = base64(SHA-1(key + GUID)), computed straight into
 * the 28 ASCII bytes of its value.
 *
 * <p>Why not {@link java.security.MessageDigest}: a server computes this once per connection, and
 * {@code MessageDigest.getInstance("SHA-1")} looks the algorithm up in the providers and builds a new digest
 * object each time, about 1.1 KB of garbage per handshake; on a server holding tens of thousands of idle
 * sockets that garbage, not the sockets, is most of the memory first touched while they connect. The input
 * here always has one shape (a key of 24 ASCII characters, checked by {@link ServerHandshake}, or of any
 * length on the client's side, then the 36-character GUID), so the message is laid out in its padded
 * blocks directly. The hash itself is FIPS 180-4 section 6.1; {@code AcceptKeyTest} checks it against
 * {@code MessageDigest} for keys of every length up to 200 characters. SHA-1's weakness against collisions
 * does not matter here: the accept value only proves that the server received this handshake (RFC 6455 1.3);
 * it protects nothing.
 *
 * <p>Threading: stateless; safe to call from any thread.
 */
final class AcceptKey {

    /** The length of the base64 of a 20-byte digest. */
    static final int LENGTH = 28;

    /** Where the running hash H0..H4 sits in the state array, after the 16-word schedule. */
    private static final int HASH = 16;

    private static final byte[] GUID = ServerHandshake.ACCEPT_GUID.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BASE64 =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(
                    StandardCharsets.US_ASCII);

    private AcceptKey() {
    }

    /**
     * Writes base64(SHA-1(key + GUID)) into {@code out} at {@code offset}: {@value #LENGTH} bytes.
     *
     * @param key the {@code Sec-WebSocket-Key} as sent; its chars are taken as bytes (ISO-8859-1), as the
     *     head was read
     * @param out where to write
     * @param offset the first index written
     */
    static void write(String key, byte[] out, int offset) {
        // FIPS 180-4 5.1.1: the message is key + GUID, then 0x80, zeros, and the bit length as 64 bits, to a
        // multiple of 64 bytes. Its bytes are read where they lie (messageByte), so the only array made holds
        // the 16-word schedule and the 5-word hash.
        int length = key.length() + GUID.length;
        int blocks = (length + 8 + 1 + 63) >>> 6;
        int[] state = new int[HASH + 5];
        state[HASH] = 0x67452301;
        state[HASH + 1] = 0xEFCDAB89;
        state[HASH + 2] = 0x98BADCFE;
        state[HASH + 3] = 0x10325476;
        state[HASH + 4] = 0xC3D2E1F0;
        for (int block = 0; block < blocks; block++) {
            for (int t = 0; t < 16; t++) {
                int i = block * 64 + 4 * t;
                state[t] = messageByte(key, length, blocks, i) << 24 | messageByte(key, length, blocks, i + 1) << 16
                        | messageByte(key, length, blocks, i + 2) << 8 | messageByte(key, length, blocks, i + 3);
            }
            compress(state);
        }
        // RFC 4648 4: the 20 digest bytes are six groups of three and one of two, which ends with one '='
        for (int g = 0, o = offset; g < 7; g++, o += 4) {
            int group = digestByte(state, 3 * g) << 16 | digestByte(state, 3 * g + 1) << 8
                    | (g < 6 ? digestByte(state, 3 * g + 2) : 0);
            out[o] = BASE64[group >>> 18];
            out[o + 1] = BASE64[(group >>> 12) & 63];
            out[o + 2] = BASE64[(group >>> 6) & 63];
            out[o + 3] = g < 6 ? BASE64[group & 63] : (byte) '=';
        }
    }

    /** Byte {@code i} of the padded message: key, GUID, 0x80, zeros, then the length in bits, big-endian. */
    private static int messageByte(String key, int length, int blocks, int i) {
        if (i < key.length()) {
            return key.charAt(i) & 0xFF;
        }
        if (i < length) {
            return GUID[i - key.length()] & 0xFF;
        }
        if (i == length) {
            return 0x80;
        }
        int fromEnd = blocks * 64 - 1 - i; // 0 for the last byte
        return fromEnd < 8 ? (int) (((long) length * 8 >>> (8 * fromEnd)) & 0xFF) : 0;
    }

    private static int digestByte(int[] state, int i) {
        return (state[HASH + (i >>> 2)] >>> (24 - 8 * (i & 3))) & 0xFF;
    }

    /** @return base64(SHA-1(key + GUID)) as a string */
    static String of(String key) {
        byte[] out = new byte[LENGTH];
        write(key, out, 0);
        return new String(out, StandardCharsets.US_ASCII);
    }

    /** FIPS 180-4 6.1.2: one 512-bit block (words 0-15 of state) into the running hash (words 16-20). */
    private static void compress(int[] w) {
        int a = w[HASH];
        int b = w[HASH + 1];
        int c = w[HASH + 2];
        int d = w[HASH + 3];
        int e = w[HASH + 4];
        for (int t = 0; t < 80; t++) {
            int f;
            int k;
            if (t < 20) {
                f = (b & c) | (~b & d);
                k = 0x5A827999;
            } else if (t < 40) {
                f = b ^ c ^ d;
                k = 0x6ED9EBA1;
            } else if (t < 60) {
                f = (b & c) | (b & d) | (c & d);
                k = 0x8F1BBCDC;
            } else {
                f = b ^ c ^ d;
                k = 0xCA62C1D6;
            }
            if (t >= 16) { // W(t) = ROTL1(W(t-3) ^ W(t-8) ^ W(t-14) ^ W(t-16)); W(t-16) sits where W(t) goes
                w[t & 15] = Integer.rotateLeft(w[(t - 3) & 15] ^ w[(t - 8) & 15] ^ w[(t - 14) & 15] ^ w[t & 15], 1);
            }
            int temp = Integer.rotateLeft(a, 5) + f + e + k + w[t & 15];
            e = d;
            d = c;
            c = Integer.rotateLeft(b, 30);
            b = a;
            a = temp;
        }
        w[HASH] += a;
        w[HASH + 1] += b;
        w[HASH + 2] += c;
        w[HASH + 3] += d;
        w[HASH + 4] += e;
    }
}
