package io.duplex.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duplex.testkit.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Connections wrapped in TLS: handshake before onOpen, echo, close_notify, timeouts, ALPN, failures. */
@Timeout(60)
class TlsTransportTest {

    private static final TestCertificates CERTS = TestCertificates.shared();
    private static final TlsConfig SERVER = TlsConfig.server(CERTS.serverContext());
    private static final TlsConfig CLIENT = TlsConfig.client(CERTS.clientContext(), "localhost");

    private final EventLoopGroup group = EventLoopGroup.create(2);

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        assertThat(group.shutdown(Duration.ofSeconds(5))).isTrue();
    }

    private InetSocketAddress listenTls(TlsConfig config, java.util.function.Supplier<? extends ConnectionHandler> handlers)
            throws IOException {
        return (InetSocketAddress) group.listen(ListenOptions.of(new InetSocketAddress("127.0.0.1", 0)).withTls(config),
                handlers).localAddress();
    }

    private static Recorder onOpen(Consumer<Connection> action) {
        return new Recorder() {
            @Override
            public void onOpen(Connection connection) {
                super.onOpen(connection);
                action.accept(connection);
            }
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void echoesBetweenTransportEndsOverTls(String protocol) throws Exception {
        Recorder server = Recorder.echo();
        InetSocketAddress address = listenTls(SERVER, () -> server);
        echoThroughTransportClient(address, CLIENT.withProtocols(protocol), protocol);
        Connection serverSide = Await.get(server.opened);
        assertThat(serverSide.tlsSession()).map(s -> s.getProtocol()).contains(protocol);
        // The client closed with close_notify: the server saw an end of input and closed cleanly.
        assertThat(server.endOfInput.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(Await.get(server.closed).value()).isNull();
    }

    @Test
    void echoesOverTlsOnAUnixDomainSocket() throws Exception {
        SocketAddress address = group.listen(ListenOptions.of(UnixDomainSocketAddress.of(dir.resolve("tls.sock")))
                .withTls(SERVER), Recorder::echo).localAddress();
        echoThroughTransportClient(address, CLIENT, "TLSv1.3");
    }

    private void echoThroughTransportClient(SocketAddress address, TlsConfig config, String protocol) throws Exception {
        byte[] payload = new byte[1 << 20];
        new Random(11).nextBytes(payload);
        Recorder client = onOpen(c -> c.write(ByteBuffer.wrap(payload)));
        Connection connection = Await.get(group.connect(ConnectOptions.of(address).withTls(config), client));
        assertThat(connection.tlsSession()).map(s -> s.getProtocol()).contains(protocol);
        Await.until("the TLS echo of 1 MiB", () -> client.receivedCount() == payload.length);
        assertThat(client.received()).isEqualTo(payload);
        connection.loop().execute(connection::close);
        assertThat(Await.get(client.closed).value()).isNull();
        assertThat(client.callbackAfterClose).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void echoesToTheJdksSslSocket(String protocol) throws Exception {
        InetSocketAddress address = listenTls(SERVER, Recorder::echo);
        try (SSLSocket socket = (SSLSocket) CERTS.clientContext().getSocketFactory().createSocket(address.getAddress(),
                address.getPort())) {
            socket.setEnabledProtocols(new String[] {protocol});
            socket.setSoTimeout(10_000);
            byte[] payload = new byte[300_000];
            new Random(5).nextBytes(payload);
            socket.getOutputStream().write(payload);
            assertThat(socket.getInputStream().readNBytes(payload.length)).isEqualTo(payload);
            assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
        }
    }

    @Test
    void onOpenRunsOnlyAfterTheHandshakeAndBytesWrittenThereArriveEncrypted() throws Exception {
        Recorder server = onOpen(c -> {
            assertThat(c.tlsSession()).isPresent();
            c.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
        });
        InetSocketAddress address = listenTls(SERVER, () -> server);
        try (TlsPeer peer = new TlsPeer(address, CLIENT)) {
            assertThat(server.opened).isNotDone(); // the ClientHello alone does not open the connection
            peer.handshake();
            Await.get(server.opened);
            peer.send("x".getBytes(StandardCharsets.US_ASCII));
            Await.until("the server to receive a byte", () -> server.receivedCount() == 1);
        }
    }

    /** Connects the JDK's TLS client with a small receive buffer, so that it reads only as fast as asked. */
    private static SSLSocket slowTlsClient(InetSocketAddress address, String protocol) throws IOException {
        SSLSocket socket = (SSLSocket) CERTS.clientContext().getSocketFactory().createSocket();
        socket.setReceiveBufferSize(64 * 1024);
        socket.setSoTimeout(10_000);
        socket.connect(address, 10_000);
        socket.setEnabledProtocols(new String[] {protocol});
        socket.startHandshake();
        return socket;
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void pendingWriteBytesCountsPlaintextNeverTlsFramingOrHandshakeMessages(String protocol) throws Exception {
        CompletableFuture<long[]> inOnOpen = new CompletableFuture<>();
        Recorder server = onOpen(c -> {
            // The server's last handshake flight (TLS 1.2: ChangeCipherSpec and Finished; TLS 1.3: a
            // NewSessionTicket) is still queued here: it is no byte the handler wrote.
            long before = c.pendingWriteBytes();
            c.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
            inOnOpen.complete(new long[] {before, c.pendingWriteBytes()});
        });
        InetSocketAddress address = listenTls(SERVER, () -> server);
        try (SSLSocket socket = slowTlsClient(address, protocol)) {
            Connection c = Await.get(server.opened);
            assertThat(Await.get(inOnOpen)).containsExactly(0, 5);
            assertThat(new String(socket.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("hello");
            assertThat(Await.onLoop(c.loop(), c::pendingWriteBytes)).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void pendingWriteBytesNeverExceedsThePlaintextNotYetReadAndReachesZero(String protocol) throws Exception {
        byte[] big = new byte[16 << 20];
        new Random(17).nextBytes(big);
        Recorder server = new Recorder();
        InetSocketAddress address = listenTls(SERVER, () -> server);
        try (SSLSocket socket = slowTlsClient(address, protocol)) {
            Connection c = Await.get(server.opened);
            assertThat(Await.onLoop(c.loop(), () -> {
                c.write(ByteBuffer.wrap(big));
                return c.pendingWriteBytes();
            })).as("queued plaintext, inside the task").isEqualTo(big.length);
            InputStream in = socket.getInputStream();
            int chunk = 256 * 1024;
            long previous = big.length;
            boolean sawPartlyWritten = false;
            for (int read = 0; read < big.length; ) {
                byte[] got = in.readNBytes(chunk);
                assertThat(got).isEqualTo(Arrays.copyOfRange(big, read, read + chunk));
                read += chunk;
                long pending = Await.onLoop(c.loop(), c::pendingWriteBytes);
                // The kernel took at least what the reader has read: what it has not read bounds what is pending.
                assertThat(pending).as("pending after %d bytes were read", read).isBetween(0L, (long) big.length - read);
                assertThat(pending).as("pending only falls while nothing is written").isLessThanOrEqualTo(previous);
                sawPartlyWritten |= pending > 0 && pending < big.length;
                previous = pending;
            }
            assertThat(sawPartlyWritten).as("the count fell in steps, not only at the end").isTrue();
            Await.until("pendingWriteBytes to reach 0", () -> Await.onLoop(c.loop(), c::pendingWriteBytes) == 0);
        }
    }

    @Test
    void closeSendsCloseNotifyAfterThePendingData() throws Exception {
        Recorder server = onOpen(c -> {
            c.write(ByteBuffer.wrap("bye".getBytes(StandardCharsets.US_ASCII)));
            c.close();
        });
        InetSocketAddress address = listenTls(SERVER, () -> server);
        try (TlsPeer peer = new TlsPeer(address, CLIENT)) {
            peer.handshake();
            assertThat(new String(peer.readToEnd(), StandardCharsets.US_ASCII)).isEqualTo("bye");
            assertThat(peer.closeNotifyReceived()).isTrue();
        }
        assertThat(Await.get(server.closed).value()).isNull();
    }

    @Test
    void abortSendsNoCloseNotify() throws Exception {
        Recorder server = onOpen(Connection::abort);
        InetSocketAddress address = listenTls(SERVER, () -> server);
        try (TlsPeer peer = new TlsPeer(address, CLIENT)) {
            peer.handshake();
            try {
                peer.readToEnd();
            } catch (IOException reset) {
                assertThat(reset).hasMessageContaining("reset");
            }
            assertThat(peer.closeNotifyReceived()).isFalse();
        }
    }

    @Test
    void aClientThatSendsNothingIsDroppedAfterTheHandshakeTimeout() throws Exception {
        Recorder server = new Recorder();
        InetSocketAddress address = (InetSocketAddress) group.listen(ListenOptions.of(new InetSocketAddress("127.0.0.1", 0))
                .withTls(SERVER).withTlsHandshakeTimeout(Duration.ofMillis(200)), () -> server).localAddress();
        try (Peer silent = Peer.connect(address)) {
            Throwable cause = Await.get(server.closed).value();
            assertThat(cause).isInstanceOf(SocketTimeoutException.class).hasMessageContaining("TLS handshake")
                    .hasMessageContaining("200 ms");
            assertThat(server.openCalls).hasValue(0);
            assertThat(silent.read()).isEqualTo(-1);
        }
    }

    @Test
    void theConnectTimeoutCoversTheTlsHandshake() throws Exception {
        // A plain TCP listener: the kernel completes the TCP handshake, nobody ever answers the ClientHello.
        try (ServerSocket mute = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Recorder client = new Recorder();
            var future = group.connect(ConnectOptions.of(mute.getLocalSocketAddress()).withTls(CLIENT)
                    .withConnectTimeout(Duration.ofMillis(300)), client);
            assertThatThrownBy(() -> Await.get(future)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SocketTimeoutException.class).hasMessageContaining("300 ms");
            assertThat(Await.get(client.closed).value()).isSameAs(future.exceptionNow());
            assertThat(client.openCalls).hasValue(0);
        }
    }

    @Test
    void theAgreedAlpnProtocolIsVisibleOnBothEnds() throws Exception {
        Recorder server = new Recorder();
        InetSocketAddress address = listenTls(SERVER.withApplicationProtocols("http/1.1"), () -> server);
        Connection client = Await.get(group.connect(ConnectOptions.of(address)
                .withTls(CLIENT.withApplicationProtocols("h2", "http/1.1")), new Recorder()));
        assertThat(Await.onLoop(client.loop(), client::applicationProtocol)).contains("http/1.1");
        Connection serverSide = Await.get(server.opened);
        assertThat(Await.onLoop(serverSide.loop(), serverSide::applicationProtocol)).contains("http/1.1");
    }

    @Test
    void noAlpnMeansNoApplicationProtocolAndPlaintextHasNoTls() throws Exception {
        InetSocketAddress tls = listenTls(SERVER, Recorder::new);
        Connection tlsClient = Await.get(group.connect(ConnectOptions.of(tls).withTls(CLIENT), new Recorder()));
        assertThat(Await.onLoop(tlsClient.loop(), tlsClient::applicationProtocol)).isEmpty();
        SocketAddress plain = group.listen(ListenOptions.of(new InetSocketAddress("127.0.0.1", 0)), Recorder::new).localAddress();
        Connection plainClient = Await.get(group.connect(ConnectOptions.of(plain), new Recorder()));
        assertThat(Await.onLoop(plainClient.loop(), plainClient::applicationProtocol)).isEqualTo(Optional.empty());
        assertThat(Await.onLoop(plainClient.loop(), plainClient::tlsSession)).isEmpty();
    }

    @Test
    void anUntrustedCertificateFailsBothEndsWithoutOpening() throws Exception {
        Recorder server = new Recorder();
        InetSocketAddress address = listenTls(SERVER, () -> server);
        Recorder client = new Recorder();
        // The JDK's default trust store does not know the test certificate.
        var future = group.connect(ConnectOptions.of(address).withTls(TlsConfig.client("localhost")), client);
        assertThatThrownBy(() -> Await.get(future)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SSLException.class);
        assertThat(Await.get(client.closed).value()).isSameAs(future.exceptionNow());
        // The client's alert (or its close) ends the server's handshake.
        assertThat(Await.get(server.closed).value()).isInstanceOf(IOException.class);
        assertThat(server.openCalls).hasValue(0);
        assertThat(client.openCalls).hasValue(0);
    }

    @Test
    void aPlaintextClientTalkingToATlsListenerIsRejected() throws Exception {
        Recorder server = new Recorder();
        InetSocketAddress address = listenTls(SERVER, () -> server);
        try (Peer peer = Peer.connect(address)) {
            peer.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(Await.get(server.closed).value()).isInstanceOf(SSLException.class);
            assertThat(server.openCalls).hasValue(0);
        }
    }
}
