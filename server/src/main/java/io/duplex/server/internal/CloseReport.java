package io.duplex.server.internal;

import io.duplex.core.CloseStatus;
import io.duplex.core.Event;
import io.duplex.core.ProtocolException;
import io.duplex.server.CloseCause;
import io.duplex.server.CloseInfo;
import io.duplex.transport.Timeout;

/**
 * The one mapping from how a socket ended to the {@link CloseInfo} its handler is told, in order of
 * precedence:
 * <pre>
 *   terminate() was called                          TERMINATED      (1006, unclean)
 *   the peer broke the protocol                     PROTOCOL_ERROR  (the code sent: 1002, 1007, 1009, ...),
 *                                                   or INTERNAL_ERROR when the core failed with 1011
 *   the close timer fired before the peer answered  TIMEOUT         (1006, unclean)
 *   we closed for a reason (timeout, backpressure,  that reason     (our code if the handshake completed)
 *     stop, handler failure)
 *   the closing handshake completed                 CLEAN
 *   anything else (EOF, reset)                      PEER_WENT_AWAY  (1006)
 * </pre>
 * The status is ours for a close we started and that completed (the peer's echo may carry another code),
 * otherwise what the core reports.
 * <p>An instance gathers those facts as they happen, with the close timer. A socket creates it when its end
 * begins (a close we start, a protocol failure, terminate(), the close timer), so an open socket holds none.
 *
 * <p>Threading: an instance is confined to its socket's loop; {@link #of} is stateless.
 */
final class CloseReport {

    /** Whether terminate() ended the socket. */
    boolean terminated;
    /** Whether the close timer fired before the peer's close frame arrived. */
    boolean closeTimedOut;
    /** The protocol failure, or null. */
    ProtocolException failure;
    /** Why we started the closing handshake, or null if we did not. */
    CloseCause localCause;
    /** The status we sent when we started it, or null. */
    CloseStatus sentStatus;
    /** The close timer, once armed. */
    Timeout closeTimer;

    /** The report of a socket whose end had nothing to gather (the peer closed, or the connection dropped). */
    static CloseInfo of(Event.Closed closed) {
        return of(closed, false, null, false, null, null);
    }

    /** The report for these facts. */
    CloseInfo toInfo(Event.Closed closed) {
        return of(closed, terminated, failure, closeTimedOut, localCause, sentStatus);
    }

    /**
     * @param closed the core's final event
     * @param terminated whether terminate() ended the socket
     * @param failure the protocol failure, or null
     * @param closeTimedOut whether the close timer fired before the peer's close frame arrived
     * @param localCause why we started the closing handshake, or null if we did not
     * @param sentStatus the status we sent when we started it, or null
     */
    static CloseInfo of(Event.Closed closed, boolean terminated, ProtocolException failure, boolean closeTimedOut,
                        CloseCause localCause, CloseStatus sentStatus) {
        boolean clean = closed.wasClean();
        CloseCause cause;
        if (terminated) {
            cause = CloseCause.TERMINATED;
        } else if (failure != null) {
            cause = failure.closeCode() == CloseStatus.INTERNAL_ERROR ? CloseCause.INTERNAL_ERROR : CloseCause.PROTOCOL_ERROR;
        } else if (closeTimedOut) {
            cause = CloseCause.TIMEOUT;
        } else if (localCause != null && localCause != CloseCause.CLEAN) {
            cause = localCause;
        } else {
            cause = clean ? CloseCause.CLEAN : CloseCause.PEER_WENT_AWAY;
        }
        CloseStatus status = clean && sentStatus != null ? sentStatus : closed.status();
        return new CloseInfo(status, cause, clean);
    }
}
