package io.duplex.transport.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The buffers a connection has queued for its socket, oldest first, with their byte count. A connection
 * holds one only while output is pending and hands it back to its loop once drained (the loop keeps a few
 * for reuse, so a busy connection's output makes no garbage here), so an idle connection costs nothing
 * here; the deque behind the first buffer is allocated only when a second buffer is queued.
 *
 * <p>Threading: not thread-safe; confined to the connection's loop thread.
 */
final class WriteQueue {

    /** The deepest a queue may have been and still be kept for reuse once drained. */
    static final int REUSABLE_DEPTH = 64;

    private ByteBuffer head;
    private ArrayDeque<ByteBuffer> rest;
    /** Whether rest ever held more than {@link #REUSABLE_DEPTH} buffers: its array grew, so not worth keeping. */
    private boolean grewDeep;
    private long bytes;
    /** Byte count of the buffers handed out by the last {@link #fill} or {@link #copyHeapPrefix}. */
    long lastOffered;

    /** Appends {@code buffer} (position to limit); an empty buffer is dropped. */
    void add(ByteBuffer buffer) {
        int n = buffer.remaining();
        if (n == 0) {
            return;
        }
        bytes += n;
        if (head == null) {
            head = buffer;
        } else {
            if (rest == null) {
                rest = new ArrayDeque<>(8);
            }
            rest.addLast(buffer);
            grewDeep |= rest.size() > REUSABLE_DEPTH;
        }
    }

    /** Drained, and never deep enough to keep a large array alive in its loop's spares. */
    boolean reusable() {
        return head == null && !grewDeep;
    }

    boolean isEmpty() {
        return head == null;
    }

    /** Bytes queued and not yet written. */
    long bytes() {
        return bytes;
    }

    /** The oldest buffer, or null. */
    ByteBuffer first() {
        return head;
    }

    /**
     * Puts up to {@code into.length} buffers, oldest first, into {@code into}; returns how many and leaves
     * their byte count in {@link #lastOffered}.
     */
    int fill(ByteBuffer[] into) {
        if (head == null) {
            return 0;
        }
        into[0] = head;
        long offered = head.remaining();
        int n = 1;
        if (rest != null) {
            for (ByteBuffer b : rest) {
                if (n == into.length) {
                    break;
                }
                into[n++] = b;
                offered += b.remaining();
            }
        }
        lastOffered = offered;
        return n;
    }

    /**
     * Copies the queued bytes into {@code staging}, oldest first, up to the first buffer without an
     * accessible array or until {@code staging} is full, without moving any position (the socket may take
     * fewer bytes; {@link #consume} then advances exactly that many). Returns the bytes copied.
     */
    int copyHeapPrefix(ByteBuffer staging) {
        int copied = 0;
        ByteBuffer b = head;
        var it = rest == null ? null : rest.iterator();
        while (b != null && b.hasArray() && staging.hasRemaining()) {
            int n = Math.min(b.remaining(), staging.remaining());
            staging.put(b.array(), b.arrayOffset() + b.position(), n);
            copied += n;
            b = it != null && it.hasNext() ? it.next() : null;
        }
        lastOffered = copied;
        return copied;
    }

    /** Advances past {@code n} bytes that were written from a copy, dropping buffers that are done. */
    void consume(long n) {
        bytes -= n;
        while (n > 0) {
            int k = (int) Math.min(n, head.remaining());
            head.position(head.position() + k);
            n -= k;
            if (!head.hasRemaining()) {
                next();
            }
        }
    }

    /** Accounts for {@code n} bytes that the channel wrote (positions already moved); drops finished buffers. */
    void written(long n) {
        bytes -= n;
        while (head != null && !head.hasRemaining()) {
            next();
        }
    }

    /** Removes and returns every queued buffer, oldest first. */
    ByteBuffer[] takeAll() {
        ByteBuffer[] all;
        if (head == null) {
            all = new ByteBuffer[0];
        } else {
            all = new ByteBuffer[1 + (rest == null ? 0 : rest.size())];
            all[0] = head;
            int i = 1;
            if (rest != null) {
                for (ByteBuffer b : rest) {
                    all[i++] = b;
                }
            }
        }
        clear();
        return all;
    }

    /** Drops everything queued. */
    void clear() {
        head = null;
        rest = null;
        bytes = 0;
    }

    private void next() {
        head = rest == null ? null : rest.pollFirst();
    }
}
