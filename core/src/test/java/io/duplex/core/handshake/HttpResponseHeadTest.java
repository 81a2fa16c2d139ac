package io.duplex.core.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HttpResponseHeadTest {

    @Test
    void holdsStatusLineAndHeaders() {
        HttpResponseHead head = new HttpResponseHead("HTTP/1.1", 101, "Switching Protocols",
                HttpHeaders.of("Upgrade", "websocket"));

        assertThat(head.status()).isEqualTo(101);
        assertThat(head.headers().first("upgrade")).contains("websocket");
    }

    @Test
    void statusMustHaveThreeDigits() {
        assertThatThrownBy(() -> new HttpResponseHead("HTTP/1.1", 99, "", HttpHeaders.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("HTTP status 99 does not have three digits");
        assertThatThrownBy(() -> new HttpResponseHead("HTTP/1.1", 1000, "", HttpHeaders.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
