package io.duplex.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Client connections that fail: the future fails and onClosed gets the same cause, without onOpen. */
@Timeout(30)
class ConnectTest {

    private final EventLoopGroup group = EventLoopGroup.create(1);

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        assertThat(group.shutdown(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void connectToAClosedLoopbackPortFailsWithConnectException() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        Recorder handler = new Recorder();
        var future = group.connect(ConnectOptions.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)), handler);
        assertThatThrownBy(() -> Await.get(future)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ConnectException.class);
        Throwable cause = Await.get(handler.closed).value();
        assertThat(cause).isInstanceOf(ConnectException.class);
        assertThat(future.exceptionNow()).isSameAs(cause);
        assertThat(handler.openCalls).hasValue(0);
        assertThat(handler.closeCalls).hasValue(1);
    }

    @Test
    void connectToAMissingUnixSocketFails() throws Exception {
        Recorder handler = new Recorder();
        var future = group.connect(ConnectOptions.of(UnixDomainSocketAddress.of(dir.resolve("nobody.sock"))), handler);
        assertThatThrownBy(() -> Await.get(future)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IOException.class);
        assertThat(Await.get(handler.closed).value()).isSameAs(future.exceptionNow());
        assertThat(handler.openCalls).hasValue(0);
    }

    @Test
    void connectToAnUnresolvedAddressFailsTheFuture() throws Exception {
        Recorder handler = new Recorder();
        var future = group.connect(ConnectOptions.of(InetSocketAddress.createUnresolved("localhost", 1)), handler);
        assertThatThrownBy(() -> Await.get(future)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(java.nio.channels.UnresolvedAddressException.class);
        assertThat(Await.get(handler.closed).value()).isSameAs(future.exceptionNow());
    }

    @Test
    void aFutureThatFailsBecauseOnOpenThrewStillRunsOnClosedWithTheCause() throws Exception {
        Listener listener = group.listen(ListenOptions.of(new InetSocketAddress("127.0.0.1", 0)), Recorder::echo);
        Recorder handler = new Recorder() {
            @Override
            public void onOpen(Connection connection) {
                super.onOpen(connection);
                throw new IllegalStateException("onOpen bug");
            }
        };
        var future = group.connect(ConnectOptions.of(listener.localAddress()), handler);
        assertThatThrownBy(() -> Await.get(future)).cause().isInstanceOf(IllegalStateException.class);
        assertThat(Await.get(handler.closed).value()).isSameAs(future.exceptionNow());
        assertThat(handler.openCalls).hasValue(1);
    }
}
