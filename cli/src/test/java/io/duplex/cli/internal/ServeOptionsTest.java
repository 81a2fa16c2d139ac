package io.duplex.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duplex.core.Limits;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;

/** How {@code duplex serve} reads its options (parsing only; nothing is started). */
class ServeOptionsTest {

    private static ServeCommand parse(String... args) {
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void defaultsAreLoopbackPort8080DemoDefaultLimitsNoTlsTcp() {
        ServeCommand command = parse();
        assertThat(command.host()).isEqualTo("127.0.0.1");
        assertThat(command.port()).isEqualTo(8080);
        assertThat(command.echo()).isFalse();
        assertThat(command.limits()).isEqualTo(Limits.DEFAULT);
        assertThat(command.tlsCertificate()).isNull();
        assertThat(command.tlsKey()).isNull();
        assertThat(command.unix()).isNull();
    }

    @Test
    void readsHostPortAndEcho() {
        ServeCommand command = parse("--host", "::1", "--port", "0", "--echo");
        assertThat(command.host()).isEqualTo("::1");
        assertThat(command.port()).isZero();
        assertThat(command.echo()).isTrue();
        ServeCommand equalsForm = parse("--host=0.0.0.0", "--port=9001");
        assertThat(equalsForm.host()).isEqualTo("0.0.0.0");
        assertThat(equalsForm.port()).isEqualTo(9001);
    }

    @Test
    void maxMessageSetsTheFrameAndMessageLimitsOnly() {
        Limits limits = parse("--max-message", "64KiB").limits();
        assertThat(limits.maxFramePayload()).isEqualTo(65536);
        assertThat(limits.maxMessageSize()).isEqualTo(65536);
        assertThat(limits.maxHandshakeSize()).isEqualTo(Limits.DEFAULT.maxHandshakeSize());
        assertThat(limits.maxHeaderLineLength()).isEqualTo(Limits.DEFAULT.maxHeaderLineLength());
        assertThat(limits.maxHeaderCount()).isEqualTo(Limits.DEFAULT.maxHeaderCount());
        assertThat(parse("--max-message", "1m").limits().maxMessageSize()).isEqualTo(1 << 20);
    }

    @Test
    void maxMessageRejectsAMalformedSizeNamingIt() {
        assertThatThrownBy(() -> parse("--max-message", "64 parsecs"))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("'64 parsecs'");
    }

    @Test
    void tlsNeedsBothFiles() {
        ServeCommand command = parse("--tls-cert", "cert.pem", "--tls-key", "key.pem");
        assertThat(command.tlsCertificate()).isEqualTo(Path.of("cert.pem"));
        assertThat(command.tlsKey()).isEqualTo(Path.of("key.pem"));
        assertThatThrownBy(() -> parse("--tls-cert", "cert.pem"))
                .isInstanceOf(MissingParameterException.class)
                .hasMessageContaining("--tls-key");
        assertThatThrownBy(() -> parse("--tls-key", "key.pem"))
                .isInstanceOf(MissingParameterException.class)
                .hasMessageContaining("--tls-cert");
    }

    @Test
    void readsAUnixSocketPath() {
        assertThat(parse("--unix", "/tmp/duplex.sock").unix()).isEqualTo(Path.of("/tmp/duplex.sock"));
    }

    @Test
    void bracketsIpv6LiteralsInUrls() {
        assertThat(ServeCommand.hostForUrl("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(ServeCommand.hostForUrl("localhost")).isEqualTo("localhost");
        assertThat(ServeCommand.hostForUrl("::1")).isEqualTo("[::1]");
        assertThat(ServeCommand.hostForUrl("[::1]")).isEqualTo("[::1]");
    }
}
