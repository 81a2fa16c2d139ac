package io.duplex.client;

import java.util.Objects;
import java.util.Optional;

/**
 * The WebSockets Standard's {@code CloseEvent}, fired once, last, when the connection is closed.
 *
 * <p>{@link #code()} is the close code the server sent, 1005 if its close frame had none, and 1006 when
 * no close frame arrived or the connection failed; never 1015 (the standard hides TLS failures behind
 * 1006). A Java addition, {@link #detail()} and {@link #cause()}, say why an abnormal close happened
 * (connection refused, handshake rejected with status N, timeout, TLS failure, EOF without a close frame).
 *
 * <p>Threading: immutable.
 */
public final class CloseEvent extends Event {

    private final boolean wasClean;
    private final int code;
    private final String reason;
    private final String detail;
    private final Throwable cause;

    /**
     * Creates a close event.
     *
     * @param type the event type, normally "close"
     * @param wasClean whether the closing handshake completed (RFC 6455 7.1.4)
     * @param code the close code
     * @param reason the peer's close reason, or ""
     */
    public CloseEvent(String type, boolean wasClean, int code, String reason) {
        this(type, wasClean, code, reason, "", null);
    }

    /**
     * Creates a close event with a diagnosis.
     *
     * @param type the event type, normally "close"
     * @param wasClean whether the closing handshake completed (RFC 6455 7.1.4)
     * @param code the close code
     * @param reason the peer's close reason, or ""
     * @param detail why the connection closed, for people; "" if it closed cleanly
     * @param cause the exception behind an abnormal close, or null
     */
    public CloseEvent(String type, boolean wasClean, int code, String reason, String detail, Throwable cause) {
        super(type);
        this.wasClean = wasClean;
        this.code = code;
        this.reason = Objects.requireNonNull(reason, "reason");
        this.detail = Objects.requireNonNull(detail, "detail");
        this.cause = cause;
    }

    /** @return whether the connection closed cleanly: both close frames exchanged, then TCP closed */
    public boolean wasClean() {
        return wasClean;
    }

    /** @return the close code: the server's, 1005 for none, or 1006 for an abnormal close */
    public int code() {
        return code;
    }

    /** @return the server's close reason, or "" */
    public String reason() {
        return reason;
    }

    /**
     * A Java addition: why the connection closed, for logs and people, e.g. "connection refused",
     * "handshake rejected: server answered 403 Forbidden instead of 101". Not part of the standard.
     *
     * @return the diagnosis, or "" for a clean close
     */
    public String detail() {
        return detail;
    }

    /**
     * A Java addition: the exception behind an abnormal close, if any.
     *
     * @return the cause, or empty
     */
    public Optional<Throwable> cause() {
        return Optional.ofNullable(cause);
    }

    @Override
    public String toString() {
        return "CloseEvent[code=" + code + ", reason=\"" + reason + "\", wasClean=" + wasClean
                + (detail.isEmpty() ? "" : ", detail=\"" + detail + "\"") + "]";
    }
}
