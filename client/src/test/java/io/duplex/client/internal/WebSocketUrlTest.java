package io.duplex.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duplex.client.DOMException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The WebSockets Standard's constructor steps 2-7 over the URL Standard's parser, with cases in the spirit
 * of web-platform-tests websockets/Create-*.any.js and url/ (written here, not copied).
 */
class WebSocketUrlTest {

    private static String serialize(String url) {
        return Arguments.url(url).serialize();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "ws://example.com|ws://example.com/",
            "wss://example.com/chat|wss://example.com/chat",
            "ws://example.com:8080/a?b=c|ws://example.com:8080/a?b=c",
            // steps 4-5: http -> ws, https -> wss
            "http://example.com/x|ws://example.com/x",
            "https://example.com/x|wss://example.com/x",
            "HTTP://Example.COM/Path|ws://example.com/Path",
            "WsS://EXAMPLE.com|wss://example.com/",
            // default ports are elided, others kept
            "ws://example.com:80/|ws://example.com/",
            "wss://example.com:443/|wss://example.com/",
            "ws://example.com:443/|ws://example.com:443/",
            "wss://example.com:80/|wss://example.com:80/",
            "http://example.com:443|ws://example.com:443/",
            "ws://example.com:0080/|ws://example.com/",
            "ws://example.com:/|ws://example.com/",
            "ws://example.com:65535|ws://example.com:65535/",
            // special authority slashes: any run of / and \, or none
            "ws:example.com|ws://example.com/",
            "ws:/example.com|ws://example.com/",
            "ws:\\\\example.com\\a\\b|ws://example.com/a/b",
            "ws:///example.com/|ws://example.com/",
            // path: dot segments, encode set
            "ws://x/a/./b/../c|ws://x/a/c",
            "ws://x/a/%2e%2E/b|ws://x/b",
            "ws://x/a/..|ws://x/",
            "ws://x/a/.|ws://x/a/",
            "ws://x/../../a|ws://x/a",
            "ws://x/a b|ws://x/a%20b",
            "ws://x/ü|ws://x/%C3%BC",
            "ws://x/a%2fb|ws://x/a%2fb",
            "ws://x/{}^`|ws://x/%7B%7D%5E%60",
            "ws://x?q|ws://x/?q",
            // query: the special-query encode set (' encoded), ? kept
            "ws://x/?a b'c\"d|ws://x/?a%20b%27c%22d",
            "ws://x/??a=ü|ws://x/??a=%C3%BC",
            "ws://x/?|ws://x/?",
            // userinfo
            "ws://user:pass@x/|ws://user:pass@x/",
            "ws://user@x/|ws://user@x/",
            "ws://:pass@x/|ws://:pass@x/",
            "ws://@x/|ws://x/",
            "ws://a@b@x/|ws://a%40b@x/",
            "ws://us er:p;ss@x/|ws://us%20er:p%3Bss@x/",
            // IPv4, all the numeric forms
            "ws://127.0.0.1:9000/|ws://127.0.0.1:9000/",
            "ws://0x7f.1/|ws://127.0.0.1/",
            "ws://2130706433/|ws://127.0.0.1/",
            "ws://0177.0.0.1/|ws://127.0.0.1/",
            "ws://0x7F000001/|ws://127.0.0.1/",
            "ws://127.1/|ws://127.0.0.1/",
            "ws://127.0.1/|ws://127.0.0.1/",
            "ws://1.2.3.4./|ws://1.2.3.4/",
            "ws://0x/|ws://0.0.0.0/",
            "ws://255.255.255.255/|ws://255.255.255.255/",
            // IPv6, compressed on output
            "ws://[::1]:8080/|ws://[::1]:8080/",
            "ws://[0:0:0:0:0:0:0:1]/|ws://[::1]/",
            "ws://[2001:DB8::1]/|ws://[2001:db8::1]/",
            "ws://[2001:db8:0:0:1:0:0:1]/|ws://[2001:db8::1:0:0:1]/",
            "ws://[1:0:0:2:0:0:0:3]/|ws://[1:0:0:2::3]/",
            "ws://[1:0:1:0:1:0:1:0]/|ws://[1:0:1:0:1:0:1:0]/",
            "ws://[::]/|ws://[::]/",
            "ws://[::ffff:192.168.0.1]/|ws://[::ffff:c0a8:1]/",
            "ws://[1::]/|ws://[1::]/",
            // hosts: lower case, IDNA
            "ws://bücher.example/|ws://xn--bcher-kva.example/",
            "ws://BÜCHER.example/|ws://xn--bcher-kva.example/",
            "ws://xn--bcher-kva.example/|ws://xn--bcher-kva.example/",
            "ws://ex%41mple.com/|ws://example.com/",
            "ws://a..b/|ws://a..b/",
            "ws://example.com./|ws://example.com./",
            "ws://foo.0xg/|ws://foo.0xg/"
    })
    void parsesAndSerializesLikeTheUrlStandard(String input, String expected) {
        assertThat(serialize(input)).isEqualTo(expected);
    }

    @Test
    void tabsAndNewlinesAreRemovedAndControlsAndSpacesStripped() {
        assertThat(serialize(" \t ws://exa\tmple.com/a\nb\r \u0000")).isEqualTo("ws://example.com/ab");
    }

    @Test
    void loneSurrogatesBecomeTheReplacementCharacter() {
        assertThat(serialize("ws://x/\uD800")).isEqualTo("ws://x/%EF%BF%BD");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", " ", "/echo", "echo", "example.com", "//example.com/", "?x", // no scheme and no base URL
            "ftp://example.com/", "file:///etc/passwd", "mailto:a@b.c", "data:text/plain,x", "about:blank",
            "javascript:alert(1)", "wx://example.com", "ws+x://example.com", "wss2://example.com",
            "ws://example.com/#", "ws://example.com/#frag", "ws://example.com#", "wss://x/?q#f", "http://x/#",
            "ws://", "ws:///", "ws://:80/", "ws://user@/", "ws://user:pass@",
            "ws://example.com:65536/", "ws://example.com:99999999999/", "ws://example.com:8o/", "ws://x:-1/",
            "ws://ex ample.com/", "ws://exa<mple.com/", "ws://exa^mple.com/", "ws://exa|mple.com/",
            "ws://exa%20mple.com/", "ws://exa%mple.com/", "ws://exa%00mple.com/", "ws://\u0001x/",
            "ws://1.2.3.4.5/", "ws://256.0.0.1/", "ws://1.2.3.256/", "ws://1.2.3.09/", "ws://foo.09/",
            "ws://0x100000000/", "ws://foo.0x/", "ws://foo.0x10/", "ws://4294967296/", "ws://1.2.3.4.5./", "ws://foo.1.2.3.4.5/",
            "ws://[::1/", "ws://[::1]x/", "ws://[1::2::3]/", "ws://[1:2:3:4:5:6:7:8:9]/", "ws://[1:2:3]/",
            "ws://[:1]/", "ws://[1:]/", "ws://[::1.2.3]/", "ws://[::1.2.3.4.5]/", "ws://[::01.2.3.4]/",
            "ws://[::256.0.0.1]/", "ws://[1:2:3:4:5:6:7:1.2.3.4]/", "ws://[g::1]/", "ws://[12345::1]/",
            "ws://xn--/", "ws://xn--a-ecp.ru/", "ws://\uFFFD/", "ws://%ef%bf%bd/", "ws://%ff/"
    })
    void refusesWithSyntaxError(String input) {
        assertThatThrownBy(() -> Arguments.url(input))
                .isInstanceOfSatisfying(DOMException.class, e -> {
                    assertThat(e.name()).isEqualTo("SyntaxError");
                    assertThat(e.code()).isEqualTo(12);
                });
    }

    @Test
    void nullUrlIsASyntaxError() {
        assertThatThrownBy(() -> Arguments.url(null)).isInstanceOf(DOMException.class);
    }

    @Test
    void partsForTheHandshake() {
        WebSocketUrl url = Arguments.url("wss://[::1]:8443/chat/room?x=1");
        assertThat(url.secure()).isTrue();
        assertThat(url.hostForConnect()).isEqualTo("::1");
        assertThat(url.effectivePort()).isEqualTo(8443);
        assertThat(url.resourceName()).isEqualTo("/chat/room?x=1");
        assertThat(url.origin()).isEqualTo("wss://[::1]:8443");

        WebSocketUrl plain = Arguments.url("ws://Example.com");
        assertThat(plain.effectivePort()).isEqualTo(80);
        assertThat(plain.port()).isEqualTo(-1);
        assertThat(plain.resourceName()).isEqualTo("/");
        assertThat(plain.origin()).isEqualTo("ws://example.com");
        assertThat(Arguments.url("wss://x").effectivePort()).isEqualTo(443);
    }

    @Test
    void errorMessageNamesTheUrlAndTheRule() {
        assertThatThrownBy(() -> Arguments.url("ftp://x/")).hasMessageContaining("ftp://x/").hasMessageContaining("ws or wss");
        assertThatThrownBy(() -> Arguments.url("ws://x/#f")).hasMessageContaining("fragment");
        assertThatThrownBy(() -> Arguments.url("ws://x:70000/")).hasMessageContaining("65535");
    }
}
