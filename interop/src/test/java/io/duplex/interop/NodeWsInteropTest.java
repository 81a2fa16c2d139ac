package io.duplex.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.interop.EchoServer.Connection;
import io.duplex.server.CloseInfo;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Duplex server against Node.js's {@code ws} client (node/ws-client.mjs, version pinned in
 * node/package.json): one client process per scenario, against one Duplex echo server.
 */
class NodeWsInteropTest {

    private static final System.Logger LOG = System.getLogger(NodeWsInteropTest.class.getName());
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String SCRIPT = "node/ws-client.mjs";

    private static EchoServer server;

    @BeforeAll
    static void startServer() throws IOException {
        // First: the client exists (a missing node or npm package fails here, saying how to install it).
        String version = ExternalClient.node(SCRIPT, TIMEOUT, "-", "version").assertOk();
        LOG.log(System.Logger.Level.INFO, version);
        server = EchoServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** Runs {@code scenario} against {@code path}, asserts the client succeeded and returns the connection. */
    private static Connection play(String path, String scenario) {
        Connection connection = server.connection(path, scenario);
        String out = ExternalClient.node(SCRIPT, TIMEOUT, connection.url(), scenario, Integer.toString(EchoServer.LIMIT))
                .assertOk();
        assertThat(out).contains(scenario + ": ok");
        return connection;
    }

    /** Plays a scenario that ends with the client's close 1000 "done", and checks the server's side of it. */
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
    void manyMessagesAreEchoedInOrder() {
        playAndCloseNormally("many");
    }

    @Test
    void fragmentedMessagesWithAPingBetweenFragmentsAreEchoedWhole() {
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

    @Test
    void upgradeHookRejectionReachesTheClientAs403() {
        play("/forbidden", "rejected");
    }

    @Test
    void messageOverTheLimitIsClosedWith1009() {
        Connection connection = play("/echo", "oversize");
        CloseInfo close = server.awaitClose(connection);
        ServerSide.assertFailedWith(close, 1009, "oversize");
    }

    // RFC 6455 8.1: text that is not valid UTF-8 fails the connection with 1007.
    @Test
    void invalidUtf8InATextMessageIsClosedWith1007() {
        Connection connection = play("/echo", "invalid-utf8");
        ServerSide.assertFailedWith(server.awaitClose(connection), 1007, "invalid-utf8");
    }
}
