package io.duplex.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Incremental UTF-8 validation (RFC 3629 4), for text messages and close reasons (RFC 6455 8.1).
 *
 * <p>A text message may arrive in many frames and each frame in many chunks, and a code point may be split
 * anywhere between them, so the validator keeps the state of a partly received code point across
 * {@link #feed} calls. RFC 6455 8.1 lets an endpoint fail the connection as soon as the data cannot become
 * valid, and this class does: {@link #feed} answers false at the first byte that no valid continuation
 * could follow ({@code ED A0} fails at {@code A0}, a surrogate; {@code E0 80} at {@code 80}, an overlong
 * form), and {@link #validBytes()} then tells where that byte is. At the end of a message
 * {@link #isComplete()} must hold, or the message stops inside a code point.
 *
 * <p>How it is fast: runs of ASCII are skipped 16 bytes at a time with two long reads. A multi-byte
 * sequence that lies wholly inside the chunk is checked with one table lookup on its lead byte (its length
 * and the range allowed for its second byte) and masks on the remaining bytes. Everything else (a sequence
 * split at the chunk's end or one of the last chunk, and any invalid sequence) goes through a byte-at-a-time
 * automaton, which is the authority: it knows where exactly a sequence fails and which state to carry.
 * Both tables are derived from RFC 3629's table of well-formed byte sequences below, in one place.
 *
 * <p>Threading: not thread-safe; an instance is confined to its connection's owner thread. The static
 * methods are safe from any thread.
 */
public final class Utf8Validator {

    /** The automaton's dead state: zero, so that every byte the table does not list is rejected. */
    private static final int REJECT = 0;
    /** Between code points: nothing partly received. */
    private static final int ACCEPT = 1;
    /** One, two or three continuation bytes in 80-BF still expected. */
    private static final int TAIL1 = 2;
    private static final int TAIL2 = 3;
    private static final int TAIL3 = 4;
    /** After a lead byte whose second byte has a narrower range than 80-BF. */
    private static final int AFTER_E0 = 5;
    private static final int AFTER_ED = 6;
    private static final int AFTER_F0 = 7;
    private static final int AFTER_F4 = 8;
    private static final int STATES = 9;

    /** Next state for (state, byte), indexed by {@code state << 8 | byte}. */
    private static final byte[] STEP = new byte[STATES << 8];

    /**
     * For each lead byte of a multi-byte sequence: the sequence length (bits 0-2, zero for a byte that
     * cannot lead), the lowest (bits 8-15) and highest (bits 16-23) second byte allowed.
     */
    private static final int[] LEAD = new int[256];

    /** The high bit of every byte of a long: zero for eight ASCII bytes. */
    private static final long NON_ASCII = 0x8080_8080_8080_8080L;

    /** Native order: only the bit pattern matters, as {@link #NON_ASCII} is the same in either order. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    static {
        // RFC 3629 4: the well-formed byte sequences, one edge per range of the ABNF:
        //   UTF8-1 = %x00-7F
        edge(ACCEPT, 0x00, 0x7F, ACCEPT);
        //   UTF8-2 = %xC2-DF UTF8-tail        (C0 and C1 could only start overlong forms of U+0000-007F)
        edge(ACCEPT, 0xC2, 0xDF, TAIL1);
        //   UTF8-3 = %xE0 %xA0-BF UTF8-tail   (E0 80-9F would be overlong forms of U+0000-07FF)
        edge(ACCEPT, 0xE0, 0xE0, AFTER_E0);
        edge(AFTER_E0, 0xA0, 0xBF, TAIL1);
        //          / %xE1-EC 2( UTF8-tail )
        edge(ACCEPT, 0xE1, 0xEC, TAIL2);
        //          / %xED %x80-9F UTF8-tail   (ED A0-BF would be the surrogates U+D800-DFFF)
        edge(ACCEPT, 0xED, 0xED, AFTER_ED);
        edge(AFTER_ED, 0x80, 0x9F, TAIL1);
        //          / %xEE-EF 2( UTF8-tail )
        edge(ACCEPT, 0xEE, 0xEF, TAIL2);
        //   UTF8-4 = %xF0 %x90-BF 2( UTF8-tail )  (F0 80-8F would be overlong forms of U+0000-FFFF)
        edge(ACCEPT, 0xF0, 0xF0, AFTER_F0);
        edge(AFTER_F0, 0x90, 0xBF, TAIL2);
        //          / %xF1-F3 3( UTF8-tail )
        edge(ACCEPT, 0xF1, 0xF3, TAIL3);
        //          / %xF4 %x80-8F 2( UTF8-tail )  (F4 90-BF and F5-FF would be above U+10FFFF)
        edge(ACCEPT, 0xF4, 0xF4, AFTER_F4);
        edge(AFTER_F4, 0x80, 0x8F, TAIL2);
        //   UTF8-tail = %x80-BF
        edge(TAIL3, 0x80, 0xBF, TAIL2);
        edge(TAIL2, 0x80, 0xBF, TAIL1);
        edge(TAIL1, 0x80, 0xBF, ACCEPT);

        // The fast path's lead table is read off the automaton, so the RFC's table has this one home.
        for (int lead = 0x80; lead <= 0xFF; lead++) {
            int second = STEP[ACCEPT << 8 | lead];
            if (second == REJECT) {
                continue; // LEAD stays 0: this byte cannot start a sequence
            }
            int lo = 0x80;
            while (STEP[second << 8 | lo] == REJECT) {
                lo++;
            }
            int hi = 0xBF;
            while (STEP[second << 8 | hi] == REJECT) {
                hi--;
            }
            int length = 1;
            for (int state = second; state != ACCEPT; state = STEP[state << 8 | 0xBF] == REJECT
                    ? STEP[state << 8 | 0x80] : STEP[state << 8 | 0xBF]) {
                length++;
            }
            if (length == 2 && (lo != 0x80 || hi != 0xBF)) {
                // The fast path checks a 2-byte sequence's second byte as a plain UTF8-tail.
                throw new AssertionError("2-byte lead " + Integer.toHexString(lead) + " has a narrowed range");
            }
            LEAD[lead] = length | lo << 8 | hi << 16;
        }
    }

    private static void edge(int from, int firstByte, int lastByte, int to) {
        for (int b = firstByte; b <= lastByte; b++) {
            STEP[from << 8 | b] = (byte) to;
        }
    }

    private int state = ACCEPT;
    private long validBytes;

    /** Creates a validator at the start of a message. */
    public Utf8Validator() {
    }

    /**
     * Validates the next chunk of a message: the bytes from the buffer's position to its limit. The
     * buffer's position, limit and contents are not changed.
     *
     * @param chunk the next bytes, heap or direct
     * @return false if these bytes (or earlier ones) cannot be part of valid UTF-8
     */
    public boolean feed(ByteBuffer chunk) {
        if (state == REJECT) {
            return false;
        }
        int from = chunk.position();
        int to = chunk.limit();
        int result;
        int base;
        if (chunk.hasArray()) {
            base = chunk.arrayOffset();
            result = scan(chunk.array(), base + from, base + to, state);
        } else {
            base = 0;
            result = scan(chunk, from, to, state);
        }
        return settle(result, base + from, to - from);
    }

    /**
     * Validates the next chunk of a message, given as part of an array.
     *
     * @param bytes the array
     * @param offset index of the chunk's first byte
     * @param length number of bytes in the chunk
     * @return false if these bytes (or earlier ones) cannot be part of valid UTF-8
     * @throws IndexOutOfBoundsException if the range is not inside the array
     */
    public boolean feed(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (state == REJECT) {
            return false;
        }
        return settle(scan(bytes, offset, offset + length, state), offset, length);
    }

    /** Records the outcome of a scan over {@code length} bytes starting at index {@code start}. */
    private boolean settle(int result, int start, int length) {
        if (result < 0) {
            validBytes += ~result - start;
            state = REJECT;
            return false;
        }
        validBytes += length;
        state = result;
        return true;
    }

    /**
     * Whether the bytes fed so far end between code points. A message is valid only if this holds at its
     * end (RFC 6455 8.1); false means it stops inside a sequence, or failed.
     *
     * @return true when nothing is partly received and nothing failed
     */
    public boolean isComplete() {
        return state == ACCEPT;
    }

    /** @return true once a byte was fed that cannot be valid UTF-8, until {@link #reset()} */
    public boolean hasFailed() {
        return state == REJECT;
    }

    /**
     * The bytes accepted since the last reset. Once failed, this is the offset of the first invalid byte
     * within the message, for messages such as "invalid UTF-8 at byte 17".
     *
     * @return the count of bytes accepted
     */
    public long validBytes() {
        return validBytes;
    }

    /** Forgets everything fed, ready for the next message. */
    public void reset() {
        state = ACCEPT;
        validBytes = 0;
    }

    /**
     * Whether a buffer holds complete, valid UTF-8, from its position to its limit; the buffer is not
     * changed.
     *
     * @param whole the bytes, heap or direct
     * @return true if valid and not ending inside a code point
     */
    public static boolean isValid(ByteBuffer whole) {
        int from = whole.position();
        int to = whole.limit();
        if (whole.hasArray()) {
            int base = whole.arrayOffset();
            return scan(whole.array(), base + from, base + to, ACCEPT) == ACCEPT;
        }
        return scan(whole, from, to, ACCEPT) == ACCEPT;
    }

    /**
     * Whether part of an array is complete, valid UTF-8.
     *
     * @param bytes the array
     * @param offset index of the first byte
     * @param length number of bytes
     * @return true if valid and not ending inside a code point
     * @throws IndexOutOfBoundsException if the range is not inside the array
     */
    public static boolean isValid(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        return scan(bytes, offset, offset + length, ACCEPT) == ACCEPT;
    }

    /**
     * Runs the bytes at [i, end) from a state.
     *
     * @return the state after the last byte, or {@code ~index} of the first invalid byte (negative)
     */
    private static int scan(byte[] a, int i, int end, int state) {
        // Finish a code point begun in an earlier chunk.
        while (state != ACCEPT) {
            if (i == end) {
                return state;
            }
            state = STEP[state << 8 | a[i] & 0xFF];
            if (state == REJECT) {
                return ~i;
            }
            i++;
        }
        while (i < end) {
            int b0 = a[i];
            if (b0 >= 0) {
                i++;
                while (i <= end - 16) {
                    if ((((long) LONGS.get(a, i) | (long) LONGS.get(a, i + 8)) & NON_ASCII) != 0) {
                        break;
                    }
                    i += 16;
                }
                continue;
            }
            int lead = LEAD[b0 & 0xFF];
            int length = lead & 7;
            if (length > end - i) {
                break;
            }
            // Each length advances i by a constant in its own branch: the next index is then a prediction
            // the CPU runs ahead with, not a value it must wait for from the table load.
            if (length == 2) {
                if (a[i + 1] > (byte) 0xBF) { // signed: 80-BF are the bytes up to -65
                    break;
                }
                i += 2;
            } else if (length == 3) {
                int b1 = a[i + 1] & 0xFF;
                if (b1 < (lead >>> 8 & 0xFF) || b1 > lead >>> 16 || a[i + 2] > (byte) 0xBF) {
                    break;
                }
                i += 3;
            } else if (length == 4) {
                int b1 = a[i + 1] & 0xFF;
                if (b1 < (lead >>> 8 & 0xFF) || b1 > lead >>> 16 || a[i + 2] > (byte) 0xBF
                        || a[i + 3] > (byte) 0xBF) {
                    break;
                }
                i += 4;
            } else {
                break; // cannot lead a sequence
            }
        }
        // An invalid sequence or one cut by the chunk's end: the automaton finds the failing byte or the
        // state to carry into the next chunk.
        for (; i < end; i++) {
            state = STEP[state << 8 | a[i] & 0xFF];
            if (state == REJECT) {
                return ~i;
            }
        }
        return state;
    }

    /** {@link #scan(byte[], int, int, int)} for buffers without an accessible array (direct, read-only). */
    private static int scan(ByteBuffer b, int i, int end, int state) {
        while (state != ACCEPT) {
            if (i == end) {
                return state;
            }
            state = STEP[state << 8 | b.get(i) & 0xFF];
            if (state == REJECT) {
                return ~i;
            }
            i++;
        }
        while (i < end) {
            int b0 = b.get(i);
            if (b0 >= 0) {
                i++;
                while (i <= end - 16) {
                    if (((b.getLong(i) | b.getLong(i + 8)) & NON_ASCII) != 0) {
                        break;
                    }
                    i += 16;
                }
                continue;
            }
            int lead = LEAD[b0 & 0xFF];
            int length = lead & 7;
            if (length > end - i) {
                break;
            }
            if (length == 2) {
                if (b.get(i + 1) > (byte) 0xBF) {
                    break;
                }
                i += 2;
            } else if (length == 3) {
                int b1 = b.get(i + 1) & 0xFF;
                if (b1 < (lead >>> 8 & 0xFF) || b1 > lead >>> 16 || b.get(i + 2) > (byte) 0xBF) {
                    break;
                }
                i += 3;
            } else if (length == 4) {
                int b1 = b.get(i + 1) & 0xFF;
                if (b1 < (lead >>> 8 & 0xFF) || b1 > lead >>> 16 || b.get(i + 2) > (byte) 0xBF
                        || b.get(i + 3) > (byte) 0xBF) {
                    break;
                }
                i += 4;
            } else {
                break;
            }
        }
        for (; i < end; i++) {
            state = STEP[state << 8 | b.get(i) & 0xFF];
            if (state == REJECT) {
                return ~i;
            }
        }
        return state;
    }
}
