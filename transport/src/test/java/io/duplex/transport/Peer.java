package io.duplex.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;

/**
 * The other end of a connection under test, written with blocking java.net / java.nio so that it shares no
 * code with the transport: a {@link Socket} for TCP, a blocking {@link SocketChannel} for Unix domain
 * sockets. TCP reads time out after 10 s; Unix domain reads rely on the test's timeout (which interrupts).
 */
final class Peer implements AutoCloseable {

    private final Socket socket;
    private final SocketChannel unix;
    private final InputStream in;
    private final OutputStream out;

    private Peer(Socket socket, SocketChannel unix) throws IOException {
        this.socket = socket;
        this.unix = unix;
        this.in = socket != null ? socket.getInputStream() : Channels.newInputStream(unix);
        this.out = socket != null ? socket.getOutputStream() : Channels.newOutputStream(unix);
    }

    static Peer connect(SocketAddress address) throws IOException {
        return connect(address, 0);
    }

    /** Connects with the given receive buffer size (0 keeps the default), set before connecting. */
    static Peer connect(SocketAddress address, int receiveBufferSize) throws IOException {
        if (address instanceof UnixDomainSocketAddress) {
            return new Peer(null, SocketChannel.open(address));
        }
        Socket s = new Socket();
        if (receiveBufferSize > 0) {
            s.setReceiveBufferSize(receiveBufferSize);
        }
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        s.connect((InetSocketAddress) address, 10_000);
        return new Peer(s, null);
    }

    /** The output stream, for a test that writes from another thread while this one reads. */
    OutputStream outputStream() {
        return out;
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    byte[] readExactly(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new IOException("expected " + n + " bytes, the stream ended after " + b.length);
        }
        return b;
    }

    /** Reads until end of stream. */
    byte[] readToEnd() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toByteArray();
    }

    /** Reads one byte: -1 at end of stream. */
    int read() throws IOException {
        return in.read();
    }

    void shutdownOutput() throws IOException {
        if (socket != null) {
            socket.shutdownOutput();
        } else {
            unix.shutdownOutput();
        }
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        } else {
            unix.close();
        }
    }
}
