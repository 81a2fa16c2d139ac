package io.duplex.transport.internal;

import io.duplex.transport.Connection;
import io.duplex.transport.ConnectionHandler;
import io.duplex.transport.EventLoopGroup;
import io.duplex.transport.ListenOptions;
import io.duplex.transport.LogCapture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Run by {@link ListenerEmfileTest} in a child JVM whose descriptor limit is low: exhausts the descriptors,
 * lets a client connect (the kernel completes it from the backlog, so accept fails with EMFILE), counts the
 * listener's failed accepts over 500 ms, frees the descriptors and checks that the pending connection is then
 * accepted. Prints one line of results.
 *
 * <p>Loading a class from target/classes opens a file, so everything that runs under EMFILE is loaded first.
 */
public final class EmfileProbe {

    private EmfileProbe() {}

    public static void main(String[] args) throws Exception {
        try (LogCapture logs = new LogCapture();
                EventLoopGroup group = EventLoopGroup.builder().loops(1).threadNamePrefix("emfile-").build()) {
            CompletableFuture<Connection> opened = new CompletableFuture<>();
            NioListener listener = (NioListener) group.listen(ListenOptions.of(new InetSocketAddress("127.0.0.1", 0)),
                    () -> new ConnectionHandler() {
                        @Override
                        public void onOpen(Connection connection) {
                            opened.complete(connection);
                        }

                        @Override
                        public void onData(Connection connection, ByteBuffer data) {}

                        @Override
                        public void onClosed(Connection connection, Throwable cause) {}
                    });
            NioEventLoop loop = (NioEventLoop) group.next();
            // Warm up what runs under EMFILE: timers, tasks, the log capture, the waits.
            CompletableFuture<Void> timer = new CompletableFuture<>();
            loop.schedule(() -> timer.complete(null), Duration.ZERO);
            timer.get(10, TimeUnit.SECONDS);
            long failuresBefore = failures(loop, listener);
            waitFor(() -> logs.warningsFrom("NioListener").isEmpty());

            SocketChannel client = SocketChannel.open(); // its descriptor exists before the limit is hit
            List<FileChannel> hog = new ArrayList<>();
            try {
                while (true) {
                    hog.add(FileChannel.open(Path.of("/dev/null")));
                }
            } catch (IOException exhausted) {
                // EMFILE: every descriptor is in use
            }
            client.connect(listener.localAddress());
            waitFor(() -> !logs.warningsFrom("NioListener").isEmpty());
            long atFirstFailure = failures(loop, listener);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500)); // a measurement window, not synchronisation
            long inWindow = failures(loop, listener) - atFirstFailure;

            for (FileChannel f : hog) {
                f.close();
            }
            boolean accepted;
            try {
                opened.get(10, TimeUnit.SECONDS);
                accepted = true;
            } catch (Exception e) {
                accepted = false;
            }
            System.out.println("hogged=" + hog.size() + " failuresBefore=" + failuresBefore + " warnings="
                    + logs.warningsFrom("NioListener").size() + " failuresIn500ms=" + inWindow + " accepted=" + accepted);
            client.close();
        }
    }

    private static long failures(NioEventLoop loop, NioListener listener) throws Exception {
        CompletableFuture<Long> count = new CompletableFuture<>();
        loop.execute(() -> count.complete(listener.acceptFailures()));
        return count.get(10, TimeUnit.SECONDS);
    }

    private static void waitFor(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after 10 s");
            }
            LockSupport.parkNanos(1_000_000);
        }
    }
}
