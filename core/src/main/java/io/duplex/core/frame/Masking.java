package io.duplex.core.frame;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Client-to-server masking (RFC 6455 5.3): every payload byte is XORed with one of four key bytes.
 *
 * <p>The key is passed as an int holding the four key bytes big-endian, so that byte 0 of the key (the
 * first on the wire) is the most significant. A payload may arrive in several chunks; a chunk that does
 * not begin at the payload's first byte is unmasked with a mask offset, the index of the key byte for its
 * first byte ({@link #maskOffsetAfter} keeps track of it).
 *
 * <p>Both directions work eight bytes at a time: the key is replicated into a long laid out in the
 * buffer's byte order, so one XOR covers two copies of the key. Only the last few bytes are done singly.
 * Outbound data is masked into a separate target and never on the caller's buffer, which may be shared
 * (a message prepared once and sent to many).
 *
 * <p>Threading: stateless; safe from any thread, on buffers the caller owns.
 */
public final class Masking {

    /** Array longs in native order; the key long is built to match. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private Masking() {
    }

    /**
     * Unmasks (or masks: XOR is its own inverse) bytes in place.
     *
     * @param buffer the buffer, heap or direct, in either byte order; position and limit are not changed
     * @param from absolute index of the first byte
     * @param to absolute index after the last byte, at most the limit
     * @param maskKey the 4 key bytes, big-endian (key byte 0 most significant)
     * @param maskOffset 0-3, the index of the key byte that applies to the byte at {@code from}
     * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= limit}
     * @throws IllegalArgumentException if {@code maskOffset} is not 0-3
     * @throws java.nio.ReadOnlyBufferException if the buffer is read-only and the range not empty
     */
    public static void unmask(ByteBuffer buffer, int from, int to, int maskKey, int maskOffset) {
        Objects.checkFromToIndex(from, to, buffer.limit());
        checkMaskOffset(maskOffset);
        // RFC 6455 5.3: octet i of the payload is XORed with octet (i MOD 4) of the key. Rotating the key
        // makes the byte at `from` use key octet maskOffset, as it continues an earlier chunk.
        int key = Integer.rotateLeft(maskKey, maskOffset << 3);
        if (buffer.hasArray()) {
            int base = buffer.arrayOffset();
            xorArray(buffer.array(), base + from, buffer.array(), base + from, to - from, key);
            return;
        }
        long wideKey = wideKey(key, buffer.order());
        int i = from;
        for (; i <= to - 8; i += 8) {
            buffer.putLong(i, buffer.getLong(i) ^ wideKey);
        }
        // After whole longs (multiples of the key's length) the key starts again at its first byte.
        for (int k = key; i < to; i++, k = Integer.rotateLeft(k, 8)) {
            buffer.put(i, (byte) (buffer.get(i) ^ k >>> 24));
        }
    }

    /**
     * Masks a payload into a target: writes source[position, limit) XOR key at the target's position and
     * advances the target's position. The source is not modified in any way, neither its contents nor its
     * position, so one encoded payload can be masked for many frames.
     *
     * @param source the payload, heap or direct, either byte order
     * @param target where the masked bytes go, heap or direct, either byte order; must not be the source
     *     nor overlap it
     * @param maskKey the 4 key bytes, big-endian (key byte 0 most significant)
     * @throws BufferOverflowException if the target has less room than the source has bytes; then
     *     nothing is written
     * @throws IllegalArgumentException if target is the source
     */
    public static void mask(ByteBuffer source, ByteBuffer target, int maskKey) {
        if (source == target) {
            throw new IllegalArgumentException("mask target is the source; outbound data is never masked in place");
        }
        int length = source.remaining();
        if (target.remaining() < length) {
            throw new BufferOverflowException();
        }
        int s = source.position();
        int t = target.position();
        if (source.hasArray() && target.hasArray()) {
            xorArray(source.array(), source.arrayOffset() + s, target.array(), target.arrayOffset() + t, length,
                    maskKey);
        } else {
            // A long read in the source's order is written in the target's order; when they differ the
            // bytes would land reversed, so the value is reversed once more to keep memory order.
            long wideKey = wideKey(maskKey, source.order());
            boolean swap = source.order() != target.order();
            int i = 0;
            for (; i <= length - 8; i += 8) {
                long masked = source.getLong(s + i) ^ wideKey;
                target.putLong(t + i, swap ? Long.reverseBytes(masked) : masked);
            }
            for (int k = maskKey; i < length; i++, k = Integer.rotateLeft(k, 8)) {
                target.put(t + i, (byte) (source.get(s + i) ^ k >>> 24));
            }
        }
        target.position(t + length);
    }

    /**
     * The mask offset for the byte that follows a chunk, for unmasking a payload chunk by chunk.
     *
     * @param maskOffset 0-3, the mask offset of the chunk's first byte
     * @param bytes the chunk's length
     * @return 0-3, the mask offset of the next chunk's first byte
     */
    public static int maskOffsetAfter(int maskOffset, long bytes) {
        return (int) ((maskOffset + bytes) & 3);
    }

    /** XORs {@code length} bytes from src at s into dst at t; key byte 0 (most significant) goes first. */
    private static void xorArray(byte[] src, int s, byte[] dst, int t, int length, int key) {
        long wideKey = wideKey(key, ByteOrder.nativeOrder());
        int i = 0;
        for (; i <= length - 8; i += 8) {
            LONGS.set(dst, t + i, (long) LONGS.get(src, s + i) ^ wideKey);
        }
        // After whole longs (multiples of the key's length) the key starts again at its first byte.
        for (int k = key; i < length; i++, k = Integer.rotateLeft(k, 8)) {
            dst[t + i] = (byte) (src[s + i] ^ k >>> 24);
        }
    }

    /** The key twice over, as a long whose bytes, stored in {@code order}, are the key bytes in order. */
    private static long wideKey(int key, ByteOrder order) {
        long bigEndian = (long) key << 32 | key & 0xFFFF_FFFFL;
        return order == ByteOrder.BIG_ENDIAN ? bigEndian : Long.reverseBytes(bigEndian);
    }

    private static void checkMaskOffset(int maskOffset) {
        if ((maskOffset & ~3) != 0) {
            throw new IllegalArgumentException("mask offset " + maskOffset + " is not 0-3");
        }
    }
}
