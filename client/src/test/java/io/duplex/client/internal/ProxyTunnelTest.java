package io.duplex.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duplex.client.ProxyConfig;
import io.duplex.core.Limits;
import io.duplex.testkit.Hex;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The proxy tunnels' bytes, sans-I/O, fed one byte at a time where it matters. */
class ProxyTunnelTest {

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void httpConnectRequestWithBasicCredentials() throws IOException {
        ProxyTunnel t = new ProxyTunnel(ProxyConfig.http("p", 8080).withCredentials("Aladdin", "open sesame"),
                "example.com", 443, Limits.DEFAULT);
        // RFC 7617 2's example: Aladdin / open sesame
        assertThat(new String(bytes(t.start()), StandardCharsets.ISO_8859_1)).isEqualTo(
                "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n"
                        + "Proxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n\r\n");
    }

    @Test
    void httpConnectBracketsIpv6Targets() {
        ProxyTunnel t = new ProxyTunnel(ProxyConfig.http("p", 8080), "::1", 80, Limits.DEFAULT);
        assertThat(new String(bytes(t.start()), StandardCharsets.ISO_8859_1)).startsWith("CONNECT [::1]:80 HTTP/1.1\r\n");
    }

    @Test
    void httpConnect2xxOpensTheTunnelAndLeavesTheRestInTheBuffer() throws IOException {
        ProxyTunnel t = new ProxyTunnel(ProxyConfig.http("p", 8080), "h", 80, Limits.DEFAULT);
        t.start();
        byte[] response = "HTTP/1.1 200 OK\r\n\r\nHTTP/1.1 101".getBytes(StandardCharsets.ISO_8859_1);
        ProxyTunnel.Step step = null;
        int i = 0;
        ByteBuffer in = null;
        for (; i < response.length; i++) {
            in = ByteBuffer.wrap(response, i, 1);
            step = t.receive(in);
            if (step.open()) {
                break;
            }
        }
        assertThat(step.open()).isTrue();
        assertThat(i).isEqualTo("HTTP/1.1 200 OK\r\n\r\n".length() - 1);
    }

    @Test
    void httpConnectNon2xxFailsNamingTheStatus() {
        ProxyTunnel t = new ProxyTunnel(ProxyConfig.http("p", 8080), "h", 80, Limits.DEFAULT);
        t.start();
        assertThatThrownBy(() -> t.receive(ByteBuffer.wrap(
                "HTTP/1.1 407 Proxy Authentication Required\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))))
                .isInstanceOf(IOException.class).hasMessageContaining("407").hasMessageContaining("wants credentials");
    }

    @Test
    void socks5DomainNameConnectOneByteAtATime() throws IOException {
        ProxyTunnel t = new ProxyTunnel(ProxyConfig.socks5("p", 1080), "example.com", 80, Limits.DEFAULT);
        assertThat(bytes(t.start())).containsExactly(5, 1, 0);
        ProxyTunnel.Step s1 = feed(t, Hex.parse("05 00"));
        // RFC 1928 4: VER 5, CONNECT, RSV, ATYP 3, length 11, "example.com", port 80
        assertThat(Hex.format(bytes(s1.send()))).isEqualTo(Hex.format(Hex.parse(
                "05 01 00 03 0b 65 78 61 6d 70 6c 65 2e 63 6f 6d 00 50")));
        ProxyTunnel.Step s2 = feed(t, Hex.parse("05 00 00 03 04 68 6f 73 74 1f 90"));
        assertThat(s2.open()).isTrue();
    }

    @Test
    void socks5UsernamePasswordAndIpv6Target() throws IOException {
        ProxyTunnel t = new ProxyTunnel(ProxyConfig.socks5("p", 1080).withCredentials("u", "pw"), "::1", 443, Limits.DEFAULT);
        assertThat(bytes(t.start())).containsExactly(5, 2, 0, 2);
        // RFC 1929 2: VER 1, ULEN, UNAME, PLEN, PASSWD
        assertThat(bytes(feed(t, Hex.parse("05 02")).send())).containsExactly(1, 1, 'u', 2, 'p', 'w');
        byte[] connect = bytes(feed(t, Hex.parse("01 00")).send());
        assertThat(connect).hasSize(4 + 16 + 2);
        assertThat(connect[3]).isEqualTo((byte) 4);
        assertThat(connect[19]).isEqualTo((byte) 1);
        assertThat(feed(t, Hex.parse("05 00 00 01 7f 00 00 01 01 bb")).open()).isTrue();
    }

    @Test
    void socks5RefusalsNameTheReason() throws IOException {
        ProxyTunnel t = new ProxyTunnel(ProxyConfig.socks5("p", 1080), "h", 80, Limits.DEFAULT);
        t.start();
        feed(t, Hex.parse("05 00"));
        assertThatThrownBy(() -> feed(t, Hex.parse("05 05 00 01 00 00 00 00 00 00")))
                .hasMessageContaining("connection refused");

        ProxyTunnel noMethod = new ProxyTunnel(ProxyConfig.socks5("p", 1080), "h", 80, Limits.DEFAULT);
        noMethod.start();
        assertThatThrownBy(() -> feed(noMethod, Hex.parse("05 ff"))).hasMessageContaining("authentication");
    }

    private static ProxyTunnel.Step feed(ProxyTunnel t, byte[] bytes) throws IOException {
        ProxyTunnel.Step last = null;
        for (byte b : bytes) {
            ProxyTunnel.Step step = t.receive(ByteBuffer.wrap(new byte[] {b}));
            if (step.send() != null || step.open()) {
                last = step;
            }
        }
        return last;
    }
}
