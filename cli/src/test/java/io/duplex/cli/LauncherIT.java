package io.duplex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.cli.internal.CaseServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./duplex} launcher at the repository root, run as a user would, from another directory. Runs
 * after {@code package} (failsafe), so the launcher finds {@code cli/target/duplex.jar} up to date and
 * starts it without building.
 */
@Timeout(180)
class LauncherIT {

    // Failsafe runs in the module's directory.
    private static final Path LAUNCHER = Path.of("").toAbsolutePath().getParent().resolve("duplex");

    private static final Pattern READY = Pattern.compile("Duplex listening on ws://127\\.0\\.0\\.1:(\\d+)/");

    private static Process start(Path workingDirectory, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(workingDirectory.toFile()).start();
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Test
    void launcherIsAnExecutableBashScript() throws IOException {
        assertThat(Files.getPosixFilePermissions(LAUNCHER)).contains(PosixFilePermission.OWNER_EXECUTE,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
        assertThat(Files.readAllLines(LAUNCHER).get(0)).isEqualTo("#!/usr/bin/env bash");
    }

    @Test
    void versionWorksFromAnotherDirectory(@TempDir Path elsewhere) throws Exception {
        Process process = start(elsewhere, "--version");
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        String stdout = readAll(process.getInputStream());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("launcher finished in time").isTrue();
        assertThat(process.exitValue()).as("exit code; stderr: %s", stderr.join()).isZero();
        assertThat(stdout).startsWith("duplex 0.1.0-SNAPSHOT\n");
        // The JVM it picked is bin/java-home's (>= 21), not the machine's default java.
        Matcher jvm = Pattern.compile("JVM (\\d+)").matcher(stdout);
        assertThat(jvm.find()).as("JVM line in %s", stdout).isTrue();
        assertThat(Integer.parseInt(jvm.group(1))).isGreaterThanOrEqualTo(21);
    }

    @Test
    void badUsageExitsTwo(@TempDir Path elsewhere) throws Exception {
        Process process = start(elsewhere, "serve", "--tls-cert", "only-one.pem");
        process.getInputStream().close();
        String stderr = readAll(process.getErrorStream());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(stderr).contains("--tls-key", "Usage: duplex serve");
    }

    @Test
    void serveEchoesAndStopsCleanlyOnSigterm(@TempDir Path elsewhere) throws Exception {
        Process process = start(elsewhere, "serve", "--port", "0", "--echo");
        try {
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            // Lines arrive on a reader thread; the test waits for each with a deadline. End of stream is "".
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader reader = process.inputReader(StandardCharsets.UTF_8)) {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("(stdout failed: " + e + ")");
                }
                lines.add("");
            });
            String first = lines.poll(120, TimeUnit.SECONDS);
            if (first == null || first.isEmpty()) {
                process.waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError("no ready line; stderr: " + (process.isAlive() ? "" : stderr.join()));
            }
            Matcher ready = READY.matcher(first);
            assertThat(ready.matches()).as("first line %s", first).isTrue();
            int port = Integer.parseInt(ready.group(1));

            // A masked text frame "hi" right behind the handshake; the echo is the unmasked frame 81 02 'h' 'i'.
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET /launcher HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[] {(byte) 0x81, (byte) 0x82, 1, 2, 3, 4, 'h' ^ 1, 'i' ^ 2});
                out.flush();
                String head = readHead(socket);
                assertThat(head).startsWith("HTTP/1.1 101 ")
                        .contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="); // RFC 6455 1.3's sample key and accept
                byte[] echo = socket.getInputStream().readNBytes(4);
                assertThat(echo).containsExactly(0x81, 0x02, 'h', 'i');
            }

            // SIGTERM; Process.destroy() would also close our end of its stdout before "Duplex stopped" is read.
            assertThat(process.toHandle().destroy()).isTrue();
            assertThat(lines.poll(30, TimeUnit.SECONDS)).isEqualTo("Duplex stopped");
            assertThat(lines.poll(30, TimeUnit.SECONDS)).as("end of stdout").isEmpty();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited in time after SIGTERM").isTrue();
            assertThat(stderr.join()).isEmpty();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void conformanceClientRunsTheCasesOfAServer(@TempDir Path elsewhere) throws Exception {
        List<List<CaseServer.Step>> cases = List.of(
                List.of(new CaseServer.Step.Text("launched"), new CaseServer.Step.Close(1000, "")),
                List.of(new CaseServer.Step.Binary(new byte[] {7, 8, 9}), new CaseServer.Step.Close(4003, "")));
        try (CaseServer server = new CaseServer(cases)) {
            Process process = start(elsewhere, "conformance-client", server.url(), "--agent", "launcher");
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            String stdout = readAll(process.getInputStream());
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("finished in time").isTrue();
            assertThat(process.exitValue()).as("exit code; stdout: %s; stderr: %s", stdout, stderr.join()).isZero();
            assertThat(stdout).containsPattern("case 1/2: code 1000 clean, \\d+ ms")
                    .containsPattern("case 2/2: code 4003 clean, \\d+ ms")
                    .contains("2 closed cleanly", "Reports updated for agent launcher");
            assertThat(server.run(1).received()).containsExactly(new CaseServer.Received.Text("launched"));
            assertThat(server.run(2).received()).containsExactly(
                    new CaseServer.Received.Binary(ByteBuffer.wrap(new byte[] {7, 8, 9})));
            assertThat(server.nextReportAgent()).isEqualTo("launcher");
            assertThat(stderr.join()).isEmpty();
        }
    }

    private static String readHead(Socket socket) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = socket.getInputStream().read();
            if (b < 0) {
                throw new IOException("connection closed inside the response head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
