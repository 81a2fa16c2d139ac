package io.duplex.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.core.handshake.HttpHeaders;
import io.duplex.server.HttpRequest;
import io.duplex.server.HttpResponse;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The demo page's content and the handler's answers, without a server. */
class DemoPageTest {

    private final String page = new String(new DemoPage().page(), StandardCharsets.UTF_8);

    @Test
    void pageConnectsToItsOwnHostOnEchoWithTheMatchingScheme() {
        assertThat(page).contains(
                "new WebSocket(url)",
                "(location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/echo'");
        assertThat(DemoPage.SOCKET_PATH).isEqualTo("/echo");
    }

    @Test
    void pageReportsTheFirstRoundTripWhereTheBrowserTestLooks() {
        assertThat(page).contains("<p id=\"status\"", "'round trip ok'", "document.title = 'Duplex demo: round trip ok'");
    }

    @Test
    void pageIsSelfContainedAndWritesDataAsTextOnly() {
        assertThat(page).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(");
        assertThat(page).doesNotContain("http://", "https://", "src=", "@import", "url(");
        assertThat(page).contains("textContent");
        assertThat(page.replace("href=\"data:,\"", "")).doesNotContain("href=");
    }

    @Test
    void pageLabelsItsInputAndDeclaresItsLanguage() {
        assertThat(page).contains("<html lang=\"en\">", "<label for=\"message\">", "<input id=\"message\"",
                "<meta charset=\"utf-8\">");
    }

    @Test
    void getAndHeadAnswerThePageAsHtmlWithAStrictPolicy() {
        for (String method : new String[] {"GET", "HEAD"}) {
            HttpResponse response = new DemoPage().handle(request(method));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers().first("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(response.headers().first("Content-Security-Policy")).get().asString()
                    .contains("default-src 'none'", "connect-src 'self' ws: wss:");
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(page);
        }
    }

    @Test
    void otherMethodsGet405WithAllow() {
        HttpResponse response = new DemoPage().handle(request("POST"));
        assertThat(response.status()).isEqualTo(405);
        assertThat(response.headers().first("Allow")).hasValue("GET, HEAD");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("method POST is not allowed on /");
    }

    private static HttpRequest request(String method) {
        return new HttpRequest() {
            @Override
            public String method() {
                return method;
            }

            @Override
            public String path() {
                return "/";
            }

            @Override
            public String query() {
                return "";
            }

            @Override
            public Optional<String> queryParameter(String name) {
                return Optional.empty();
            }

            @Override
            public HttpHeaders headers() {
                return HttpHeaders.of("Host", "127.0.0.1:8080");
            }

            @Override
            public Optional<String> header(String name) {
                return headers().first(name);
            }

            @Override
            public Map<String, String> cookies() {
                return Map.of();
            }

            @Override
            public SocketAddress remoteAddress() {
                return new InetSocketAddress("127.0.0.1", 50000);
            }

            @Override
            public boolean secure() {
                return false;
            }
        };
    }
}
