package io.duplex.transport;

import io.duplex.transport.internal.TlsCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * A blocking TLS client over a plain {@link Socket}, pumping a {@link TlsCodec} by hand, so that a test can
 * see what arrived on the wire: in particular whether the peer's close_notify came before the TCP end of
 * stream. Reads time out after 10 s.
 */
final class TlsPeer implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final TlsCodec codec;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final byte[] buffer = new byte[32 * 1024];

    TlsPeer(InetSocketAddress address, TlsConfig config) throws IOException {
        socket = new Socket();
        socket.setSoTimeout(10_000);
        socket.connect(address, 10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        codec = new TlsCodec(config.newEngine(address.getPort()));
        codec.beginHandshake();
        flushOut();
    }

    void handshake() throws IOException {
        while (!codec.isHandshakeComplete()) {
            if (!readOnce()) {
                throw new IOException("the server closed the connection during the TLS handshake");
            }
        }
    }

    void send(byte[] bytes) throws IOException {
        codec.send(ByteBuffer.wrap(bytes));
        flushOut();
    }

    /** Reads and decrypts until the TCP stream ends; returns all plaintext received. */
    byte[] readToEnd() throws IOException {
        while (readOnce()) {
            // keep reading
        }
        return received.toByteArray();
    }

    /** Whether the server's close_notify has been received. */
    boolean closeNotifyReceived() {
        return codec.isInboundDone();
    }

    String protocol() {
        return codec.session().getProtocol();
    }

    private boolean readOnce() throws IOException {
        int n = in.read(buffer);
        if (n < 0) {
            return false;
        }
        codec.receive(ByteBuffer.wrap(buffer, 0, n), data -> {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            received.writeBytes(chunk);
        });
        flushOut();
        return true;
    }

    private void flushOut() throws IOException {
        for (ByteBuffer b; (b = codec.pollNetOutput()) != null; ) {
            out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
