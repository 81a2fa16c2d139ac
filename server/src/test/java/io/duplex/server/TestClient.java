package io.duplex.server;

import io.duplex.core.ProtocolException;
import io.duplex.core.frame.FrameReader;
import io.duplex.core.handshake.ClientHandshake;
import io.duplex.core.handshake.HandshakeException;
import io.duplex.core.handshake.HttpHeadParser;
import io.duplex.core.Limits;
import io.duplex.core.handshake.HttpResponseHead;
import io.duplex.testkit.RawFrame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A small blocking WebSocket client for tests, over a real socket: it writes requests made by the core's
 * {@link ClientHandshake} and frames made by testkit's {@link RawFrame} (masked, as a client must), and reads
 * the server's answers with the core's {@link HttpHeadParser} and {@link FrameReader}. Reads time out after
 * {@link #READ_TIMEOUT} on TCP; tests bound Unix socket reads with their own timeouts.
 */
final class TestClient implements AutoCloseable {

    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    /** One frame as the server sent it. */
    record Frame(int opcode, boolean fin, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        @Override
        public String toString() {
            return switch (opcode) {
                case RawFrame.TEXT -> "text:" + (payload.length > 40 ? "<" + payload.length + " bytes>" : text());
                case RawFrame.BINARY -> "binary:" + payload.length;
                case RawFrame.CLOSE -> "close:" + closeCode();
                case RawFrame.PING -> "ping";
                case RawFrame.PONG -> "pong";
                default -> "opcode " + opcode + ":" + payload.length;
            };
        }
    }

    private final AutoCloseable resource;
    private final InputStream in;
    private final OutputStream out;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).flip();
    private final FrameReader reader = new FrameReader();
    private final ArrayDeque<Frame> frames = new ArrayDeque<>();
    private final ByteArrayOutputStream payload = new ByteArrayOutputStream();
    private int opcode;
    private boolean fin;
    private boolean eof;

    private TestClient(AutoCloseable resource, InputStream in, OutputStream out) {
        this.resource = resource;
        this.in = in;
        this.out = out;
    }

    static TestClient connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        socket.setTcpNoDelay(true);
        return new TestClient(socket, socket.getInputStream(), socket.getOutputStream());
    }

    static TestClient connect(SocketAddress address) throws IOException {
        if (address instanceof InetSocketAddress inet) {
            return connect(inet.getPort());
        }
        SocketChannel channel = SocketChannel.open((UnixDomainSocketAddress) address);
        return new TestClient(channel, Channels.newInputStream(channel), Channels.newOutputStream(channel));
    }

    static TestClient connectTls(int port, SSLContext context) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        socket.startHandshake();
        return new TestClient(socket, socket.getInputStream(), socket.getOutputStream());
    }

    /** A handshake for {@code resource} on 127.0.0.1:{@code port}. */
    static ClientHandshake.Builder handshake(int port, String resource) {
        return ClientHandshake.builder().host("127.0.0.1").port(port).resource(resource);
    }

    /** Connects, upgrades at {@code resource}, and checks the answer is a valid 101. */
    static TestClient open(int port, String resource) throws IOException {
        TestClient client = connect(port);
        ClientHandshake handshake = handshake(port, resource).build();
        HttpResponseHead response = client.upgrade(handshake);
        try {
            handshake.validateResponse(response);
        } catch (HandshakeException e) {
            client.close();
            throw new AssertionError("upgrade failed: " + e.getMessage(), e);
        }
        return client;
    }

    /** Sends the request and reads the response head; a 101's following bytes stay buffered for frames. */
    HttpResponseHead upgrade(ClientHandshake handshake) throws IOException {
        write(bytes(handshake.request()));
        return readResponseHead();
    }

    HttpResponseHead readResponseHead() throws IOException {
        HttpHeadParser<HttpResponseHead> parser = HttpHeadParser.forResponses(Limits.DEFAULT);
        while (true) {
            try {
                Optional<HttpResponseHead> head = parser.parse(buffer);
                if (head.isPresent()) {
                    return head.get();
                }
            } catch (HandshakeException e) {
                throw new IOException("bad response head: " + e.getMessage(), e);
            }
            if (!fill()) {
                throw new IOException("connection closed before the response head was complete");
            }
        }
    }

    /** Everything after the head until the server closes the connection, as UTF-8. */
    String readToEnd() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        do {
            body.write(buffer.array(), buffer.position(), buffer.remaining());
            buffer.position(buffer.limit());
        } while (fill());
        return body.toString(StandardCharsets.UTF_8);
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void sendText(String text) throws IOException {
        write(RawFrame.text(text, true, mask()));
    }

    void sendBinary(byte[] data) throws IOException {
        write(RawFrame.binary(data, true, mask()));
    }

    void sendClose(int code) throws IOException {
        write(RawFrame.close(code, "", mask()));
    }

    void sendPong(byte[] data) throws IOException {
        write(RawFrame.pong(data, mask()));
    }

    static Integer mask() {
        return ThreadLocalRandom.current().nextInt();
    }

    /** The next frame, or throws if the connection ends first. */
    Frame readFrame() throws IOException {
        Frame frame = nextFrame();
        if (frame == null) {
            throw new IOException("connection ended before a frame");
        }
        return frame;
    }

    /** The next frame, or null at end of stream. */
    Frame nextFrame() throws IOException {
        while (frames.isEmpty()) {
            if (buffer.hasRemaining()) {
                decode();
            } else if (!fill()) {
                return null;
            }
        }
        return frames.poll();
    }

    /** The next data or close frame, answering nothing and skipping pings. */
    Frame readNonPing() throws IOException {
        Frame frame;
        do {
            frame = readFrame();
        } while (frame.opcode() == RawFrame.PING);
        return frame;
    }

    /** Whether the server closed the connection: reads (and discards frames) until end of stream. */
    boolean awaitEof() throws IOException {
        try {
            while (nextFrame() != null) {
                // discard
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private void decode() throws IOException {
        try {
            reader.read(buffer, new FrameReader.Consumer() {
                @Override
                public void frameHeader(boolean f, int rsv, int op, boolean masked, int maskKey, long length) {
                    fin = f;
                    opcode = op;
                    payload.reset();
                    if (masked) {
                        throw new AssertionError("RFC 6455 5.1: the server masked a frame");
                    }
                }

                @Override
                public void payload(ByteBuffer chunk) {
                    byte[] bytes = new byte[chunk.remaining()];
                    chunk.get(bytes);
                    payload.writeBytes(bytes);
                }

                @Override
                public boolean frameEnd() {
                    frames.add(new Frame(opcode, fin, payload.toByteArray()));
                    return true;
                }
            });
        } catch (ProtocolException e) {
            throw new IOException(e);
        }
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        buffer.compact();
        int n;
        try {
            n = in.read(buffer.array(), buffer.position(), buffer.remaining());
        } catch (IOException e) {
            buffer.flip();
            if (e instanceof SocketTimeoutException) {
                throw e;
            }
            eof = true; // a reset counts as the end
            return false;
        }
        if (n < 0) {
            eof = true;
            buffer.flip();
            return false;
        }
        buffer.position(buffer.position() + n).flip();
        return true;
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }

    @Override
    public void close() throws IOException {
        try {
            resource.close();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
