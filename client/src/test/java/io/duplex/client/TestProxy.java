package io.duplex.client;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small proxy for tests, on loopback: HTTP CONNECT (optionally demanding Basic credentials) or SOCKS5
 * (optionally demanding username/password), piping bytes both ways once the tunnel is up. It records
 * what the client asked for.
 */
final class TestProxy implements AutoCloseable {

    enum Kind { HTTP, SOCKS5 }

    private final ServerSocket server;
    private final Kind kind;
    private final String user;
    private final String password;
    final List<String> requests = new CopyOnWriteArrayList<>();

    TestProxy(Kind kind, String user, String password) throws IOException {
        this.kind = kind;
        this.user = user;
        this.password = password;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Thread.ofVirtual().start(() -> serve(client));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve(Socket client) {
        try (client) {
            Socket upstream = kind == Kind.HTTP ? http(client) : socks(client);
            if (upstream == null) {
                return;
            }
            try (upstream) {
                Thread pump = Thread.ofVirtual().start(() -> copy(upstream, client));
                copy(client, upstream);
                pump.join();
            }
        } catch (Exception e) {
            // a test's client went away
        }
    }

    private Socket http(Socket client) throws IOException {
        String head = RawServer.readHead(client.getInputStream());
        requests.add(head);
        OutputStream out = client.getOutputStream();
        String expected = user == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8));
        if (expected != null && !expected.equals(RawServer.header(head, "Proxy-Authorization"))) {
            out.write("HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return null;
        }
        String target = head.substring("CONNECT ".length(), head.indexOf(" HTTP/1.1"));
        int colon = target.lastIndexOf(':');
        Socket upstream = new Socket(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
        out.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return upstream;
    }

    private Socket socks(Socket client) throws IOException {
        DataInputStream in = new DataInputStream(client.getInputStream());
        OutputStream out = client.getOutputStream();
        in.readUnsignedByte(); // version 5
        int methods = in.readUnsignedByte();
        byte[] offered = in.readNBytes(methods);
        int wanted = user == null ? 0 : 2;
        boolean ok = false;
        for (byte m : offered) {
            ok |= m == wanted;
        }
        if (!ok) {
            out.write(new byte[] {5, (byte) 0xFF});
            return null;
        }
        out.write(new byte[] {5, (byte) wanted});
        if (wanted == 2) {
            in.readUnsignedByte();
            String u = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.UTF_8);
            String p = new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.UTF_8);
            boolean good = u.equals(user) && p.equals(password);
            out.write(new byte[] {1, (byte) (good ? 0 : 1)});
            if (!good) {
                return null;
            }
        }
        in.readUnsignedByte(); // version
        in.readUnsignedByte(); // CONNECT
        in.readUnsignedByte(); // reserved
        int type = in.readUnsignedByte();
        String host = switch (type) {
            case 1 -> InetAddress.getByAddress(in.readNBytes(4)).getHostAddress();
            case 3 -> new String(in.readNBytes(in.readUnsignedByte()), StandardCharsets.US_ASCII);
            case 4 -> InetAddress.getByAddress(in.readNBytes(16)).getHostAddress();
            default -> throw new IOException("address type " + type);
        };
        int port = in.readUnsignedShort();
        requests.add(type + " " + host + ":" + port);
        Socket upstream;
        try {
            upstream = new Socket(host, port);
        } catch (IOException e) {
            out.write(new byte[] {5, 5, 0, 1, 0, 0, 0, 0, 0, 0}); // connection refused
            return null;
        }
        out.write(new byte[] {5, 0, 0, 1, 127, 0, 0, 1, 0, 0});
        return upstream;
    }

    private static void copy(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
