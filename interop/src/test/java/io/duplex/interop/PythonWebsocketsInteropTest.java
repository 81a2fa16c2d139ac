package io.duplex.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.interop.EchoServer.Connection;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Duplex server against Python's {@code websockets} (Debian's python3-websockets, 10.4 on
 * Debian 12) through python/websockets_client.py: one client process per scenario, against one
 * Duplex echo server.
 */
class PythonWebsocketsInteropTest {

    private static final System.Logger LOG = System.getLogger(PythonWebsocketsInteropTest.class.getName());
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String SCRIPT = "python/websockets_client.py";

    private static EchoServer server;

    @BeforeAll
    static void startServer() throws IOException {
        // First: the client exists (a missing python3-websockets fails here, saying how to install it).
        String version = ExternalClient.python(SCRIPT, TIMEOUT, "-", "version").assertOk();
        LOG.log(System.Logger.Level.INFO, version);
        server = EchoServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static Connection play(String path, String scenario) {
        Connection connection = server.connection(path, scenario);
        String out = ExternalClient.python(SCRIPT, TIMEOUT, connection.url(), scenario, Integer.toString(EchoServer.LIMIT))
                .assertOk();
        assertThat(out).contains(scenario + ": ok");
        return connection;
    }

    private static void playAndCloseNormally(String scenario) {
        Connection connection = play("/echo", scenario);
        ServerSide.assertClosedCleanly(server.awaitClose(connection), 1000, "done", scenario);
    }

    @Test
    void textMessagesAreEchoed() {
        playAndCloseNormally("text");
    }

    @Test
    void binaryMessagesAreEchoed() {
        playAndCloseNormally("binary");
    }

    @Test
    void largeMessagesUpToTheLimitAreEchoed() {
        playAndCloseNormally("large");
    }

    @Test
    void fragmentedMessagesAreEchoedWhole() {
        playAndCloseNormally("fragmented");
    }

    @Test
    void serverAnswersPingsWithPongs() {
        playAndCloseNormally("ping");
    }

    @Test
    void clientAnswersServerPings() {
        playAndCloseNormally("server-ping");
    }

    @Test
    void clientClosesWith4000AndReason() {
        Connection connection = play("/echo", "close-by-client");
        ServerSide.assertClosedCleanly(server.awaitClose(connection), 4000, "client bye", "close-by-client");
    }

    @Test
    void serverClosesWith4001AndReason() {
        Connection connection = play("/echo", "close-by-server");
        ServerSide.assertClosedCleanly(server.awaitClose(connection), 4001, "closing as asked", "close-by-server");
    }

    @Test
    void upgradeHookChoosesTheSubprotocol() {
        Connection connection = play("/proto", "subprotocol");
        ServerSide.assertClosedCleanly(server.awaitClose(connection), 1000, "done", "subprotocol");
    }
}
