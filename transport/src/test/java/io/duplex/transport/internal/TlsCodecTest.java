package io.duplex.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duplex.testkit.TestCertificates;
import io.duplex.transport.TlsConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TlsCodecTest {

    private static final TestCertificates CERTS = TestCertificates.shared();

    private static TlsConfig server() {
        return TlsConfig.server(CERTS.serverContext());
    }

    private static TlsConfig client() {
        return TlsConfig.client(CERTS.clientContext(), "localhost");
    }

    private static TlsPair pair(String protocol) {
        return new TlsPair(client().withProtocols(protocol), server());
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void handshakeCompletesOnBothSides(String protocol) throws SSLException {
        TlsPair pair = pair(protocol).handshake();

        assertThat(pair.client.isHandshakeComplete()).isTrue();
        assertThat(pair.server.isHandshakeComplete()).isTrue();
        assertThat(pair.client.session().getProtocol()).isEqualTo(protocol);
        assertThat(pair.server.session().getProtocol()).isEqualTo(protocol);
        assertThat(pair.client.hasNetOutput()).isFalse();
        assertThat(pair.client.pendingNetOutputBytes()).isZero();
        assertThat(pair.client.applicationProtocol()).isEmpty();
        assertThat(pair.client.heldInboundBytes()).isZero();
        assertThat(pair.server.heldInboundBytes()).isZero();
    }

    @Test
    void clientHelloIsProducedByBeginHandshakeAndServerWaits() throws SSLException {
        TlsPair pair = pair("TLSv1.3");
        pair.client.beginHandshake();
        pair.server.beginHandshake();

        assertThat(pair.client.pendingNetOutputBytes()).isPositive();
        ByteBuffer hello = pair.client.pollNetOutput();
        assertThat(hello.get(0)).as("content type handshake(22)").isEqualTo((byte) 22);
        assertThat(pair.server.hasNetOutput()).isFalse();
        assertThat(pair.client.isHandshakeComplete()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void applicationDataFlowsBothWays(String protocol) throws SSLException {
        TlsPair pair = pair(protocol).handshake();

        pair.client.send(text("hello server"));
        pair.server.send(text("hello client"));
        pair.pump();

        assertThat(pair.serverReceived.toString(StandardCharsets.UTF_8)).isEqualTo("hello server");
        assertThat(pair.clientReceived.toString(StandardCharsets.UTF_8)).isEqualTo("hello client");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void oneMebibyteEachWay(String protocol) throws SSLException {
        TlsPair pair = pair(protocol).handshake();
        byte[] up = random(1 << 20, 1);
        byte[] down = random(1 << 20, 2);

        ByteBuffer source = ByteBuffer.wrap(up);
        pair.client.send(source);
        pair.server.send(ByteBuffer.wrap(down));
        assertThat(source.hasRemaining()).as("send consumes its input").isFalse();
        // TLS adds a few dozen bytes per 16 KiB record: at most 64 records' worth of overhead.
        assertThat(pair.client.pendingNetOutputBytes()).isBetween((long) up.length, up.length + 64L * 100);
        pair.pump();

        assertThat(pair.serverReceived.toByteArray()).isEqualTo(up);
        assertThat(pair.clientReceived.toByteArray()).isEqualTo(down);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void handshakeAndDataInOneByteCiphertextChunks(String protocol) throws SSLException {
        TlsPair pair = pair(protocol);
        pair.chunk = 1;
        pair.handshake();
        // 40 000 bytes span three records, so records are both cut and completed across calls.
        byte[] up = random(40_000, 3);
        byte[] down = random(40_000, 4);

        pair.client.send(ByteBuffer.wrap(up));
        pair.server.send(ByteBuffer.wrap(down));
        pair.pump();

        assertThat(pair.client.isHandshakeComplete()).isTrue();
        assertThat(pair.serverReceived.toByteArray()).isEqualTo(up);
        assertThat(pair.clientReceived.toByteArray()).isEqualTo(down);
        assertThat(pair.server.heldInboundBytes()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 5, 6, 7, 1000, 16_388, 16_389, 20_000, 65_536})
    void dataInChunksOfAnySize(int chunk) throws SSLException {
        TlsPair pair = pair("TLSv1.3");
        pair.chunk = chunk;
        pair.handshake();
        byte[] up = random(200_000, chunk);

        pair.client.send(ByteBuffer.wrap(up));
        pair.pump();

        assertThat(pair.serverReceived.toByteArray()).isEqualTo(up);
    }

    @Test
    void partialRecordIsHeldOnlyUntilItCompletes() throws SSLException {
        TlsPair pair = pair("TLSv1.3").handshake();
        pair.client.send(text("x".repeat(100)));
        ByteBuffer record = pair.client.pollNetOutput();
        ByteBuffer first = record.slice(0, 10);
        ByteBuffer rest = record.slice(10, record.remaining() - 10);

        pair.server.receive(first, data -> { });
        assertThat(first.hasRemaining()).isFalse();
        assertThat(pair.server.heldInboundBytes()).isEqualTo(10);
        pair.server.receive(rest, data -> pair.serverReceived.writeBytes(copy(data)));

        assertThat(pair.server.heldInboundBytes()).isZero();
        assertThat(pair.serverReceived.toString(StandardCharsets.UTF_8)).isEqualTo("x".repeat(100));
    }

    @Test
    void manyRecordsInOneReceiveCall() throws SSLException {
        TlsPair pair = pair("TLSv1.3").handshake();
        for (int i = 0; i < 50; i++) {
            pair.client.send(text("message " + i + ";"));
        }
        ByteBuffer all = ByteBuffer.allocate((int) pair.client.pendingNetOutputBytes());
        ByteBuffer out;
        while ((out = pair.client.pollNetOutput()) != null) {
            all.put(out);
        }
        all.flip();

        pair.server.receive(all, data -> pair.serverReceived.writeBytes(copy(data)));

        assertThat(all.hasRemaining()).isFalse();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            expected.append("message ").append(i).append(';');
        }
        assertThat(pair.serverReceived.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
    }

    @Test
    void gatheringSendKeepsBufferOrder() throws SSLException {
        TlsPair pair = pair("TLSv1.3").handshake();
        ByteBuffer[] parts = {text("one,"), ByteBuffer.allocate(0), text("two,"), ByteBuffer.wrap(random(30_000, 5)), text("three")};
        byte[] expected = concat(parts);

        pair.client.send(parts);
        pair.pump();

        assertThat(parts).allMatch(b -> !b.hasRemaining());
        assertThat(pair.serverReceived.toByteArray()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void dataSentBeforeHandshakeCompletesIsDeliveredAfterIt(String protocol) throws SSLException {
        TlsPair pair = pair(protocol);
        // The client sends before even starting: send starts the handshake itself.
        pair.client.send(text("early from client"));
        assertThat(pair.client.hasNetOutput()).as("ClientHello").isTrue();
        assertThat(pair.client.isHandshakeComplete()).isFalse();
        pair.deliver(pair.client, pair.server, pair.serverReceived);
        // The server has answered the ClientHello but is not done yet.
        assertThat(pair.server.isHandshakeComplete()).isFalse();
        pair.server.send(text("early from server"));
        pair.pump();

        assertThat(pair.serverReceived.toString(StandardCharsets.UTF_8)).isEqualTo("early from client");
        assertThat(pair.clientReceived.toString(StandardCharsets.UTF_8)).isEqualTo("early from server");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void clientCloseNotifyReachesServer(String protocol) throws SSLException {
        TlsPair pair = pair(protocol).handshake();
        pair.client.send(text("last words"));

        pair.client.closeOutbound();
        assertThat(pair.client.isOutboundDone()).isTrue();
        pair.pump();

        assertThat(pair.serverReceived.toString(StandardCharsets.UTF_8)).isEqualTo("last words");
        assertThat(pair.server.isInboundDone()).isTrue();
        pair.server.closeOutbound();
        pair.pump();
        assertThat(pair.client.isInboundDone()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void serverCloseNotifyReachesClient(String protocol) throws SSLException {
        TlsPair pair = pair(protocol).handshake();
        pair.server.send(text("bye"));

        pair.server.closeOutbound();
        pair.pump();

        assertThat(pair.clientReceived.toString(StandardCharsets.UTF_8)).isEqualTo("bye");
        assertThat(pair.client.isInboundDone()).isTrue();
        pair.client.closeOutbound();
        pair.pump();
        assertThat(pair.server.isInboundDone()).isTrue();
    }

    @Test
    void tls13CloseNotifyIsHalfCloseSoThePeerMayStillSend() throws SSLException {
        // RFC 8446 6.1: each party sends close_notify before closing its own write side; reading goes on.
        TlsPair pair = pair("TLSv1.3").handshake();
        pair.client.closeOutbound();
        pair.pump();
        assertThat(pair.server.isInboundDone()).isTrue();
        assertThat(pair.client.isInboundDone()).isFalse();

        pair.server.send(text("still talking"));
        pair.pump();

        assertThat(pair.clientReceived.toString(StandardCharsets.UTF_8)).isEqualTo("still talking");
        assertThat(pair.client.isInboundDone()).isFalse();
    }

    @Test
    void tls12CloseNotifyIsAnsweredWithCloseNotify() throws SSLException {
        // RFC 5246 7.2.1: "The other party MUST respond with a close_notify alert of its own".
        TlsPair pair = pair("TLSv1.2").handshake();
        pair.client.closeOutbound();
        pair.pump();

        assertThat(pair.server.isInboundDone()).isTrue();
        assertThat(pair.client.isInboundDone()).isTrue();
        assertThat(pair.server.isOutboundDone()).isTrue();
        assertThatThrownBy(() -> pair.server.send(text("late"))).isInstanceOf(SSLException.class);
    }

    @Test
    void closeOutboundTwiceQueuesOneCloseNotify() throws SSLException {
        TlsPair pair = pair("TLSv1.3").handshake();
        pair.client.closeOutbound();
        long afterFirst = pair.client.pendingNetOutputBytes();
        pair.client.closeOutbound();

        assertThat(afterFirst).isPositive();
        assertThat(pair.client.pendingNetOutputBytes()).isEqualTo(afterFirst);
    }

    @Test
    void sendAfterCloseOutboundFails() throws SSLException {
        TlsPair pair = pair("TLSv1.3").handshake();
        pair.client.closeOutbound();

        assertThatThrownBy(() -> pair.client.send(text("late")))
                .isInstanceOf(SSLException.class)
                .hasMessageContaining("4 bytes")
                .hasMessageContaining("close_notify");
    }

    @Test
    void bytesAfterCloseNotifyAreIgnored() throws SSLException {
        TlsPair pair = pair("TLSv1.3").handshake();
        pair.client.closeOutbound();
        pair.pump();
        ByteBuffer garbage = ByteBuffer.wrap(random(100, 6));

        pair.server.receive(garbage, data -> pair.serverReceived.writeBytes(copy(data)));

        assertThat(garbage.hasRemaining()).isFalse();
        assertThat(pair.serverReceived.size()).isZero();
    }

    @Test
    void hostnameVerificationFailureFailsTheClientAndAlertsTheServer() throws SSLException {
        TlsPair pair = new TlsPair(TlsConfig.client(CERTS.clientContext(), "wrong.example"), server());

        assertThatThrownBy(pair::handshake)
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("wrong.example");

        assertThat(pair.client.isHandshakeComplete()).isFalse();
        assertThat(pair.client.hasNetOutput()).as("alert for the server").isTrue();
        assertThatThrownBy(() -> pair.deliver(pair.client, pair.server, pair.serverReceived))
                .isInstanceOf(SSLException.class)
                .hasMessageContaining("alert");
        assertThatThrownBy(() -> pair.client.receive(ByteBuffer.allocate(1), data -> { }))
                .isInstanceOf(SSLException.class)
                .hasMessageContaining("already failed");
    }

    @Test
    void hostnameVerificationOffAcceptsAnotherName() throws SSLException {
        TlsConfig clientConfig = TlsConfig.client(CERTS.clientContext(), "wrong.example").withHostnameVerification(false);
        TlsPair pair = new TlsPair(clientConfig, server()).handshake();

        assertThat(pair.client.isHandshakeComplete()).isTrue();
    }

    @Test
    void ipLiteralInTheCertificateVerifies() throws SSLException {
        TlsPair pair = new TlsPair(TlsConfig.client(CERTS.clientContext(), "127.0.0.1"), server()).handshake();

        assertThat(pair.client.isHandshakeComplete()).isTrue();
    }

    @Test
    void untrustedCertificateFails() throws Exception {
        SSLContext trustsNothingOfOurs = SSLContext.getInstance("TLS");
        trustsNothingOfOurs.init(null, null, null);
        TlsPair pair = new TlsPair(TlsConfig.client(trustsNothingOfOurs, "localhost"), server());

        assertThatThrownBy(pair::handshake)
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("certification path");
    }

    @Test
    void alpnNegotiatesHttp11() throws SSLException {
        TlsPair pair = new TlsPair(client().withApplicationProtocols("h2", "http/1.1"),
                server().withApplicationProtocols("http/1.1")).handshake();

        assertThat(pair.client.applicationProtocol()).isEqualTo("http/1.1");
        assertThat(pair.server.applicationProtocol()).isEqualTo("http/1.1");
    }

    @Test
    void alpnWithNoCommonProtocolFails() {
        TlsPair pair = new TlsPair(client().withApplicationProtocols("h2"), server().withApplicationProtocols("http/1.1"));

        assertThatThrownBy(pair::handshake)
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("no_application_protocol");
    }

    @Test
    void tls13KeyUpdateMidStream() throws SSLException {
        TlsPair pair = pair("TLSv1.3").handshake();
        pair.client.send(text("before;"));
        pair.pump();

        // On an established TLS 1.3 engine, beginHandshake() sends KeyUpdate (update_requested).
        pair.clientEngine.beginHandshake();
        pair.client.send(text("after;"));
        pair.server.send(text("reply"));
        pair.pump();

        assertThat(pair.serverReceived.toString(StandardCharsets.UTF_8)).isEqualTo("before;after;");
        assertThat(pair.clientReceived.toString(StandardCharsets.UTF_8)).isEqualTo("reply");
    }

    @Test
    void tls12RenegotiationMidStreamKeepsData() throws SSLException {
        TlsPair pair = pair("TLSv1.2").handshake();
        pair.clientEngine.beginHandshake();
        pair.client.send(text("during renegotiation"));
        pair.server.send(text("server data"));
        pair.pump();

        assertThat(pair.serverReceived.toString(StandardCharsets.UTF_8)).isEqualTo("during renegotiation");
        assertThat(pair.clientReceived.toString(StandardCharsets.UTF_8)).isEqualTo("server data");
    }

    @Test
    void garbageInsteadOfClientHelloFailsTheServer() throws SSLException {
        TlsPair pair = pair("TLSv1.3");
        pair.server.beginHandshake();

        assertThatThrownBy(() -> pair.server.receive(text("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), data -> { }))
                .isInstanceOf(SSLException.class);
    }

    @Test
    void pemFilesFromTestCertificatesServeAHandshake(@TempDir Path dir) throws Exception {
        TestCertificates files = TestCertificates.generate(dir);
        TlsConfig fromPem = TlsConfig.serverFromPem(files.certificatePem(), files.privateKeyPem());

        TlsPair pair = new TlsPair(TlsConfig.client(files.clientContext(), "localhost"), fromPem).handshake();
        pair.client.send(text("over PEM"));
        pair.pump();

        assertThat(pair.client.isHandshakeComplete()).isTrue();
        assertThat(pair.client.session().getPeerCertificates()[0]).isEqualTo(files.certificate());
        assertThat(pair.serverReceived.toString(StandardCharsets.UTF_8)).isEqualTo("over PEM");
    }

    private static byte[] copy(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return bytes;
    }

    private static byte[] concat(ByteBuffer[] parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (ByteBuffer part : parts) {
            out.writeBytes(copy(part.duplicate()));
        }
        return out.toByteArray();
    }
}
