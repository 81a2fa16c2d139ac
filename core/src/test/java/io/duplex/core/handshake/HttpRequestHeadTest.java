package io.duplex.core.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HttpRequestHeadTest {

    private static HttpRequestHead get(String target) {
        return new HttpRequestHead("GET", target, "HTTP/1.1", HttpHeaders.empty());
    }

    @Test
    void pathAndQuerySplitTheTargetAtTheFirstQuestionMark() {
        assertThat(get("/chat?room=1?x").path()).isEqualTo("/chat");
        assertThat(get("/chat?room=1?x").query()).contains("room=1?x");
    }

    @Test
    void emptyQueryDiffersFromNoQuery() {
        assertThat(get("/chat?").query()).contains("");
        assertThat(get("/chat").query()).isEmpty();
        assertThat(get("/chat").path()).isEqualTo("/chat");
    }

    @Test
    void componentsAreRequired() {
        assertThatThrownBy(() -> new HttpRequestHead("GET", null, "HTTP/1.1", HttpHeaders.empty()))
                .isInstanceOf(NullPointerException.class).hasMessage("target");
    }
}
