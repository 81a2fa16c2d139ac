package io.duplex.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.interop.EchoServer.Connection;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Duplex server against a browser: Debian's Chromium, headless, driven by playwright-core
 * (node/browser.mjs). Playwright launches /usr/bin/chromium; it never downloads a browser.
 */
class ChromiumInteropTest {

    private static final System.Logger LOG = System.getLogger(ChromiumInteropTest.class.getName());
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String SCRIPT = "node/browser.mjs";

    @BeforeAll
    static void browserIsThere() {
        ExternalClient.requireChromium();
        String version = ExternalClient.node(SCRIPT, TIMEOUT, "-", "version").assertOk();
        LOG.log(System.Logger.Level.INFO, version);
    }

    /** The page `duplex serve` shows at / opens a WebSocket to /echo, round-trips a message and says so. */
    @Test
    void demoPageOfDuplexServeCompletesARoundTrip() throws IOException {
        try (DemoServer demo = DemoServer.start()) {
            ExternalClient.Result result = ExternalClient.node(SCRIPT, TIMEOUT, demo.pageUrl(), "demo");
            assertThat(result.timedOut() || result.exitCode() != 0)
                    .as("the demo page did not complete its round trip\n%s%s", result.describe(), demo.describe())
                    .isFalse();
        }
    }

    /** The web platform's WebSocket API, from a blank page: text, ArrayBuffer, close 4000 with a reason. */
    @Test
    void browserWebSocketEchoesTextAndBinaryAndClosesWith4000() throws IOException {
        try (EchoServer server = EchoServer.start()) {
            Connection connection = server.connection("/echo", "browser");
            String out = ExternalClient.node(SCRIPT, TIMEOUT, connection.url(), "echo").assertOk();
            assertThat(out).contains("echo: ok");
            ServerSide.assertClosedCleanly(server.awaitClose(connection), 4000, "browser bye", out);
        }
    }
}
