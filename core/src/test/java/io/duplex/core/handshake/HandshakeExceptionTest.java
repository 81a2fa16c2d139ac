package io.duplex.core.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HandshakeExceptionTest {

    @Test
    void carriesStatusHeadersAndMessage() {
        HandshakeException e = new HandshakeException(426, HttpHeaders.of("Sec-WebSocket-Version", "13"), "why");

        assertThat(e.status()).isEqualTo(426);
        assertThat(e.responseHeaders().first("sec-websocket-version")).contains("13");
        assertThat(e).hasMessage("why");
        assertThat(new HandshakeException(400, "x").responseHeaders()).isEqualTo(HttpHeaders.empty());
    }

    @Test
    void statusZeroMeansNoneReceivedAndOthersMustBeHttpStatuses() {
        assertThat(new HandshakeException(0, "no status line").status()).isZero();
        assertThatThrownBy(() -> new HandshakeException(99, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HandshakeException(600, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("HTTP status 600 is outside 100-599");
    }

    @Test
    void hasNoStackTraceSincePeersCauseIt() {
        assertThat(new HandshakeException(400, "x").getStackTrace()).isEmpty();
    }
}
