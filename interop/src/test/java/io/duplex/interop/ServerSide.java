package io.duplex.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.server.CloseCause;
import io.duplex.server.CloseInfo;

/**
 * Checks of how the Duplex server saw a client's socket end, shared by the client test classes.
 *
 * <p>Threading: stateless.
 */
final class ServerSide {

    private ServerSide() {}

    /** The closing handshake completed with {@code code} and {@code reason} (as the server recorded it). */
    static void assertClosedCleanly(CloseInfo close, int code, String reason, String clientOutput) {
        assertThat(close.status().code()).as("close code the server recorded; client said: %s", clientOutput).isEqualTo(code);
        assertThat(close.status().reason()).as("close reason the server recorded").isEqualTo(reason);
        assertThat(close.cause()).as("close cause the server recorded for %s", close).isEqualTo(CloseCause.CLEAN);
        assertThat(close.wasClean()).as("closing handshake completed (%s)", close).isTrue();
    }

    /** The server failed the connection with {@code code} because of what the peer sent. */
    static void assertFailedWith(CloseInfo close, int code, String clientOutput) {
        assertThat(close.status().code()).as("close code the server sent; client said: %s", clientOutput).isEqualTo(code);
        assertThat(close.cause()).as("close cause the server recorded for %s", close).isEqualTo(CloseCause.PROTOCOL_ERROR);
    }
}
