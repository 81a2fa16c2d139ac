package io.duplex.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A deliberately simple reference frame writer (RFC 6455 5.2) for tests, written byte by byte with no
 * shared code with the library, and able to write frames the library must reject: reserved opcodes,
 * RSV bits, a MASK bit that disagrees with the key, non-minimal or lying lengths, oversized control
 * frames.
 *
 * <pre>
 *   byte 0: FIN(0x80) RSV1(0x40) RSV2(0x20) RSV3(0x10) opcode(0x0F)
 *   byte 1: MASK(0x80) length(0x7F): 0-125, or 126 then 2 bytes, or 127 then 8 bytes, big-endian
 *   then the 4 key bytes if a key is set, then the payload (XORed with the key if set)
 * </pre>
 *
 * <p>Threading: the static methods are safe from any thread; a {@link Builder} is confined to one.
 */
public final class RawFrame {
    /** Opcode 0x0, a continuation frame. */
    public static final int CONTINUATION = 0x0;
    /** Opcode 0x1, text. */
    public static final int TEXT = 0x1;
    /** Opcode 0x2, binary. */
    public static final int BINARY = 0x2;
    /** Opcode 0x8, close. */
    public static final int CLOSE = 0x8;
    /** Opcode 0x9, ping. */
    public static final int PING = 0x9;
    /** Opcode 0xA, pong. */
    public static final int PONG = 0xA;

    private RawFrame() {
    }

    /**
     * How the payload length is written. Without a choice the builder uses the shortest, as RFC 6455 5.2
     * requires; a forced longer one makes a non-minimal (illegal) encoding.
     */
    public enum LengthEncoding {
        /** The 7-bit field alone: 0-125 (126 and 127 only by way of {@link Builder#rawLength}). */
        SEVEN,
        /** 126, then a 16-bit length. */
        SIXTEEN,
        /** 127, then a 64-bit length. */
        SIXTY_FOUR
    }

    /**
     * Starts a frame.
     *
     * @param opcode 0-15, reserved ones included
     * @return a builder with FIN set, no RSV bits, no mask, empty payload
     */
    public static Builder builder(int opcode) {
        return new Builder(opcode);
    }

    /**
     * A text frame.
     *
     * @param text the payload, encoded as UTF-8
     * @param fin whether this is the final frame
     * @param maskKey the key, or null for an unmasked frame
     * @return the frame's bytes
     */
    public static byte[] text(String text, boolean fin, Integer maskKey) {
        return builder(TEXT).fin(fin).payload(text).maskKey(maskKey).build();
    }

    /**
     * A binary frame.
     *
     * @param payload the payload
     * @param fin whether this is the final frame
     * @param maskKey the key, or null for an unmasked frame
     * @return the frame's bytes
     */
    public static byte[] binary(byte[] payload, boolean fin, Integer maskKey) {
        return builder(BINARY).fin(fin).payload(payload).maskKey(maskKey).build();
    }

    /**
     * A continuation frame.
     *
     * @param payload the payload
     * @param fin whether this is the final frame
     * @param maskKey the key, or null for an unmasked frame
     * @return the frame's bytes
     */
    public static byte[] continuation(byte[] payload, boolean fin, Integer maskKey) {
        return builder(CONTINUATION).fin(fin).payload(payload).maskKey(maskKey).build();
    }

    /**
     * A close frame with a code and reason; any code, including ones that may not be on the wire.
     *
     * @param code the 16-bit code, written big-endian
     * @param reason the reason, encoded as UTF-8
     * @param maskKey the key, or null for an unmasked frame
     * @return the frame's bytes
     */
    public static byte[] close(int code, String reason, Integer maskKey) {
        byte[] reasonBytes = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + reasonBytes.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(reasonBytes, 0, payload, 2, reasonBytes.length);
        return builder(CLOSE).payload(payload).maskKey(maskKey).build();
    }

    /**
     * A close frame with no payload.
     *
     * @param maskKey the key, or null for an unmasked frame
     * @return the frame's bytes
     */
    public static byte[] closeEmpty(Integer maskKey) {
        return builder(CLOSE).maskKey(maskKey).build();
    }

    /**
     * A ping frame.
     *
     * @param payload the application data, of any length (over 125 bytes is illegal)
     * @param maskKey the key, or null for an unmasked frame
     * @return the frame's bytes
     */
    public static byte[] ping(byte[] payload, Integer maskKey) {
        return builder(PING).payload(payload).maskKey(maskKey).build();
    }

    /**
     * A pong frame.
     *
     * @param payload the application data, of any length (over 125 bytes is illegal)
     * @param maskKey the key, or null for an unmasked frame
     * @return the frame's bytes
     */
    public static byte[] pong(byte[] payload, Integer maskKey) {
        return builder(PONG).payload(payload).maskKey(maskKey).build();
    }

    /**
     * Builds one frame. Every field can be set to an illegal value; only values that cannot be written at
     * all (an opcode over 4 bits, a length that does not fit the forced field) are refused.
     *
     * <p>Threading: not thread-safe.
     */
    public static final class Builder {
        private final int opcode;
        private boolean fin = true;
        private int rsv;
        private boolean hasKey;
        private int key;
        private Boolean maskedFlag;
        private byte[] payload = new byte[0];
        private LengthEncoding lengthEncoding;
        private Long rawLength;

        private Builder(int opcode) {
            if (opcode < 0 || opcode > 0xF) {
                throw new IllegalArgumentException("opcode " + opcode + " does not fit in 4 bits");
            }
            this.opcode = opcode;
        }

        /** @param fin the FIN bit (default true) @return this builder */
        public Builder fin(boolean fin) {
            this.fin = fin;
            return this;
        }

        /**
         * @param bits the RSV bits 0-7: RSV1 = 4, RSV2 = 2, RSV3 = 1
         * @return this builder
         */
        public Builder rsv(int bits) {
            if (bits < 0 || bits > 7) {
                throw new IllegalArgumentException("rsv bits " + bits + " are not 0-7");
            }
            this.rsv = bits;
            return this;
        }

        /**
         * Masks the payload: sets the MASK bit (unless {@link #maskedFlag} says otherwise), writes the key
         * and XORs the payload with it.
         *
         * @param key the 4 key bytes, big-endian: key byte 0, first on the wire, most significant
         * @return this builder
         */
        public Builder mask(int key) {
            this.hasKey = true;
            this.key = key;
            return this;
        }

        /** No key, no masking, MASK bit clear (unless {@link #maskedFlag} says otherwise). @return this builder */
        public Builder unmasked() {
            this.hasKey = false;
            return this;
        }

        private Builder maskKey(Integer maskKey) {
            return maskKey == null ? unmasked() : mask(maskKey);
        }

        /**
         * Sets the MASK bit regardless of the key, to write a frame that lies about masking: with a key
         * and a clear bit, the key bytes and the masked payload are still written; with the bit set and no
         * key, no key bytes are written, so a reader takes the payload's first 4 bytes as the key.
         *
         * @param masked the MASK bit to write
         * @return this builder
         */
        public Builder maskedFlag(boolean masked) {
            this.maskedFlag = masked;
            return this;
        }

        /** @param payload the payload, copied now @return this builder */
        public Builder payload(byte[] payload) {
            this.payload = payload.clone();
            return this;
        }

        /** @param utf8 the payload as text, encoded as UTF-8 @return this builder */
        public Builder payload(String utf8) {
            this.payload = utf8.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** @param encoding the length field to use, even if a shorter one would do @return this builder */
        public Builder lengthEncoding(LengthEncoding encoding) {
            this.lengthEncoding = encoding;
            return this;
        }

        /**
         * Writes this value as the payload length instead of the real one; any 64-bit value, including one
         * with the high bit set that RFC 6455 5.2 forbids.
         *
         * @param length the length to claim
         * @return this builder
         */
        public Builder rawLength(long length) {
            this.rawLength = length;
            return this;
        }

        /**
         * @return the frame's bytes
         * @throws IllegalArgumentException if the length does not fit the forced length encoding
         */
        public byte[] build() {
            ByteArrayOutputStream out = new ByteArrayOutputStream(14 + payload.length);
            out.write((fin ? 0x80 : 0) | rsv << 4 | opcode);
            int maskBit = (maskedFlag != null ? maskedFlag : hasKey) ? 0x80 : 0;
            long length = rawLength != null ? rawLength : payload.length;
            LengthEncoding encoding = lengthEncoding != null ? lengthEncoding
                    : length >= 0 && length <= 125 ? LengthEncoding.SEVEN
                    : length >= 0 && length <= 0xFFFF ? LengthEncoding.SIXTEEN
                    : LengthEncoding.SIXTY_FOUR;
            switch (encoding) {
                case SEVEN -> {
                    if (length < 0 || length > 127) {
                        throw new IllegalArgumentException("length " + length + " does not fit in 7 bits");
                    }
                    out.write(maskBit | (int) length);
                }
                case SIXTEEN -> {
                    if (length < 0 || length > 0xFFFF) {
                        throw new IllegalArgumentException("length " + length + " does not fit in 16 bits");
                    }
                    out.write(maskBit | 126);
                    out.write((int) (length >>> 8) & 0xFF);
                    out.write((int) length & 0xFF);
                }
                case SIXTY_FOUR -> {
                    out.write(maskBit | 127);
                    for (int shift = 56; shift >= 0; shift -= 8) {
                        out.write((int) (length >>> shift) & 0xFF);
                    }
                }
            }
            byte[] keyBytes = {(byte) (key >>> 24), (byte) (key >>> 16), (byte) (key >>> 8), (byte) key};
            if (hasKey) {
                out.write(keyBytes, 0, 4);
            }
            for (int i = 0; i < payload.length; i++) {
                // RFC 6455 5.3: octet i is XORed with key octet i MOD 4.
                out.write(hasKey ? payload[i] ^ keyBytes[i % 4] : payload[i]);
            }
            return out.toByteArray();
        }
    }
}
