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
        // FIPS 180-4 5.1.1: append 0x80, zeros, then the bit length as 64 bits, to a multiple of 64 bytes
        int length = key.length() + GUID.length;
        byte[] message = new byte[(length + 8 + 1 + 63) & ~63];
        for (int i = 0; i < key.length(); i++) {
            message[i] = (byte) key.charAt(i);
        }
        System.arraycopy(GUID, 0, message, key.length(), GUID.length);
        message[length] = (byte) 0x80;
        long bits = (long) length * 8;
        for (int i = 0; i < 8; i++) {
            message[message.length - 1 - i] = (byte) (bits >>> (8 * i));
        }
        int[] h = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
        int[] w = new int[16]; // the message schedule, 16 words kept as a ring
        for (int block = 0; block < message.length; block += 64) {
            compress(h, w, message, block);
        }
        byte[] digest = new byte[21]; // 20 bytes and one zero, so the last base64 group reads 3 bytes
        for (int i = 0; i < 5; i++) {
            digest[4 * i] = (byte) (h[i] >>> 24);
            digest[4 * i + 1] = (byte) (h[i] >>> 16);
            digest[4 * i + 2] = (byte) (h[i] >>> 8);
            digest[4 * i + 3] = (byte) h[i];
        }
        // RFC 4648 4: 20 bytes are six full groups and one of two bytes, which ends with one '='
        for (int i = 0, o = offset; i < 21; i += 3, o += 4) {
            int group = (digest[i] & 0xFF) << 16 | (digest[i + 1] & 0xFF) << 8 | (digest[i + 2] & 0xFF);
            out[o] = BASE64[group >>> 18];
            out[o + 1] = BASE64[(group >>> 12) & 63];
            out[o + 2] = BASE64[(group >>> 6) & 63];
            out[o + 3] = i == 18 ? (byte) '=' : BASE64[group & 63];
        }
    }

    /** @return base64(SHA-1(key + GUID)) as a string */
    static String of(String key) {
        byte[] out = new byte[LENGTH];
        write(key, out, 0);
        return new String(out, StandardCharsets.US_ASCII);
    }

    /** FIPS 180-4 6.1.2: one 512-bit block into the running hash. */
    private static void compress(int[] h, int[] w, byte[] m, int at) {
        for (int t = 0; t < 16; t++) {
            int i = at + 4 * t;
            w[t] = (m[i] & 0xFF) << 24 | (m[i + 1] & 0xFF) << 16 | (m[i + 2] & 0xFF) << 8 | (m[i + 3] & 0xFF);
        }
        int a = h[0];
        int b = h[1];
        int c = h[2];
        int d = h[3];
        int e = h[4];
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
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
    }
}
