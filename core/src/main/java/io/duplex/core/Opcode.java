package io.duplex.core;

/**
 * The frame opcodes RFC 6455 5.2 defines. Opcodes 0x3-0x7 and 0xB-0xF are reserved and have no constant:
 * {@link #of(int)} answers null for them, and the connection fails with 1002 (RFC 6455 5.2).
 *
 * <p>Threading: immutable.
 */
public enum Opcode {
    /** 0x0: a continuation frame of a fragmented message. */
    CONTINUATION(0x0),
    /** 0x1: the first frame of a text message (UTF-8). */
    TEXT(0x1),
    /** 0x2: the first frame of a binary message. */
    BINARY(0x2),
    /** 0x8: a close frame. */
    CLOSE(0x8),
    /** 0x9: a ping frame. */
    PING(0x9),
    /** 0xA: a pong frame. */
    PONG(0xA);

    private static final Opcode[] BY_CODE = new Opcode[16];

    static {
        for (Opcode opcode : values()) {
            BY_CODE[opcode.code] = opcode;
        }
    }

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    /** @return the 4-bit code on the wire */
    public int code() {
        return code;
    }

    /**
     * RFC 6455 5.5: control frames have opcodes with the high bit set.
     *
     * @return true for close, ping, pong
     */
    public boolean isControl() {
        return code >= 0x8;
    }

    /**
     * The opcode for a 4-bit code.
     *
     * @param code 0-15
     * @return the opcode, or null for a reserved code
     */
    public static Opcode of(int code) {
        return BY_CODE[code & 0xF];
    }
}
