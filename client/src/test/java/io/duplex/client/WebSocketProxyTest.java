package io.duplex.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.server.ServerWebSocket;
import io.duplex.server.WebSocketHandler;
import io.duplex.server.WebSocketServer;
import io.duplex.testkit.TestCertificates;
import io.duplex.transport.TlsConfig;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ws through an HTTP CONNECT proxy and a SOCKS5 proxy (small ones these tests own), and the environment. */
class WebSocketProxyTest {

    private static WebSocketServer server;
    private static WebSocketServer tlsServer;

    @BeforeAll
    static void start() throws Exception {
        server = WebSocketServer.builder().listen("127.0.0.1", 0).route("/echo", new WebSocketHandler() {
            @Override
            public void onText(ServerWebSocket socket, String text) {
                socket.sendText(text);
            }
        }).build().start();
        tlsServer = WebSocketServer.builder().listen("127.0.0.1", 0)
                .tls(TlsConfig.server(TestCertificates.shared().serverContext()))
                .route("/echo", new WebSocketHandler() {
                    @Override
                    public void onText(ServerWebSocket socket, String text) {
                        socket.sendText(text);
                    }
                }).build().start();
    }

    @AfterAll
    static void stop() {
        server.close();
        tlsServer.close();
    }

    private static Recorder echoThrough(ProxyConfig proxy, String host) throws Exception {
        WebSocket.Builder b = WebSocket.builder("ws://" + host + ":" + server.port() + "/echo").proxy(proxy)
                .onopen(e -> ((WebSocket) e.target()).send("via proxy"))
                .onmessage(e -> ((WebSocket) e.target()).close(1000));
        Recorder r = Recorder.on(b);
        b.connect();
        r.awaitClose();
        return r;
    }

    @Test
    void httpConnectProxy() throws Exception {
        try (TestProxy proxy = new TestProxy(TestProxy.Kind.HTTP, null, null)) {
            Recorder r = echoThrough(ProxyConfig.http("127.0.0.1", proxy.port()), "localhost");
            assertThat(r.events).containsExactly("open", "message:via proxy", "close:1000:clean");
            assertThat(proxy.requests.get(0)).startsWith("CONNECT localhost:" + server.port() + " HTTP/1.1\r\n");
            assertThat(RawServer.header(proxy.requests.get(0), "Host")).isEqualTo("localhost:" + server.port());
        }
    }

    @Test
    void httpConnectProxyWithBasicAuth() throws Exception {
        try (TestProxy proxy = new TestProxy(TestProxy.Kind.HTTP, "al\u00EFce", "s3cret:x")) {
            Recorder r = echoThrough(ProxyConfig.http("127.0.0.1", proxy.port()).withCredentials("al\u00EFce", "s3cret:x"),
                    "127.0.0.1");
            assertThat(r.events).containsExactly("open", "message:via proxy", "close:1000:clean");
        }
    }

    @Test
    void httpProxyRefusingCredentialsIsErrorThenClose1006With407() throws Exception {
        try (TestProxy proxy = new TestProxy(TestProxy.Kind.HTTP, "user", "right")) {
            Recorder r = echoThrough(ProxyConfig.http("127.0.0.1", proxy.port()).withCredentials("user", "wrong"),
                    "127.0.0.1");
            assertThat(r.events).containsExactly("error", "close:1006:unclean");
            assertThat(r.close.get().detail()).contains("407");
        }
    }

    @Test
    void socks5ProxyPassesTheHostNameUnresolved() throws Exception {
        try (TestProxy proxy = new TestProxy(TestProxy.Kind.SOCKS5, null, null)) {
            Recorder r = echoThrough(ProxyConfig.socks5("127.0.0.1", proxy.port()), "localhost");
            assertThat(r.events).containsExactly("open", "message:via proxy", "close:1000:clean");
            assertThat(proxy.requests).containsExactly("3 localhost:" + server.port());
        }
    }

    @Test
    void socks5ProxyWithUsernameAndPasswordAndAnIpv4Target() throws Exception {
        try (TestProxy proxy = new TestProxy(TestProxy.Kind.SOCKS5, "u", "p")) {
            Recorder r = echoThrough(ProxyConfig.socks5("127.0.0.1", proxy.port()).withCredentials("u", "p"), "127.0.0.1");
            assertThat(r.events).containsExactly("open", "message:via proxy", "close:1000:clean");
            assertThat(proxy.requests).containsExactly("1 127.0.0.1:" + server.port());
        }
    }

    @Test
    void socks5RefusalIsErrorThenClose1006() throws Exception {
        try (TestProxy proxy = new TestProxy(TestProxy.Kind.SOCKS5, "u", "p")) {
            Recorder r = echoThrough(ProxyConfig.socks5("127.0.0.1", proxy.port()).withCredentials("u", "bad"), "127.0.0.1");
            assertThat(r.events).containsExactly("error", "close:1006:unclean");
            assertThat(r.close.get().detail()).contains("SOCKS5").contains("refused");
        }
    }

    private static Recorder wssEchoThrough(ProxyConfig proxy, javax.net.ssl.SSLContext trust) throws Exception {
        WebSocket.Builder b = WebSocket.builder("wss://localhost:" + tlsServer.port() + "/echo").proxy(proxy)
                .onopen(e -> ((WebSocket) e.target()).send("secret via proxy"))
                .onmessage(e -> ((WebSocket) e.target()).close(1000));
        if (trust != null) {
            b.sslContext(trust);
        }
        Recorder r = Recorder.on(b);
        b.connect();
        r.awaitClose();
        return r;
    }

    @Test
    void wssThroughAnHttpConnectProxyRunsTlsInsideTheTunnel() throws Exception {
        try (TestProxy proxy = new TestProxy(TestProxy.Kind.HTTP, null, null)) {
            Recorder r = wssEchoThrough(ProxyConfig.http("127.0.0.1", proxy.port()), TestCertificates.shared().clientContext());
            assertThat(r.events).containsExactly("open", "message:secret via proxy", "close:1000:clean");
            assertThat(proxy.requests.get(0)).startsWith("CONNECT localhost:" + tlsServer.port() + " ");
        }
    }

    @Test
    void largeMessagesThroughTheTunnelsTlsSpanManyRecords() throws Exception {
        String big = "0123456789abcdef".repeat(20_000); // 320 KB: about twenty TLS records each way
        try (TestProxy proxy = new TestProxy(TestProxy.Kind.HTTP, null, null)) {
            WebSocket.Builder b = WebSocket.builder("wss://localhost:" + tlsServer.port() + "/echo")
                    .proxy(ProxyConfig.http("127.0.0.1", proxy.port()))
                    .sslContext(TestCertificates.shared().clientContext())
                    .onopen(e -> {
                        for (int i = 0; i < 3; i++) {
                            ((WebSocket) e.target()).send(i + big);
                        }
                    });
            java.util.concurrent.CountDownLatch three = new java.util.concurrent.CountDownLatch(3);
            b.addEventListener("message", e -> three.countDown());
            Recorder r = Recorder.on(b);
            WebSocket ws = b.connect();
            assertThat(three.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            ws.close();
            r.awaitClose();
            assertThat(r.messages).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(r.messages.get(i).text()).isEqualTo(i + big);
            }
        }
    }

    @Test
    void wssThroughASocks5Proxy() throws Exception {
        try (TestProxy proxy = new TestProxy(TestProxy.Kind.SOCKS5, null, null)) {
            Recorder r = wssEchoThrough(ProxyConfig.socks5("127.0.0.1", proxy.port()), TestCertificates.shared().clientContext());
            assertThat(r.events).containsExactly("open", "message:secret via proxy", "close:1000:clean");
        }
    }

    @Test
    void wssThroughAProxyStillVerifiesTheServersCertificate() throws Exception {
        try (TestProxy proxy = new TestProxy(TestProxy.Kind.HTTP, null, null)) {
            Recorder r = wssEchoThrough(ProxyConfig.http("127.0.0.1", proxy.port()), null); // JDK trust store
            assertThat(r.events).containsExactly("error", "close:1006:unclean");
            assertThat(r.close.get().detail()).contains("TLS");
        }
    }

    @Test
    void environmentVariablesAsCurlReadsThem() {
        Map<String, String> env = Map.of("http_proxy", "http://proxy.example:3128", "HTTPS_PROXY",
                "socks5h://user:p%40ss@socks.example", "no_proxy", "localhost, .internal.example");
        assertThat(ProxyConfig.fromEnvironment(env, false, "example.com"))
                .contains(ProxyConfig.http("proxy.example", 3128));
        assertThat(ProxyConfig.fromEnvironment(env, true, "example.com"))
                .contains(ProxyConfig.socks5("socks.example", 1080).withCredentials("user", "p@ss"));
        assertThat(ProxyConfig.fromEnvironment(env, false, "localhost")).isEmpty();
        assertThat(ProxyConfig.fromEnvironment(env, false, "a.internal.example")).isEmpty();
        assertThat(ProxyConfig.fromEnvironment(env, false, "internal.example")).isEmpty();
        assertThat(ProxyConfig.fromEnvironment(env, false, "notinternal.example")).isPresent();
        assertThat(ProxyConfig.fromEnvironment(Map.of("ALL_PROXY", "proxy:8080"), true, "x"))
                .contains(ProxyConfig.http("proxy", 8080));
        assertThat(ProxyConfig.fromEnvironment(Map.of("all_proxy", "x:1", "NO_PROXY", "*"), true, "x")).isEmpty();
        assertThat(ProxyConfig.fromEnvironment(Map.of(), true, "x")).isEqualTo(Optional.empty());
    }

    @Test
    void proxyConfigNeverPrintsThePassword() {
        assertThat(ProxyConfig.http("h", 1).withCredentials("u", "secret").toString()).doesNotContain("secret");
    }
}
