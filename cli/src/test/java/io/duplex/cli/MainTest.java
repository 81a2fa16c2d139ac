package io.duplex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link Main}'s exit codes and output: 0 for success and help, 1 for failures, 2 for bad usage. */
@Timeout(60)
class MainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void versionPrintsTheDuplexVersionAndExitsZero() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("duplex 0.1.0-SNAPSHOT" + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void helpListsTheCommandsAndExitsZero() {
        assertThat(run("-h")).isZero();
        assertThat(out.toString()).contains("Usage: duplex", "serve", "conformance-client", "--version");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void serveHelpListsItsOptionsAndExitsZero() {
        assertThat(run("serve", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: duplex serve", "--host", "--port", "--echo", "--max-message",
                "--tls-cert", "--tls-key", "--unix", "default: 127.0.0.1", "default: 8080");
    }

    @Test
    void conformanceClientHelpListsItsOptionsAndExitsZero() {
        assertThat(run("conformance-client", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: duplex conformance-client", "URL", "--agent", "--case-timeout",
                "--max-message", "default: 60", "default: 64MiB");
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(run()).isEqualTo(Main.EXIT_USAGE).isEqualTo(2);
        assertThat(err.toString()).contains("Missing command", "Usage: duplex");
    }

    @Test
    void unknownCommandOrOptionIsAUsageError() {
        assertThat(run("serve-forever")).isEqualTo(2);
        assertThat(err.toString()).contains("serve-forever");
        assertThat(run("serve", "--colour")).isEqualTo(2);
        assertThat(err.toString()).contains("--colour", "Usage: duplex serve");
    }

    @Test
    void malformedValuesAreUsageErrorsNamingTheValue() {
        assertThat(run("serve", "--max-message", "lots")).isEqualTo(2);
        assertThat(err.toString()).contains("'lots'");
        assertThat(run("serve", "--port", "http")).isEqualTo(2);
        assertThat(err.toString()).contains("'http'");
        assertThat(run("serve", "--port", "70000")).isEqualTo(2);
        assertThat(err.toString()).contains("port 70000 is outside 0-65535");
    }

    @Test
    void oneTlsFileWithoutTheOtherIsAUsageError() {
        assertThat(run("serve", "--tls-cert", "cert.pem")).isEqualTo(2);
        assertThat(err.toString()).contains("--tls-key");
    }

    @Test
    void unixSocketWithPortOrTlsIsAUsageError() {
        assertThat(run("serve", "--unix", "/tmp/x.sock", "--port", "9000")).isEqualTo(2);
        assertThat(err.toString()).contains("--unix cannot be combined with --port");
        assertThat(run("serve", "--unix", "/tmp/x.sock", "--tls-cert", "c.pem", "--tls-key", "k.pem")).isEqualTo(2);
        assertThat(err.toString()).contains("--unix cannot be combined with --tls-cert");
    }

    @Test
    void portInUseFailsWithOneLineAndExitCodeOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThat(run("serve", "--port", Integer.toString(port))).isEqualTo(Main.EXIT_FAILURE).isEqualTo(1);
            assertThat(err.toString().lines()).singleElement().asString()
                    .startsWith("duplex: cannot listen on 127.0.0.1:" + port + ": ");
            assertThat(out.toString()).isEmpty();
        }
    }

    @Test
    void unreadableTlsFilesFailWithOneLineAndExitCodeOne(@TempDir Path dir) throws Exception {
        Path certificate = dir.resolve("missing-cert.pem");
        Path key = Files.writeString(dir.resolve("key.pem"), "not a key\n");
        assertThat(run("serve", "--port", "0", "--tls-cert", certificate.toString(), "--tls-key", key.toString()))
                .isEqualTo(1);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("duplex: cannot load TLS certificate " + certificate + " and key " + key + ": ")
                .contains("missing-cert.pem");
    }

    @Test
    void unknownHostFailsWithOneLineAndExitCodeOne() {
        assertThat(run("serve", "--host", "no-such-host.invalid", "--port", "0")).isEqualTo(1);
        assertThat(err.toString().lines()).singleElement().asString()
                .startsWith("duplex: cannot resolve host no-such-host.invalid: ");
    }
}
