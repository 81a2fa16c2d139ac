package io.duplex.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.server.ServerWebSocket;
import io.duplex.server.WebSocketHandler;
import io.duplex.server.WebSocketServer;
import io.duplex.testkit.TestCertificates;
import io.duplex.transport.TlsConfig;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * wss against the Duplex server with a throwaway certificate for CN=localhost (SAN localhost, 127.0.0.1,
 * ::1), listening on 127.0.0.2 too so that a host the certificate does not name can be tried.
 */
class WebSocketTlsTest {

    private static WebSocketServer server;
    private static final TestCertificates CERT = TestCertificates.shared();

    @BeforeAll
    static void start() throws Exception {
        server = WebSocketServer.builder()
                .listen("127.0.0.1", 0)
                .listen("127.0.0.2", 0)
                .tls(TlsConfig.server(CERT.serverContext()))
                .route("/echo", new WebSocketHandler() {
                    @Override
                    public void onText(ServerWebSocket socket, String text) {
                        socket.sendText(text);
                    }
                })
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void wssEchoWithHostnameVerification() throws Exception {
        WebSocket.Builder b = WebSocket.builder("wss://localhost:" + portOn("127.0.0.1") + "/echo")
                .sslContext(CERT.clientContext())
                .onopen(e -> ((WebSocket) e.target()).send("secure"))
                .onmessage(e -> ((WebSocket) e.target()).close(1000));
        Recorder r = Recorder.on(b);
        WebSocket ws = b.connect();
        r.awaitClose();
        assertThat(r.events).containsExactly("open", "message:secure", "close:1000:clean");
        assertThat(ws.url()).isEqualTo("wss://localhost:" + portOn("127.0.0.1") + "/echo");
        assertThat(r.messages.get(0).origin()).isEqualTo("wss://localhost:" + portOn("127.0.0.1"));
    }

    @Test
    void untrustedCertificateIsErrorThenClose1006NeverTls1015() throws Exception {
        WebSocket.Builder b = WebSocket.builder("wss://localhost:" + portOn("127.0.0.1") + "/echo"); // JDK trust store
        Recorder r = Recorder.on(b);
        b.connect();
        CloseEvent close = r.awaitClose();
        assertThat(r.events).containsExactly("error", "close:1006:unclean");
        assertThat(close.detail()).contains("TLS");
    }

    private static int portOn(String host) {
        return server.localAddresses().stream().map(a -> (java.net.InetSocketAddress) a)
                .filter(a -> a.getAddress().getHostAddress().equals(host)).findFirst().orElseThrow().getPort();
    }

    @Test
    void hostnameVerificationIsOnByDefault() throws Exception {
        // the certificate names localhost, 127.0.0.1 and ::1, not 127.0.0.2
        WebSocket.Builder b = WebSocket.builder("wss://127.0.0.2:" + portOn("127.0.0.2") + "/echo")
                .sslContext(CERT.clientContext());
        Recorder r = Recorder.on(b);
        b.connect();
        CloseEvent close = r.awaitClose();
        assertThat(r.events).containsExactly("error", "close:1006:unclean");
        assertThat(close.detail()).contains("TLS");
    }

    @Test
    void hostnameVerificationCanBeTurnedOff() throws Exception {
        WebSocket ws = WebSocket.builder("wss://127.0.0.2:" + portOn("127.0.0.2") + "/echo")
                .sslContext(CERT.clientContext()).hostnameVerification(false).connect();
        ws.opened().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ws.close();
        assertThat(ws.closed().toCompletableFuture().get(10, TimeUnit.SECONDS).wasClean()).isTrue();
    }

    @Test
    void ipLiteralNamedByTheCertificateVerifies() throws Exception {
        WebSocket ws = WebSocket.builder("wss://127.0.0.1:" + portOn("127.0.0.1") + "/echo")
                .sslContext(CERT.clientContext()).connect();
        ws.opened().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ws.close();
        assertThat(ws.closed().toCompletableFuture().get(10, TimeUnit.SECONDS).wasClean()).isTrue();
    }
}
