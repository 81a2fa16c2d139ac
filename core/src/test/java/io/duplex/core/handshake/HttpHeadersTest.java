package io.duplex.core.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpHeadersTest {

    private final HttpHeaders headers = HttpHeaders.of(
            "Connection", "keep-alive, Upgrade",
            "X-Multi", "a",
            "Sec-WebSocket-Protocol", " chat ,, superchat",
            "x-multi", "b",
            "Sec-WebSocket-Protocol", "v2");

    @Test
    void namesAreMatchedCaseInsensitively() {
        assertThat(headers.first("CONNECTION")).contains("keep-alive, Upgrade");
        assertThat(headers.all("X-MULTI")).containsExactly("a", "b");
        assertThat(headers.contains("x-multi")).isTrue();
        assertThat(headers.first("Missing")).isEmpty();
        assertThat(headers.all("Missing")).isEmpty();
    }

    @Test
    void tokensJoinListElementsAcrossLinesDroppingEmptyOnes() {
        assertThat(headers.tokens("sec-websocket-protocol")).containsExactly("chat", "superchat", "v2");
        assertThat(headers.tokens("Missing")).isEmpty();
    }

    @Test
    void containsTokenIgnoresCase() {
        assertThat(headers.containsToken("connection", "upgrade")).isTrue();
        assertThat(headers.containsToken("connection", "KEEP-ALIVE")).isTrue();
        assertThat(headers.containsToken("connection", "close")).isFalse();
        assertThat(headers.containsToken("connection", "keep")).as("whole elements only").isFalse();
    }

    @Test
    void iterationKeepsOrderAndCase() {
        List<HttpHeaders.Field> fields = new ArrayList<>();
        headers.forEach(fields::add);

        assertThat(headers.size()).isEqualTo(5);
        assertThat(fields).isEqualTo(headers.fields());
        assertThat(fields.get(3)).isEqualTo(new HttpHeaders.Field("x-multi", "b"));
    }

    @Test
    void headersRejectCrOrLfInValuesSoHeadsCannotBeSplit() {
        assertThatThrownBy(() -> HttpHeaders.of("X", "a\r\nSet-Cookie: evil=1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("value of header X holds character 0x0D at position 1");
        assertThatThrownBy(() -> HttpHeaders.of("X", "a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpHeaders.of("X", "\u0100")).isInstanceOf(IllegalArgumentException.class);
        assertThat(HttpHeaders.of("X", "tab\tand caf\u00e9").first("X")).contains("tab\tand caf\u00e9");
    }

    @Test
    void headersRejectNamesThatAreNotTokens() {
        assertThatThrownBy(() -> HttpHeaders.of("Bad Name", "a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("header name \"Bad Name\" is not a token");
        assertThatThrownBy(() -> HttpHeaders.of("X:", "a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpHeaders.of("", "a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpHeaders.of("X")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builderAppendsAndEqualityFollowsFields() {
        HttpHeaders built = HttpHeaders.builder().add("A", "1").addAll(HttpHeaders.of("B", "2")).build();

        assertThat(built).isEqualTo(HttpHeaders.of("A", "1", "B", "2"));
        assertThat(built.hashCode()).isEqualTo(HttpHeaders.of("A", "1", "B", "2").hashCode());
        assertThat(built).isNotEqualTo(HttpHeaders.of("B", "2", "A", "1"));
        assertThat(built.toString()).isEqualTo("{A: 1, B: 2}");
        assertThat(HttpHeaders.builder().build()).isSameAs(HttpHeaders.empty());
    }

    @Test
    void countCountsEveryLineOfANameInAnyCase() {
        assertThat(headers.count("X-MULTI")).isEqualTo(2);
        assertThat(headers.count("connection")).isEqualTo(1);
        assertThat(headers.count("Missing")).isZero();
    }

    @Test
    void containsTokenTrimsElementsAndMatchesOnlyWholeTokens() {
        HttpHeaders h = HttpHeaders.of("Upgrade", " h2c ,\t WebSocket\t", "Connection", "upgraded, xupgrade");

        assertThat(h.containsToken("upgrade", "websocket")).isTrue();
        assertThat(h.containsToken("upgrade", "h2c")).isTrue();
        assertThat(h.containsToken("upgrade", "h2")).isFalse();
        assertThat(h.containsToken("connection", "upgrade")).isFalse();
        assertThat(HttpHeaders.of("Connection", "").containsToken("Connection", "")).isFalse();
    }

    @Test
    void builderGoingOnAfterBuildDoesNotChangeWhatItBuilt() {
        HttpHeaders.Builder builder = HttpHeaders.builder().add("A", "1");
        HttpHeaders first = builder.build();
        HttpHeaders second = builder.add("B", "2").build();
        builder.add("C", "3");

        assertThat(first).isEqualTo(HttpHeaders.of("A", "1"));
        assertThat(second).isEqualTo(HttpHeaders.of("A", "1", "B", "2"));
        assertThat(first.fields()).hasSize(1);
        assertThat(second.size()).isEqualTo(2);
    }

    @Test
    void builderGrowsPastItsFirstArray() {
        HttpHeaders.Builder builder = HttpHeaders.builder();
        for (int i = 0; i < 40; i++) {
            builder.add("H" + i, Integer.toString(i));
        }
        HttpHeaders built = builder.build();

        assertThat(built.size()).isEqualTo(40);
        assertThat(built.first("h39")).contains("39");
        assertThat(built.all("h0")).containsExactly("0");
        List<String> names = new ArrayList<>();
        built.forEach(field -> names.add(field.name()));
        assertThat(names).hasSize(40).startsWith("H0", "H1").endsWith("H39");
    }

    @Test
    void fieldsListCannotChangeTheHeaders() {
        assertThatThrownBy(() -> headers.fields().add(new HttpHeaders.Field("A", "1")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(headers.size()).isEqualTo(5);
    }
}
