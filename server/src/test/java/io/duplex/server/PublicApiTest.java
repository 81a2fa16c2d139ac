package io.duplex.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duplex.core.handshake.HttpHeaders;
import io.duplex.core.handshake.HttpRequestHead;
import io.duplex.server.internal.RequestView;
import io.duplex.testkit.Hex;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The public value types and builders: defaults, checks and error messages. */
class PublicApiTest {

    private static String hex(ByteBuffer frame) {
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        return Hex.format(bytes).replace(" ", "");
    }

    private static HttpRequest request(boolean secure, String... headers) {
        return new RequestView(new HttpRequestHead("GET", "/", "HTTP/1.1", HttpHeaders.of(headers)), List.of(),
                new InetSocketAddress("127.0.0.1", 1), secure);
    }

    @Test
    void rfc6454_sameOriginComparesSchemeHostAndPortWithDefaults() {
        OriginPolicy same = OriginPolicy.sameOrigin();
        assertThat(same.allows(request(false))).as("no Origin: not a browser").isTrue();
        assertThat(same.allows(request(false, "Host", "example.com", "Origin", "http://example.com"))).isTrue();
        assertThat(same.allows(request(false, "Host", "example.com:80", "Origin", "http://EXAMPLE.com"))).isTrue();
        assertThat(same.allows(request(false, "Host", "example.com:8080", "Origin", "http://example.com:8080"))).isTrue();
        assertThat(same.allows(request(false, "Host", "example.com:8080", "Origin", "http://example.com"))).isFalse();
        assertThat(same.allows(request(false, "Host", "example.com", "Origin", "https://example.com"))).isFalse();
        assertThat(same.allows(request(true, "Host", "example.com", "Origin", "https://example.com:443"))).isTrue();
        assertThat(same.allows(request(false, "Host", "[::1]:9000", "Origin", "http://[::1]:9000"))).isTrue();
        assertThat(same.allows(request(false, "Host", "example.com", "Origin", "null"))).isFalse();
        assertThat(same.allows(request(false, "Host", "example.com", "Origin", "http://example.com.evil.net"))).isFalse();
        assertThat(same.allows(request(false, "Host", "example.com", "Origin", "http://example.com:80/path"))).isFalse();
        assertThat(same.allows(request(false, "Origin", "http://example.com"))).as("no Host").isFalse();
    }

    @Test
    void allowListAndAny() {
        OriginPolicy allow = OriginPolicy.allow("https://app.example.com");
        assertThat(allow.allowedOrigins()).containsExactly("https://app.example.com");
        assertThat(allow.allows(request(false, "Host", "api.example.com", "Origin", "https://APP.example.com"))).isTrue();
        assertThat(allow.allows(request(false, "Host", "api.example.com", "Origin", "http://api.example.com"))).isTrue();
        assertThat(allow.allows(request(false, "Host", "api.example.com", "Origin", "https://evil.example"))).isFalse();
        assertThat(OriginPolicy.any().allows(request(false, "Host", "a", "Origin", "https://evil.example"))).isTrue();
        assertThat(OriginPolicy.any().allowedOrigins()).isEmpty();
        assertThatThrownBy(() -> OriginPolicy.allow(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rfc6455_5_1_preparedMessageIsOneUnmaskedFrame() {
        PreparedMessage message = PreparedMessage.text("hi");
        assertThat(message.payloadLength()).isEqualTo(2);
        assertThat(hex(message.frame())).isEqualTo("81026869");
        ByteBuffer view = message.frame();
        view.get();
        assertThat(message.frame().position()).as("each view is fresh").isZero();
        assertThat(view.isReadOnly()).isTrue();

        ByteBuffer data = ByteBuffer.wrap(new byte[] {9, 8, 7});
        data.get();
        PreparedMessage binary = PreparedMessage.binary(data);
        data.put(1, (byte) 0);
        assertThat(hex(binary.frame())).isEqualTo("82020807");
        assertThat(data.position()).isEqualTo(1);
    }

    @Test
    void preparedTextReplacesLoneSurrogatesAsTheCoreDoes() {
        assertThat(hex(PreparedMessage.text("a\uD800b").frame())).isEqualTo("810561efbfbd62");
        assertThat(PreparedMessage.text("\uD83D\uDE00").payloadLength()).isEqualTo(4);
    }

    @Test
    void routeBuilderChecksItsValues() {
        WebSocketHandler handler = new WebSocketHandler() { };
        assertThat(Route.of("/a/*", handler).path()).isEqualTo("/a/*");
        assertThatThrownBy(() -> Route.of("a", handler)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Route.builder("/a", handler).backpressureLimit(0))
                .hasMessageContaining("backpressure limit of 0 bytes must be positive");
        assertThatThrownBy(() -> Route.builder("/a", handler).idleTimeout(Duration.ofSeconds(-1)))
                .hasMessageContaining("idle timeout of PT-1S is negative");
        assertThatThrownBy(() -> Route.builder("/a", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void serverBuilderChecksItsValues() {
        WebSocketHandler handler = new WebSocketHandler() { };
        assertThatThrownBy(() -> WebSocketServer.builder().route("/ws", handler).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no listen address");
        assertThatThrownBy(() -> WebSocketServer.builder().route("/a", handler).route("/a", handler))
                .hasMessageContaining("/a is already registered");
        assertThatThrownBy(() -> WebSocketServer.builder().http("/a", r -> null).http("/a", r -> null))
                .hasMessageContaining("/a is already registered");
        assertThatThrownBy(() -> WebSocketServer.builder().listen("127.0.0.1", 70000))
                .hasMessageContaining("port 70000");
        assertThatThrownBy(() -> WebSocketServer.builder().closeTimeout(Duration.ZERO))
                .hasMessageContaining("close timeout of PT0S must be positive");
        WebSocketServer notStarted = WebSocketServer.builder().listen("127.0.0.1", 0).route("/a", handler).build();
        assertThat(notStarted.openSockets()).isZero();
        assertThatThrownBy(notStarted::port).isInstanceOf(IllegalStateException.class);
        assertThat(notStarted.stop(Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void valueTypesCheckTheirArguments() {
        assertThatThrownBy(() -> new HttpResponse(100, HttpHeaders.empty(), new byte[0])).hasMessageContaining("100");
        assertThatThrownBy(() -> UpgradeDecision.reject(302, "x")).hasMessageContaining("302");
        assertThat(UpgradeDecision.accept().header("X-A", "1").headers().first("X-A")).contains("1");
    }
}
