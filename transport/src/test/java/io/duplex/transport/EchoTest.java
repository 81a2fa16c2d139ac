package io.duplex.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Bytes make a round trip through a server connection over every kind of socket the transport supports. */
@Timeout(30)
class EchoTest {

    private final EventLoopGroup group = EventLoopGroup.create(2);

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        assertThat(group.shutdown(java.time.Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void echoesOverTcpOnIpv4Loopback() throws Exception {
        echoThroughAJavaNetPeer(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    }

    @Test
    void echoesOverTcpOnIpv6Loopback() throws Exception {
        InetAddress ipv6 = InetAddress.getByName("::1");
        assertThat(ipv6).isInstanceOf(Inet6Address.class);
        assertThat(NetworkInterface.getByInetAddress(ipv6))
                .as("this machine must have the IPv6 loopback ::1 (the transport's IPv6 path is tested on it)")
                .isNotNull();
        echoThroughAJavaNetPeer(new InetSocketAddress(ipv6, 0));
    }

    @Test
    void echoesOverUnixDomainSocket() throws Exception {
        echoThroughAJavaNetPeer(UnixDomainSocketAddress.of(dir.resolve("echo.sock")));
    }

    @Test
    void unixDomainSocketFileIsDeletedOnClose() throws Exception {
        Path file = dir.resolve("gone.sock");
        Listener listener = group.listen(ListenOptions.of(UnixDomainSocketAddress.of(file)), Recorder::echo);
        assertThat(file).exists();
        listener.close();
        assertThat(file).doesNotExist();
    }

    @Test
    void echoesBetweenTransportClientAndServerOverTcp() throws Exception {
        echoBetweenTransportEnds(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    }

    @Test
    void echoesBetweenTransportClientAndServerOverUnixDomainSocket() throws Exception {
        echoBetweenTransportEnds(UnixDomainSocketAddress.of(dir.resolve("both.sock")));
    }

    @Test
    void acceptedConnectionsAreSpreadRoundRobinOverTheLoops() throws Exception {
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        var handlers = new java.util.ArrayDeque<Recorder>(java.util.List.of(first, second));
        Listener listener = group.listen(ListenOptions.of(new InetSocketAddress("127.0.0.1", 0)), handlers::poll);
        try (Peer a = Peer.connect(listener.localAddress()); Peer b = Peer.connect(listener.localAddress())) {
            a.write(new byte[] {1});
            b.write(new byte[] {2});
            EventLoop loopA = Await.get(first.opened).loop();
            EventLoop loopB = Await.get(second.opened).loop();
            assertThat(loopA).isNotSameAs(loopB);
            assertThat(group.loops()).contains(loopA, loopB);
        }
    }

    private void echoThroughAJavaNetPeer(SocketAddress address) throws Exception {
        Recorder server = Recorder.echo();
        Listener listener = group.listen(ListenOptions.of(address), () -> server);
        SocketAddress bound = listener.localAddress();
        if (address instanceof InetSocketAddress inet) {
            assertThat(((InetSocketAddress) bound).getAddress()).isEqualTo(inet.getAddress());
            assertThat(((InetSocketAddress) bound).getPort()).isPositive();
        } else {
            assertThat(bound).isEqualTo(address);
            assertThat(Files.exists(((UnixDomainSocketAddress) address).getPath())).isTrue();
        }
        byte[] payload = new byte[200_000];
        new Random(42).nextBytes(payload);
        try (Peer peer = Peer.connect(bound)) {
            Connection connection = Await.get(server.opened);
            assertThat(connection.localAddress()).isEqualTo(bound);
            assertThat(connection.isOpen()).isTrue();
            peer.write("hello".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(peer.readExactly(5), StandardCharsets.US_ASCII)).isEqualTo("hello");
            peer.write(payload);
            assertThat(peer.readExactly(payload.length)).isEqualTo(payload);
        }
        // The peer's close is an end of input; the default onEndOfInput closes the connection cleanly.
        assertThat(Await.get(server.closed).value()).isNull();
        assertThat(server.openCalls).hasValue(1);
        assertThat(server.closeCalls).hasValue(1);
        assertThat(server.callbackAfterClose).isFalse();
        listener.close();
    }

    private void echoBetweenTransportEnds(SocketAddress address) throws Exception {
        Listener listener = group.listen(ListenOptions.of(address), Recorder::echo);
        Recorder client = new Recorder();
        Connection connection = Await.get(group.connect(ConnectOptions.of(listener.localAddress()), client));
        assertThat(Await.get(client.opened)).isSameAs(connection);
        assertThat(connection.remoteAddress()).isEqualTo(listener.localAddress());
        byte[] payload = new byte[300_000];
        new Random(7).nextBytes(payload);
        connection.loop().execute(() -> connection.write(ByteBuffer.wrap(payload)));
        Await.until("the echo of " + payload.length + " bytes", () -> client.receivedCount() == payload.length);
        assertThat(client.received()).isEqualTo(payload);
        connection.loop().execute(connection::close);
        assertThat(Await.get(client.closed).value()).isNull();
        assertThat(connection.isOpen()).isFalse();
        listener.close();
    }
}
