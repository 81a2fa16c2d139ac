package io.duplex.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.core.handshake.HttpHeaders;
import io.duplex.core.handshake.HttpRequestHead;
import io.duplex.server.HttpResponse;
import io.duplex.server.UpgradeDecision;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request view the application sees, and the responses the server writes instead of a 101. */
class RequestAndResponseTest {

    private static RequestView request(String target, String... headers) {
        return new RequestView(new HttpRequestHead("GET", target, "HTTP/1.1", HttpHeaders.of(headers)), List.of("a"),
                new InetSocketAddress("127.0.0.1", 1), false);
    }

    private static String text(ByteBuffer bytes) {
        return StandardCharsets.UTF_8.decode(bytes).toString();
    }

    @Test
    void queryParametersArePercentDecodedAsUtf8() {
        RequestView r = request("/p?name=J%C3%BCrgen+X&empty=&flag&bad=%zz&name=second");
        assertThat(r.path()).isEqualTo("/p");
        assertThat(r.query()).isEqualTo("name=J%C3%BCrgen+X&empty=&flag&bad=%zz&name=second");
        assertThat(r.queryParameter("name")).contains("J\u00fcrgen X");
        assertThat(r.queryParameter("empty")).contains("");
        assertThat(r.queryParameter("flag")).contains("");
        assertThat(r.queryParameter("bad")).isEmpty();
        assertThat(r.queryParameter("missing")).isEmpty();
        assertThat(request("/p").query()).isEmpty();
    }

    @Test
    void rfc6265_5_4_cookiesFromEveryHeaderFirstWins() {
        RequestView r = request("/", "Cookie", "a=1; b=\"two\"", "Cookie", "a=3;c=4", "Cookie", "junk; =x");
        assertThat(r.cookies()).containsExactly(java.util.Map.entry("a", "1"), java.util.Map.entry("b", "two"),
                java.util.Map.entry("c", "4"));
        assertThat(request("/").cookies()).isEmpty();
    }

    @Test
    void headersAndOriginAreLookedUpCaseInsensitively() {
        RequestView r = request("/", "origin", "https://x.example", "X-Thing", "1");
        assertThat(r.origin()).contains("https://x.example");
        assertThat(r.header("x-thing")).contains("1");
        assertThat(r.subprotocols()).containsExactly("a");
    }

    @Test
    void httpResponseCarriesLengthAndCloseAndDropsTheApplicationsFraming() {
        HttpResponse response = new HttpResponse(200, HttpHeaders.of("Content-Type", "text/html", "Content-Length", "999",
                "Connection", "keep-alive", "Cache-Control", "no-store"), "<p>".getBytes(StandardCharsets.UTF_8));
        assertThat(text(HttpResponses.of(response, false))).isEqualTo("HTTP/1.1 200 OK\r\n"
                + "Content-Type: text/html\r\n"
                + "Cache-Control: no-store\r\n"
                + "Content-Length: 3\r\n"
                + "Connection: close\r\n\r\n<p>");
    }

    @Test
    void rfc7231_4_3_2_headResponseHasTheLengthButNoBody() {
        assertThat(text(HttpResponses.of(HttpResponse.text(200, "hello"), true)))
                .contains("Content-Length: 5\r\n").endsWith("\r\n\r\n");
    }

    @Test
    void rejectionIsPlainTextUnlessItSaysOtherwise() {
        assertThat(text(HttpResponses.of(UpgradeDecision.reject(429, "slow down"))))
                .startsWith("HTTP/1.1 429 Too Many Requests\r\n")
                .contains("Content-Type: text/plain; charset=utf-8\r\n")
                .endsWith("slow down");
        assertThat(text(HttpResponses.of(new UpgradeDecision.Reject(400, HttpHeaders.of("Content-Type", "application/json"),
                "{}".getBytes(StandardCharsets.UTF_8))))).contains("Content-Type: application/json\r\n")
                .doesNotContain("text/plain");
    }

    @Test
    void unusualStatusesGetAGenericReasonPhrase() {
        assertThat(HttpResponses.reasonPhrase(299)).isEqualTo("OK");
        assertThat(HttpResponses.reasonPhrase(418)).isEqualTo("Client Error");
        assertThat(HttpResponses.reasonPhrase(599)).isEqualTo("Server Error");
    }
}
