package io.duplex.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.cli.Main;
import io.duplex.cli.internal.CaseServer.Received;
import io.duplex.cli.internal.CaseServer.Step;
import io.duplex.core.CloseStatus;
import io.duplex.core.Opcode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code duplex conformance-client} run in-process ({@link Main#execute}) against {@link CaseServer}, a
 * stand-in for a fuzzing server that records what the client echoed.
 */
@Timeout(120)
class ConformanceClientCommandTest {

    private static final String UNICODE = "ünïcödé € 𝄞";
    // Over the client's default 16 MiB message limit: passes only because the command raises it.
    private static final byte[] LARGE = pseudoRandom(20 << 20);
    private static final String LARGE_TEXT = "é".repeat(2 << 20); // 4 MiB of UTF-8

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private static byte[] pseudoRandom(int length) {
        byte[] bytes = new byte[length];
        int x = 1;
        for (int i = 0; i < length; i++) {
            x = x * 1664525 + 1013904223;
            bytes[i] = (byte) (x >>> 24);
        }
        return bytes;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Received.Binary binary(byte[] bytes) {
        return new Received.Binary(ByteBuffer.wrap(bytes));
    }

    private static Received.Pong pong(String data) {
        return new Received.Pong(ByteBuffer.wrap(utf8(data)));
    }

    private static List<Received> messages(CaseServer.Run run) {
        return run.received().stream().filter(r -> !(r instanceof Received.Pong)).toList();
    }

    private static List<Received> pongs(CaseServer.Run run) {
        return run.received().stream().filter(r -> r instanceof Received.Pong).toList();
    }

    @Test
    void everyCaseIsEchoedAndTheReportsAreUpdatedForTheAgent() throws Exception {
        byte[] allBytes = new byte[256];
        for (int i = 0; i < 256; i++) {
            allBytes[i] = (byte) i;
        }
        byte[] fragmentedText = utf8("fragmented " + UNICODE);
        // Cuts inside two-byte and four-byte characters: the client must reassemble before decoding.
        List<byte[]> textPieces = List.of(Arrays.copyOfRange(fragmentedText, 0, 12),
                Arrays.copyOfRange(fragmentedText, 12, 27), Arrays.copyOfRange(fragmentedText, 27, fragmentedText.length));
        List<List<Step>> cases = List.of(
                List.of(new Step.Text("Hello, conformance"), new Step.Text(UNICODE), new Step.Text(""),
                        new Step.Close(1000, "")),
                List.of(new Step.Binary(allBytes), new Step.Binary(new byte[0]), new Step.Close(1000, "")),
                List.of(new Step.Fragmented(Opcode.TEXT, textPieces),
                        new Step.Fragmented(Opcode.BINARY, List.of(new byte[] {1, 2, 3}, new byte[0], new byte[] {4, 5})),
                        new Step.Close(1000, "")),
                List.of(new Step.Ping("duplex"), new Step.Text("after the ping"), new Step.Close(1000, "")),
                List.of(new Step.Binary(LARGE), new Step.Text(LARGE_TEXT), new Step.Close(1000, "")),
                List.of(new Step.Text("bye"), new Step.Close(4002, "case closes")));

        try (CaseServer server = new CaseServer(cases)) {
            int code = run("conformance-client", server.url(), "--agent", "Duplex test/1.0");

            String output = out.toString();
            assertThat(code).as("exit code; stdout:%n%s%nstderr:%n%s%nserver errors: %s", output, err, server.errors())
                    .isZero();
            assertThat(server.countRequests()).isEqualTo(1);
            assertThat(output).contains("Running 6 cases against " + server.url() + " as agent Duplex test/1.0");
            assertThat(output).containsPattern("case 1/6: code 1000 clean, \\d+ ms")
                    .containsPattern("case 5/6: code 1000 clean, \\d+ ms")
                    .containsPattern("case 6/6: code 4002 clean, \\d+ ms")
                    .containsPattern("6 cases in \\d+\\.\\d s: 6 closed cleanly, 0 not cleanly, 0 timed out, 0 did not open")
                    .contains("Reports updated for agent Duplex test/1.0");
            assertThat(err.toString()).isEmpty();

            for (int i = 1; i <= 6; i++) {
                assertThat(server.run(i).agent()).as("agent of case %d", i).isEqualTo("Duplex test/1.0");
                assertThat(server.run(i).problem()).as("server problem in case %d", i).isNull();
            }
            assertThat(server.run(1).received()).containsExactly(new Received.Text("Hello, conformance"),
                    new Received.Text(UNICODE), new Received.Text(""));
            assertThat(server.run(2).received()).containsExactly(binary(allBytes), binary(new byte[0]));
            // Pongs leave as the pings arrive and echoes once messages are dispatched, so only each kind's order is fixed.
            assertThat(messages(server.run(3))).containsExactly(new Received.Text("fragmented " + UNICODE),
                    binary(new byte[] {1, 2, 3, 4, 5}));
            assertThat(pongs(server.run(3))).containsExactly(pong("between 1"), pong("between 2"), pong("between 1"),
                    pong("between 2"));
            assertThat(messages(server.run(4))).containsExactly(new Received.Text("after the ping"));
            assertThat(pongs(server.run(4))).containsExactly(pong("duplex"));
            List<Received> large = server.run(5).received();
            assertThat(large).hasSize(2);
            assertThat(large.get(0)).as("20 MiB binary echo").isEqualTo(binary(LARGE));
            assertThat(large.get(1)).as("4 MiB text echo").isEqualTo(new Received.Text(LARGE_TEXT));
            assertThat(server.run(6).received()).containsExactly(new Received.Text("bye"));
            // The client answers the server's close frame with the same code (RFC 6455 5.5.1).
            assertThat(server.run(6).clientClose().code()).isEqualTo(4002);

            assertThat(server.nextReportAgent()).isEqualTo("Duplex test/1.0");
        }
    }

    @Test
    void aCaseThatNeverEndsIsClosedAtTheCaseTimeoutAndTheDefaultAgentIsDuplex() throws Exception {
        List<List<Step>> cases = List.of(List.of(new Step.Text("still here?"), new Step.Hang()));
        try (CaseServer server = new CaseServer(cases)) {
            int code = run("conformance-client", server.url() + "/", "--case-timeout", "1");

            String output = out.toString();
            assertThat(code).as("exit code; stdout:%n%s%nstderr:%n%s", output, err).isZero();
            String agent = "Duplex/" + VersionProvider.duplexVersion();
            assertThat(output).containsPattern("case 1/1: timed out, closed by the client; code 1000 clean, \\d+ ms")
                    .contains("1 cases in", "0 closed cleanly, 0 not cleanly, 1 timed out, 0 did not open");
            CaseServer.Run run = server.run(1);
            assertThat(run.agent()).isEqualTo(agent).startsWith("Duplex/0.");
            assertThat(run.received()).containsExactly(new Received.Text("still here?"));
            assertThat(run.clientClose()).isEqualTo(new CloseStatus(1000, "case timeout"));
            assertThat(server.nextReportAgent()).isEqualTo(agent);
        }
    }

    @Test
    void anUnreachableServerExitsOneNamingTheUrl() throws Exception {
        int port;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = taken.getLocalPort();
        }
        int code = run("conformance-client", "ws://127.0.0.1:" + port);

        assertThat(code).isEqualTo(Main.EXIT_FAILURE).isEqualTo(1);
        assertThat(err.toString()).startsWith("duplex: cannot connect to ws://127.0.0.1:" + port + "/getCaseCount: ");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aUrlThatIsNotAWebSocketUrlIsAUsageError() {
        assertThat(run("conformance-client", "ftp://127.0.0.1:9001")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("ftp://127.0.0.1:9001", "Usage: duplex conformance-client");
    }

    @Test
    void missingUrlAndBadTimeoutAreUsageErrors() {
        assertThat(run("conformance-client")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("URL");
        assertThat(run("conformance-client", "ws://127.0.0.1:9", "--case-timeout", "0")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--case-timeout 0 must be at least 1 second");
    }
}
