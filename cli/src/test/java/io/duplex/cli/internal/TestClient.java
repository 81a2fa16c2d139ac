package io.duplex.cli.internal;

import io.duplex.core.CloseStatus;
import io.duplex.core.Event;
import io.duplex.core.Limits;
import io.duplex.core.Role;
import io.duplex.core.WebSocketConnection;
import io.duplex.core.handshake.ClientHandshake;
import io.duplex.core.handshake.HandshakeException;
import io.duplex.core.handshake.HttpHeadParser;
import io.duplex.core.handshake.HttpResponseHead;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * A minimal blocking WebSocket client for tests: core's {@link ClientHandshake} and a client-role
 * {@link WebSocketConnection} over a plain, TLS or Unix domain socket. Reads time out after
 * {@link #READ_TIMEOUT_MILLIS} on TCP; Unix socket reads are bounded by the tests' {@code @Timeout}, which
 * interrupts (and so closes) the channel.
 *
 * <p>Threading: confined to the test thread.
 */
final class TestClient implements AutoCloseable {

    static final int READ_TIMEOUT_MILLIS = 10_000;

    private final Closeable transport;
    private final InputStream in;
    private final OutputStream out;
    private final WebSocketConnection connection;
    private final byte[] readBuffer = new byte[16 * 1024];

    private TestClient(Closeable transport, InputStream in, OutputStream out, WebSocketConnection connection) {
        this.transport = transport;
        this.in = in;
        this.out = out;
        this.connection = connection;
    }

    /** Opens a ws:// connection to 127.0.0.1:{@code port}{@code path}, sending {@code origin} if not null. */
    static TestClient tcp(int port, String path, String origin) throws IOException, HandshakeException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            return handshake(socket, socket.getInputStream(), socket.getOutputStream(), "127.0.0.1", port, false,
                    path, origin);
        } catch (IOException | HandshakeException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Opens a wss:// connection to 127.0.0.1:{@code port}{@code path}, trusting what {@code trust} trusts. */
    static TestClient tls(SSLContext trust, int port, String path) throws IOException, HandshakeException {
        Socket socket = trust.getSocketFactory().createSocket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            return handshake(socket, socket.getInputStream(), socket.getOutputStream(), "127.0.0.1", port, true,
                    path, null);
        } catch (IOException | HandshakeException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Opens a WebSocket over the Unix domain socket at {@code socketPath}, for resource {@code path}. */
    static TestClient unix(Path socketPath, String path) throws IOException, HandshakeException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socketPath));
            return handshake(channel, Channels.newInputStream(channel), Channels.newOutputStream(channel),
                    "localhost", 80, false, path, null);
        } catch (IOException | HandshakeException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static TestClient handshake(Closeable transport, InputStream in, OutputStream out, String host, int port,
            boolean secure, String path, String origin) throws IOException, HandshakeException {
        ClientHandshake handshake = ClientHandshake.builder().host(host).port(port).secure(secure).resource(path)
                .origin(origin).build();
        write(out, handshake.request());
        HttpHeadParser<HttpResponseHead> parser = HttpHeadParser.forResponses(Limits.DEFAULT);
        byte[] buffer = new byte[4096];
        while (true) {
            int n = in.read(buffer);
            if (n < 0) {
                throw new EOFException("server closed the connection during the opening handshake");
            }
            ByteBuffer received = ByteBuffer.wrap(buffer, 0, n);
            Optional<HttpResponseHead> head = parser.parse(received);
            if (head.isPresent()) {
                handshake.validateResponse(head.get());
                WebSocketConnection connection = WebSocketConnection.builder(Role.CLIENT)
                        .limits(Limits.DEFAULT.withMaxPayload(64 << 20)).build();
                connection.receive(received);
                return new TestClient(transport, in, out, connection);
            }
        }
    }

    void sendText(String text) throws IOException {
        connection.sendText(text);
        flush();
    }

    void sendBinary(byte[] data) throws IOException {
        connection.sendBinary(ByteBuffer.wrap(data));
        flush();
    }

    /** The next event, reading as needed; pongs and close echoes the connection queues are sent at once. */
    Event next() throws IOException {
        while (true) {
            Event event = connection.pollEvent();
            if (event != null) {
                flush();
                return event;
            }
            int n = in.read(readBuffer);
            if (n < 0) {
                connection.receiveEof();
            } else {
                connection.receive(ByteBuffer.wrap(readBuffer, 0, n));
            }
        }
    }

    /** Sends {@code text} and returns the text message that comes back. */
    String echoText(String text) throws IOException {
        sendText(text);
        return ((Event.Text) next()).text();
    }

    /** Sends {@code data} and returns the binary message that comes back. */
    byte[] echoBinary(byte[] data) throws IOException {
        sendBinary(data);
        ByteBuffer echoed = ((Event.Binary) next()).data();
        return Arrays.copyOfRange(echoed.array(), echoed.arrayOffset() + echoed.position(),
                echoed.arrayOffset() + echoed.limit());
    }

    /** Closes with 1000 and returns the status the server answered with. */
    CloseStatus closeHandshake() throws IOException {
        connection.close();
        flush();
        while (true) {
            if (next() instanceof Event.CloseReceived received) {
                return received.status();
            }
        }
    }

    private void flush() throws IOException {
        for (ByteBuffer output = connection.pollOutput(); output != null; output = connection.pollOutput()) {
            write(out, output);
        }
    }

    private static void write(OutputStream out, ByteBuffer bytes) throws IOException {
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        out.write(array);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        transport.close();
    }

    /** A plain HTTP/1.1 response: status, head and body. */
    record HttpResult(HttpResponseHead head, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Sends {@code GET path} over {@code socket} (already connected, plain or TLS) and reads the response to EOF. */
    static HttpResult get(Socket socket, int port, String path) throws IOException, HandshakeException {
        try (socket) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(all);
            ByteBuffer response = ByteBuffer.wrap(all.toByteArray());
            HttpResponseHead head = HttpHeadParser.forResponses(Limits.DEFAULT).parse(response)
                    .orElseThrow(() -> new EOFException("response ended inside its head: " + all));
            byte[] body = new byte[response.remaining()];
            response.get(body);
            return new HttpResult(head, body);
        }
    }
}
