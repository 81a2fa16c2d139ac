package io.duplex.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duplex.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TlsConfigTest {

    private static final TestCertificates CERTS = TestCertificates.shared();

    @Test
    void clientDefaults() {
        SSLContext context = CERTS.clientContext();
        TlsConfig config = TlsConfig.client(context, "example.com");

        assertThat(config.isServer()).isFalse();
        assertThat(config.peerHost()).isEqualTo("example.com");
        assertThat(config.context()).isSameAs(context);
        assertThat(config.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(config.applicationProtocols()).isEmpty();
        assertThat(config.hostnameVerification()).isTrue();
    }

    @Test
    void clientWithoutContextUsesTheJdkDefault() throws Exception {
        assertThat(TlsConfig.client("example.com").context()).isSameAs(SSLContext.getDefault());
    }

    @Test
    void serverDefaults() {
        TlsConfig config = TlsConfig.server(CERTS.serverContext());

        assertThat(config.isServer()).isTrue();
        assertThat(config.peerHost()).isNull();
        assertThat(config.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(config.applicationProtocols()).isEmpty();
        assertThat(config.hostnameVerification()).isFalse();
    }

    @Test
    void withMethodsReturnCopiesAndLeaveTheOriginal() {
        TlsConfig original = TlsConfig.client(CERTS.clientContext(), "localhost");

        TlsConfig changed = original.withProtocols("TLSv1.3").withApplicationProtocols("h2", "http/1.1")
                .withHostnameVerification(false);

        assertThat(changed).isNotSameAs(original);
        assertThat(changed.protocols()).containsExactly("TLSv1.3");
        assertThat(changed.applicationProtocols()).containsExactly("h2", "http/1.1");
        assertThat(changed.hostnameVerification()).isFalse();
        assertThat(changed.peerHost()).isEqualTo("localhost");
        assertThat(changed.context()).isSameAs(original.context());
        assertThat(original.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(original.applicationProtocols()).isEmpty();
        assertThat(original.hostnameVerification()).isTrue();
    }

    @Test
    void listsAreImmutable() {
        TlsConfig config = TlsConfig.client(CERTS.clientContext(), "localhost").withApplicationProtocols("http/1.1");

        assertThatThrownBy(() -> config.protocols().add("SSLv3")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> config.applicationProtocols().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void withProtocolsCopiesTheArray() {
        String[] protocols = {"TLSv1.3"};
        TlsConfig config = TlsConfig.client(CERTS.clientContext(), "localhost").withProtocols(protocols);
        protocols[0] = "TLSv1.2";

        assertThat(config.protocols()).containsExactly("TLSv1.3");
    }

    @Test
    void clientEngineSettings() {
        TlsConfig config = TlsConfig.client(CERTS.clientContext(), "localhost").withApplicationProtocols("http/1.1");

        SSLEngine engine = config.newEngine(8443);
        SSLParameters parameters = engine.getSSLParameters();

        assertThat(engine.getUseClientMode()).isTrue();
        assertThat(engine.getPeerHost()).isEqualTo("localhost");
        assertThat(engine.getPeerPort()).isEqualTo(8443);
        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(parameters.getApplicationProtocols()).containsExactly("http/1.1");
        assertThat(parameters.getServerNames()).containsExactly(new SNIHostName("localhost"));
        assertThat(parameters.getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
    }

    @Test
    void clientEngineWithoutHostnameVerificationHasNoEndpointIdentification() {
        SSLEngine engine = TlsConfig.client(CERTS.clientContext(), "localhost").withHostnameVerification(false).newEngine(-1);

        assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isNull();
        assertThat(engine.getSSLParameters().getServerNames()).containsExactly(new SNIHostName("localhost"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1", "[::1]", "fe80::1%eth0", "2001:db8::17"})
    void rfc6066Section3NoSniForIpLiterals(String ip) {
        SSLEngine engine = TlsConfig.client(CERTS.clientContext(), ip).newEngine(-1);

        assertThat(engine.getSSLParameters().getServerNames()).isNullOrEmpty();
        assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4.example", "256.1.1.1", "10.0.0", "a1.b2.c3.d4"})
    void dnsNamesThatLookNumericStillGetSni(String host) {
        SSLEngine engine = TlsConfig.client(CERTS.clientContext(), host).newEngine(-1);

        assertThat(engine.getSSLParameters().getServerNames()).containsExactly(new SNIHostName(host));
    }

    @Test
    void serverEngineSettings() {
        SSLEngine engine = TlsConfig.server(CERTS.serverContext()).withProtocols("TLSv1.3")
                .withApplicationProtocols("http/1.1").newEngine(-1);

        assertThat(engine.getUseClientMode()).isFalse();
        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3");
        assertThat(engine.getSSLParameters().getApplicationProtocols()).containsExactly("http/1.1");
        assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isNull();
    }

    @Test
    void unsupportedProtocolsAreDroppedFromTheEngine() {
        SSLEngine engine = TlsConfig.client(CERTS.clientContext(), "localhost").withProtocols("TLSv9", "TLSv1.2").newEngine(-1);

        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.2");
    }

    @Test
    void noSupportedProtocolFailsNamingTheValues() {
        TlsConfig config = TlsConfig.client(CERTS.clientContext(), "localhost").withProtocols("TLSv9", "SSLv1");

        assertThatThrownBy(() -> config.newEngine(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[TLSv9, SSLv1]")
                .hasMessageContaining("supported");
    }

    @Test
    void invalidArgumentsAreRejected() {
        TlsConfig config = TlsConfig.client(CERTS.clientContext(), "localhost");

        assertThatThrownBy(config::withProtocols).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no protocols");
        assertThatThrownBy(() -> config.withApplicationProtocols("http/1.1", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"\"");
        assertThatThrownBy(() -> config.withProtocols("TLSv1.3", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
        assertThatThrownBy(() -> TlsConfig.client(CERTS.clientContext(), "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TlsConfig.client(CERTS.clientContext(), null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> TlsConfig.server(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> TlsConfig.server(CERTS.serverContext()).withHostnameVerification(true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("server");
    }

    @Test
    void withoutAlpnTheEngineOffersNone() {
        SSLEngine engine = TlsConfig.client(CERTS.clientContext(), "localhost").newEngine(-1);

        assertThat(engine.getSSLParameters().getApplicationProtocols()).isEmpty();
    }

    @Test
    void serverFromPemMakesAServerConfig(@TempDir Path dir) throws Exception {
        TestCertificates files = TestCertificates.generate(dir);

        TlsConfig config = TlsConfig.serverFromPem(files.certificatePem(), files.privateKeyPem());

        assertThat(config.isServer()).isTrue();
        assertThat(config.newEngine(-1).getUseClientMode()).isFalse();
    }

    @Test
    void serverFromPemWithFilesSwappedNamesTheFileAndWhatItHolds(@TempDir Path dir) {
        TestCertificates files = TestCertificates.generate(dir);

        assertThatThrownBy(() -> TlsConfig.serverFromPem(files.privateKeyPem(), files.certificatePem()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(files.privateKeyPem().toString())
                .hasMessageContaining("found: PRIVATE KEY");
    }

    @Test
    void serverFromPemWithAMissingFile(@TempDir Path dir) throws IOException {
        TestCertificates files = TestCertificates.generate(dir);
        Path missing = dir.resolve("nope.pem");
        Files.deleteIfExists(missing);

        assertThatThrownBy(() -> TlsConfig.serverFromPem(files.certificatePem(), missing))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("nope.pem");
    }

    @Test
    void toStringShowsTheSettings() {
        assertThat(TlsConfig.client(CERTS.clientContext(), "localhost").withApplicationProtocols("http/1.1").toString())
                .contains("localhost", "TLSv1.3", "http/1.1", "hostnameVerification=true");
    }
}
