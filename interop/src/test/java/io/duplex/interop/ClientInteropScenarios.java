package io.duplex.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.client.CloseEvent;
import io.duplex.client.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The Duplex client ({@link WebSocket}, in-process) against one real server written by others, started as
 * a child process: the scenarios every server gets. Each subclass starts its server; the servers share one
 * contract (see {@link ExternalServer} and their header comments). Each scenario connects to its own path,
 * so that the server's "closed PATH CODE REASON" line tells how the server saw that connection end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
abstract class ClientInteropScenarios {

    /** What the servers send for "please fragment text": 5100 bytes, a 17-byte pattern with 2- and 4-byte characters. */
    static final String FRAGMENTED_TEXT = "fragment \uD834\uDD1E \u00FC ".repeat(300);

    private ExternalServer server;

    /** Starts this class's server (building it first if needed). */
    abstract ExternalServer startServer() throws Exception;

    @BeforeAll
    final void start() throws Exception {
        server = startServer();
        System.getLogger(getClass().getName()).log(System.Logger.Level.INFO, "server: " + server.description());
    }

    @AfterAll
    final void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** The server, started. */
    ExternalServer server() {
        return server;
    }

    private static byte[] pseudoRandom(int length, int seed) {
        byte[] bytes = new byte[length];
        int x = seed;
        for (int i = 0; i < length; i++) {
            x = x * 1664525 + 1013904223;
            bytes[i] = (byte) (x >>> 24);
        }
        return bytes;
    }

    private static void echoes(DuplexClient client, Object message) throws InterruptedException {
        switch (message) {
            case String text -> {
                client.socket().send(text);
                assertThat(client.nextMessage()).as("echo of a text of %d chars", text.length()).isEqualTo(text);
            }
            case byte[] bytes -> {
                client.socket().send(bytes);
                Object echo = client.nextMessage();
                assertThat(echo).as("echo of %d binary bytes", bytes.length).isInstanceOf(byte[].class);
                assertThat(Arrays.equals((byte[]) echo, bytes)).as("echo of %d binary bytes is equal", bytes.length)
                        .isTrue();
            }
            default -> throw new IllegalArgumentException("not a message: " + message);
        }
    }

    /** Closes with 1000 "done" and checks both sides saw a clean close. */
    private void closeNormally(DuplexClient client, String path) throws InterruptedException {
        client.socket().close(1000, "done");
        CloseEvent close = client.awaitClose();
        assertThat(close.code()).as("client's close code; %s", close).isEqualTo(1000);
        assertThat(close.wasClean()).as("wasClean; %s", close).isTrue();
        assertThat(server.awaitClosed(path)).as("how the server saw the close").isEqualTo("1000 done");
    }

    @Test
    void textMessagesAreEchoed() throws Exception {
        try (DuplexClient client = DuplexClient.open(server.url("/text"))) {
            for (String text : new String[] {"Hello, Duplex", "", "ünïcödé ✓ \uD834\uDD1E — 日本語"}) {
                echoes(client, text);
            }
            closeNormally(client, "/text");
        }
    }

    @Test
    void binaryMessagesAreEchoed() throws Exception {
        byte[] allBytes = new byte[256];
        for (int i = 0; i < allBytes.length; i++) {
            allBytes[i] = (byte) i;
        }
        try (DuplexClient client = DuplexClient.open(server.url("/binary"))) {
            echoes(client, allBytes);
            echoes(client, new byte[0]);
            echoes(client, pseudoRandom(70_000, 1));
            closeNormally(client, "/binary");
        }
    }

    @Test
    void largeMessagesAreEchoed() throws Exception {
        try (DuplexClient client = DuplexClient.open(server.url("/large"))) {
            echoes(client, pseudoRandom(2 << 20, 7));
            echoes(client, "abc✓".repeat((3 << 20) / 12)); // 1.5 MiB of UTF-8
            closeNormally(client, "/large");
        }
    }

    @Test
    void fragmentedTextFromTheServerArrivesWhole() throws Exception {
        try (DuplexClient client = DuplexClient.open(server.url("/fragmented-text"))) {
            assertThat(FRAGMENTED_TEXT.getBytes(StandardCharsets.UTF_8)).hasSize(5100);
            client.socket().send("please fragment text");
            assertThat(client.nextMessage()).isEqualTo(FRAGMENTED_TEXT);
            closeNormally(client, "/fragmented-text");
        }
    }

    @Test
    void fragmentedBinaryFromTheServerArrivesWhole() throws Exception {
        byte[] expected = new byte[5000];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) i;
        }
        try (DuplexClient client = DuplexClient.open(server.url("/fragmented-binary"))) {
            client.socket().send("please fragment binary");
            Object message = client.nextMessage();
            assertThat(message).isInstanceOf(byte[].class);
            assertThat(Arrays.equals((byte[]) message, expected)).as("5000 bytes 0, 1, ... 255, 0, ...").isTrue();
            closeNormally(client, "/fragmented-binary");
        }
    }

    @Test
    void theServerChoosesTheSubprotocolItPrefersAmongTheOffered() throws Exception {
        // The client's order puts duplex.v1 first; the servers prefer duplex.v2.
        try (DuplexClient client = DuplexClient.open(server.url("/subprotocol"), "duplex.v1", "duplex.v2")) {
            assertThat(client.socket().protocol()).isEqualTo("duplex.v2");
            echoes(client, "speaking duplex.v2");
            closeNormally(client, "/subprotocol");
        }
    }

    @Test
    void noSubprotocolWhenTheServerSupportsNoneOffered() throws Exception {
        try (DuplexClient client = DuplexClient.open(server.url("/no-subprotocol"), "chat")) {
            assertThat(client.socket().protocol()).isEmpty();
            echoes(client, "no subprotocol");
            closeNormally(client, "/no-subprotocol");
        }
    }

    @Test
    void clientClosesWith4000AndAReasonAndTheServerSeesThem() throws Exception {
        try (DuplexClient client = DuplexClient.open(server.url("/client-close"))) {
            client.socket().close(4000, "client done ✓");
            assertThat(client.socket().readyState()).isEqualTo(WebSocket.CLOSING);
            CloseEvent close = client.awaitClose();
            // The server echoes the code (RFC 6455 5.5.1); whether it echoes the reason is up to it.
            assertThat(close.code()).as("%s", close).isEqualTo(4000);
            assertThat(close.wasClean()).as("%s", close).isTrue();
            assertThat(server.awaitClosed("/client-close")).isEqualTo("4000 client done ✓");
        }
    }

    @Test
    void serverClosesWith4001AndAReasonAndTheClientSeesThem() throws Exception {
        try (DuplexClient client = DuplexClient.open(server.url("/server-close"))) {
            client.socket().send("please close");
            CloseEvent close = client.awaitClose();
            assertThat(close.code()).as("%s", close).isEqualTo(4001);
            assertThat(close.reason()).isEqualTo("closing as asked");
            assertThat(close.wasClean()).as("%s", close).isTrue();
            assertThat(client.socket().readyState()).isEqualTo(WebSocket.CLOSED);
            // The Duplex client answers with the same code (RFC 6455 5.5.1).
            assertThat(server.awaitClosed("/server-close")).startsWith("4001");
        }
    }
}
