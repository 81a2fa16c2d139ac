package io.duplex.server;

import io.duplex.core.CloseStatus;
import java.util.Objects;

/**
 * How a server-side WebSocket ended.
 *
 * @param status the close status: the peer's for a close it started, ours for one we started; 1005 for a
 *     close frame without a code, 1006 when no closing handshake completed
 * @param cause why
 * @param wasClean whether the closing handshake completed (RFC 6455 7.1.4's "cleanly")
 *
 * Threading: immutable.
 */
public record CloseInfo(CloseStatus status, CloseCause cause, boolean wasClean) {

    /** Checks the values. */
    public CloseInfo {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(cause, "cause");
    }
}
