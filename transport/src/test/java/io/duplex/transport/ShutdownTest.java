package io.duplex.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Shutdown aborts what is open, closes listeners and ends the loop threads. */
@Timeout(30)
class ShutdownTest {

    @TempDir
    Path dir;

    @Test
    void shutdownAbortsOpenConnectionsClosesListenersAndEndsTheThreads() throws Exception {
        EventLoopGroup group = EventLoopGroup.builder().loops(2).threadNamePrefix("shutdown-").build();
        List<Recorder> servers = java.util.Collections.synchronizedList(new ArrayList<>());
        Listener tcp = group.listen(ListenOptions.of(new InetSocketAddress("127.0.0.1", 0)), () -> {
            // Half-open on end of input, so that a client aborted by its own loop's shutdown cannot close us first.
            Recorder r = new Recorder() {
                @Override
                public void onEndOfInput(Connection connection) {}
            };
            servers.add(r);
            return r;
        });
        Path socketFile = dir.resolve("shutdown.sock");
        group.listen(ListenOptions.of(UnixDomainSocketAddress.of(socketFile)), Recorder::new);
        Recorder client = new Recorder();
        Connection clientConnection = Await.get(group.connect(ConnectOptions.of(tcp.localAddress()), client));
        try (Peer peer = Peer.connect(tcp.localAddress())) {
            Await.until("two accepted connections", () -> servers.size() == 2);
            for (Recorder r : servers) {
                Await.get(r.opened);
            }

            assertThat(group.shutdown(Duration.ofSeconds(5))).isTrue();

            for (Recorder r : List.of(servers.get(0), servers.get(1), client)) {
                assertThat(r.closed).isDone();
                assertThat(r.closed.get().value()).isInstanceOf(IOException.class).hasMessageContaining("shut down");
                assertThat(r.closeCalls).hasValue(1);
            }
            assertThat(clientConnection.isOpen()).isFalse();
            try {
                assertThat(peer.read()).isEqualTo(-1);
            } catch (IOException reset) {
                assertThat(reset).hasMessageContaining("reset");
            }
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("shutdown-"));
        assertThatThrownBy(() -> new Socket("127.0.0.1", ((InetSocketAddress) tcp.localAddress()).getPort()).close())
                .isInstanceOf(ConnectException.class);
        assertThat(socketFile).doesNotExist();
        assertThatThrownBy(() -> group.next().execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> group.listen(ListenOptions.of(new InetSocketAddress("127.0.0.1", 0)), Recorder::new))
                .isInstanceOf(IOException.class);
        assertThat(group.connect(ConnectOptions.of(tcp.localAddress()), new Recorder())).isCompletedExceptionally();
        assertThat(group.shutdown(Duration.ofSeconds(1))).as("a second shutdown").isTrue();
    }

    @Test
    void closingAListenerKeepsItsConnectionsAndRefusesNewOnes() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.create(1)) {
            Recorder server = Recorder.echo();
            Listener listener = group.listen(ListenOptions.of(new InetSocketAddress("127.0.0.1", 0)), () -> server);
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            try (Peer peer = Peer.connect(listener.localAddress())) {
                Await.get(server.opened);
                listener.close();
                listener.close();
                // The descriptor is released when the loop next selects, right after the close.
                Await.until("the port to refuse connections", () -> {
                    try {
                        new Socket("127.0.0.1", port).close();
                        return false;
                    } catch (IOException refused) {
                        return true;
                    }
                });
                peer.write(new byte[] {42});
                assertThat(peer.readExactly(1)).containsExactly(42);
            }
        }
    }
}
