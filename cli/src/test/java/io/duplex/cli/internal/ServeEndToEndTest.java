package io.duplex.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duplex.core.CloseStatus;
import io.duplex.core.Event;
import io.duplex.core.handshake.HandshakeException;
import io.duplex.testkit.TestCertificates;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code duplex serve} end to end, in process: the command parses its arguments and starts a real server on
 * a loopback port (port 0) or a Unix socket in a temp dir; a raw client built from core's handshake and
 * connection talks to it.
 */
@Timeout(60)
class ServeEndToEndTest {

    private static final Pattern READY = Pattern.compile("Duplex listening on (wss?)://127\\.0\\.0\\.1:(\\d+)/");

    private final List<RunningServer> started = new ArrayList<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void stopServers() {
        started.forEach(RunningServer::stop);
    }

    private RunningServer serve(String... args) throws CommandFailure {
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs(args);
        RunningServer running = command.start(new PrintWriter(out, true), new PrintWriter(err, true));
        started.add(running);
        return running;
    }

    private List<String> outLines() {
        return out.toString().lines().toList();
    }

    private int readyPort() {
        Matcher ready = READY.matcher(outLines().get(0));
        assertThat(ready.matches()).as("first line %s", outLines().get(0)).isTrue();
        return Integer.parseInt(ready.group(2));
    }

    @Test
    void echoModeEchoesTextAsTextAndBinaryAsBinaryOnEveryPath() throws Exception {
        RunningServer running = serve("--port", "0", "--echo");
        int port = readyPort();
        assertThat(outLines()).containsExactly("Duplex listening on ws://127.0.0.1:" + port + "/");
        assertThat(running.url()).isEqualTo("ws://127.0.0.1:" + port + "/");

        for (String path : List.of("/", "/echo", "/any/deeper/path?with=query")) {
            // --echo takes any origin: it is a tool for testing clients, browsers or not.
            try (TestClient client = TestClient.tcp(port, path, "http://elsewhere.example")) {
                assertThat(client.echoText("héllo " + path)).isEqualTo("héllo " + path);
                byte[] binary = {0, 1, 2, (byte) 0xFF, (byte) 0x80};
                assertThat(client.echoBinary(binary)).containsExactly(binary);
                assertThat(client.closeHandshake().code()).isEqualTo(CloseStatus.NORMAL_CLOSURE);
            }
        }
    }

    @Test
    void echoModeEchoesAMessageOfTheDefaultLimit() throws Exception {
        serve("--port", "0", "--echo");
        try (TestClient client = TestClient.tcp(readyPort(), "/", null)) {
            byte[] big = new byte[1 << 20];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31);
            }
            assertThat(client.echoBinary(big)).isEqualTo(big);
        }
    }

    @Test
    void maxMessageClosesWith1009AboveTheLimitAndEchoesAtIt() throws Exception {
        serve("--port", "0", "--echo", "--max-message", "1KiB");
        try (TestClient client = TestClient.tcp(readyPort(), "/", null)) {
            assertThat(client.echoText("x".repeat(1024))).hasSize(1024);
            client.sendText("x".repeat(1025));
            Event event = client.next();
            assertThat(event).isInstanceOf(Event.CloseReceived.class);
            assertThat(((Event.CloseReceived) event).status().code()).isEqualTo(CloseStatus.MESSAGE_TOO_BIG);
        }
    }

    @Test
    void demoPrintsTheSocketAndThePageUrls() throws Exception {
        serve("--port", "0");
        int port = readyPort();
        assertThat(outLines()).containsExactly(
                "Duplex listening on ws://127.0.0.1:" + port + "/",
                "Open http://127.0.0.1:" + port + "/ in a browser");
    }

    @Test
    void demoEchoesOnSlashEchoForThePagesOwnOrigin() throws Exception {
        serve("--port", "0");
        int port = readyPort();
        try (TestClient client = TestClient.tcp(port, "/echo", "http://127.0.0.1:" + port)) {
            assertThat(client.echoText("round trip")).isEqualTo("round trip");
            assertThat(client.echoBinary(new byte[] {7})).containsExactly(7);
        }
    }

    @Test
    void demoRefusesSocketsFromOtherOrigins() throws Exception {
        serve("--port", "0");
        int port = readyPort();
        assertThatThrownBy(() -> TestClient.tcp(port, "/echo", "http://attacker.example"))
                .isInstanceOfSatisfying(HandshakeException.class, e -> assertThat(e.status()).isEqualTo(403));
    }

    @Test
    void demoServesThePageAtSlash() throws Exception {
        serve("--port", "0");
        int port = readyPort();
        TestClient.HttpResult page = TestClient.get(new Socket("127.0.0.1", port), port, "/");
        assertThat(page.head().status()).isEqualTo(200);
        assertThat(page.head().headers().first("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.bodyText()).contains("id=\"status\"", "round trip ok", "'/echo'");
        assertThat(page.body()).isEqualTo(new DemoPage().page());
    }

    @Test
    void tlsServesWssAndHttps(@TempDir Path dir) throws Exception {
        TestCertificates certificates = TestCertificates.generate(dir);
        serve("--port", "0", "--tls-cert", certificates.certificatePem().toString(),
                "--tls-key", certificates.privateKeyPem().toString());
        Matcher ready = READY.matcher(outLines().get(0));
        assertThat(ready.matches()).isTrue();
        assertThat(ready.group(1)).isEqualTo("wss");
        int port = Integer.parseInt(ready.group(2));
        assertThat(outLines()).containsExactly(
                "Duplex listening on wss://127.0.0.1:" + port + "/",
                "Open https://127.0.0.1:" + port + "/ in a browser");

        try (TestClient client = TestClient.tls(certificates.clientContext(), port, "/echo")) {
            assertThat(client.echoText("over TLS")).isEqualTo("over TLS");
        }
        Socket tlsSocket = certificates.clientContext().getSocketFactory().createSocket();
        tlsSocket.connect(new InetSocketAddress("127.0.0.1", port), TestClient.READ_TIMEOUT_MILLIS);
        TestClient.HttpResult page = TestClient.get(tlsSocket, port, "/");
        assertThat(page.head().status()).isEqualTo(200);
        assertThat(page.bodyText()).contains("id=\"status\"");
    }

    @Test
    void unixSocketEchoes(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("duplex.sock");
        serve("--unix", socket.toString(), "--echo");
        assertThat(outLines()).containsExactly("Duplex listening on unix:" + socket);
        try (TestClient client = TestClient.unix(socket, "/")) {
            assertThat(client.echoText("over a Unix socket")).isEqualTo("over a Unix socket");
        }
    }

    @Test
    void stopClosesOpenSocketsWithGoingAwayAndPrintsStopped() throws Exception {
        RunningServer running = serve("--port", "0", "--echo");
        try (TestClient client = TestClient.tcp(readyPort(), "/", null)) {
            assertThat(client.echoText("before stop")).isEqualTo("before stop");
            Thread stopper = Thread.ofVirtual().start(running::stop);
            Event event = client.next();
            assertThat(event).isInstanceOf(Event.CloseReceived.class);
            assertThat(((Event.CloseReceived) event).status().code()).isEqualTo(CloseStatus.GOING_AWAY);
            stopper.join();
        }
        assertThat(running.awaitStopped(Duration.ofSeconds(10))).isTrue();
        assertThat(outLines()).endsWith("Duplex stopped");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void benchBroadcastSendsEveryMessageToEverySocketOnBroadcastTheSenderIncluded() throws Exception {
        serve("--port", "0", "--echo", "--bench-broadcast");
        int port = readyPort();
        try (TestClient a = TestClient.tcp(port, BroadcastHandler.PATH, null);
                TestClient echo = TestClient.tcp(port, "/echo", null)) {
            // A socket's own copy proves it is registered: onOpen comes before its first message.
            assertThat(a.echoText("a1")).isEqualTo("a1");
            try (TestClient b = TestClient.tcp(port, BroadcastHandler.PATH, null)) {
                assertThat(b.echoText("b1")).isEqualTo("b1");
                assertThat(((Event.Text) a.next()).text()).isEqualTo("b1");
                a.sendText("a2");
                assertThat(((Event.Text) a.next()).text()).isEqualTo("a2");
                assertThat(((Event.Text) b.next()).text()).isEqualTo("a2");
                byte[] binary = {0, 1, (byte) 0xFF};
                b.sendBinary(binary);
                for (TestClient client : List.of(a, b)) {
                    ByteBuffer data = ((Event.Binary) client.next()).data();
                    byte[] received = new byte[data.remaining()];
                    data.get(received);
                    assertThat(received).containsExactly(binary);
                }
                // Other paths still echo, and get nothing of the broadcast.
                assertThat(echo.echoText("only mine")).isEqualTo("only mine");
            }
        }
    }

    @Test
    void benchBroadcastNeedsEcho() {
        assertThatThrownBy(() -> serve("--port", "0", "--bench-broadcast"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--bench-broadcast needs --echo");
    }
}
