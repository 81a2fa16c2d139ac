package io.duplex.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The public constructors throw what {@code new WebSocket(url, protocols)} throws in a browser, before any
 * connecting starts (web-platform-tests websockets/Create-* intents; URL cases in WebSocketUrlTest).
 */
class WebSocketConstructorTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "/relative", "ftp://example.com/", "ws://example.com/#fragment", "ws://exa mple.com/",
            "ws://example.com:65536/"})
    void invalidUrlIsASyntaxError(String url) {
        assertThatThrownBy(() -> new WebSocket(url))
                .isInstanceOfSatisfying(DOMException.class, e -> assertThat(e.name()).isEqualTo("SyntaxError"));
    }

    @Test
    void invalidProtocolsAreSyntaxErrors() {
        assertThatThrownBy(() -> new WebSocket("ws://127.0.0.1:1/", "chat", "chat"))
                .isInstanceOfSatisfying(DOMException.class, e -> assertThat(e.name()).isEqualTo("SyntaxError"));
        assertThatThrownBy(() -> new WebSocket("ws://127.0.0.1:1/", "Chat", "cHAT")).isInstanceOf(DOMException.class);
        assertThatThrownBy(() -> new WebSocket("ws://127.0.0.1:1/", "")).isInstanceOf(DOMException.class);
        assertThatThrownBy(() -> new WebSocket("ws://127.0.0.1:1/", "a b")).isInstanceOf(DOMException.class);
        assertThatThrownBy(() -> new WebSocket("ws://127.0.0.1:1/", "\u00E9")).isInstanceOf(DOMException.class);
    }

    @Test
    void builderChecksTheSameWay() {
        assertThatThrownBy(() -> WebSocket.builder("mailto:x@y").connect()).isInstanceOf(DOMException.class);
        assertThatThrownBy(() -> WebSocket.builder("ws://x/").protocols("a", "A").connect()).isInstanceOf(DOMException.class);
    }

    @Test
    void builderRefusesHandshakeHeadersAndBadSettings() {
        assertThatThrownBy(() -> WebSocket.builder("ws://x/").header("Sec-WebSocket-Key", "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebSocket.builder("ws://x/").header("Host", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebSocket.builder("ws://x/").maxBufferedAmount(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebSocket.builder("ws://x/").connectTimeout(java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constantsMatchTheIdl() {
        assertThat(WebSocket.CONNECTING).isZero();
        assertThat(WebSocket.OPEN).isEqualTo(1);
        assertThat(WebSocket.CLOSING).isEqualTo(2);
        assertThat(WebSocket.CLOSED).isEqualTo(3);
        assertThat(BinaryType.BLOB.webName()).isEqualTo("blob");
        assertThat(BinaryType.ARRAYBUFFER.webName()).isEqualTo("arraybuffer");
    }
}
