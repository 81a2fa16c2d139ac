package io.duplex.client.internal;

import io.duplex.client.ProxyConfig;
import io.duplex.core.Limits;
import io.duplex.core.handshake.HandshakeException;
import io.duplex.core.handshake.HttpHeadParser;
import io.duplex.core.handshake.HttpResponseHead;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Opening a tunnel through a proxy, sans-I/O: {@link #start()} gives the first bytes to send, {@link
 * #receive} takes the proxy's bytes and says what to send next and when the tunnel is open. Bytes after
 * the proxy's last reply are left in the buffer: they belong to the tunnelled connection.
 *
 * <p>Theory of operation. HTTP: send {@code CONNECT host:port} (RFC 9110 9.3.6) with an optional Basic
 * {@code Proxy-Authorization} (RFC 7617); one response head follows; any 2xx opens the tunnel. SOCKS5
 * (RFC 1928): GREETING (offer no-auth, and username/password if configured) -&gt; AUTH (RFC 1929, only if the
 * proxy chose it) -&gt; REPLY to a CONNECT request naming the host unresolved (address type 3) or an IP
 * literal -&gt; OPEN.
 *
 * <p>Threading: not thread-safe; confined to the connection's loop.
 */
final class ProxyTunnel {

    /** What to do after some of the proxy's bytes. */
    record Step(ByteBuffer send, boolean open) {
    }

    private enum State { HTTP_RESPONSE, SOCKS_GREETING, SOCKS_AUTH, SOCKS_REPLY, OPEN }

    private final ProxyConfig proxy;
    private final String host;
    private final int port;
    private final HttpHeadParser<HttpResponseHead> httpParser;
    private final ByteBuffer pending = ByteBuffer.allocate(300); // longest SOCKS reply: 4 + 1 + 255 + 2
    private State state;

    ProxyTunnel(ProxyConfig proxy, String host, int port, Limits limits) {
        this.proxy = proxy;
        this.host = host;
        this.port = port;
        this.httpParser = proxy.type() == ProxyConfig.Type.HTTP ? HttpHeadParser.forResponses(limits) : null;
    }

    /** @return the bytes to send once TCP to the proxy is up */
    ByteBuffer start() {
        if (proxy.type() == ProxyConfig.Type.HTTP) {
            state = State.HTTP_RESPONSE;
            String authority = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
            StringBuilder request = new StringBuilder()
                    .append("CONNECT ").append(authority).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(authority).append("\r\n");
            if (proxy.username() != null) {
                // RFC 7617 2: Basic credentials are base64(user ":" password), UTF-8 here (2.1's charset)
                String token = Base64.getEncoder().encodeToString(
                        (proxy.username() + ":" + proxy.password()).getBytes(StandardCharsets.UTF_8));
                request.append("Proxy-Authorization: Basic ").append(token).append("\r\n");
            }
            request.append("\r\n");
            return ByteBuffer.wrap(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
        state = State.SOCKS_GREETING;
        // RFC 1928 3: VER 5, NMETHODS, METHODS (0 = no authentication, 2 = username/password)
        return proxy.username() == null ? ByteBuffer.wrap(new byte[] {5, 1, 0}) : ByteBuffer.wrap(new byte[] {5, 2, 0, 2});
    }

    /**
     * Consumes the proxy's bytes, up to the end of its last reply.
     *
     * @param in bytes received; on return, positioned after the bytes used
     * @return what to send (possibly nothing) and whether the tunnel is open
     * @throws IOException if the proxy refused or broke its protocol; the message says how
     */
    Step receive(ByteBuffer in) throws IOException {
        return switch (state) {
            case HTTP_RESPONSE -> httpResponse(in);
            case SOCKS_GREETING, SOCKS_AUTH, SOCKS_REPLY -> socks(in);
            case OPEN -> new Step(null, true);
        };
    }

    private Step httpResponse(ByteBuffer in) throws IOException {
        Optional<HttpResponseHead> head;
        try {
            head = httpParser.parse(in);
        } catch (HandshakeException e) {
            throw new IOException("HTTP proxy " + proxy.host() + ":" + proxy.port() + " sent a malformed response: "
                    + e.getMessage(), e);
        }
        if (head.isEmpty()) {
            return new Step(null, false);
        }
        int status = head.get().status();
        // RFC 9110 9.3.6: any 2xx response means the tunnel is open
        if (status < 200 || status > 299) {
            throw new IOException("HTTP proxy " + proxy.host() + ":" + proxy.port() + " answered CONNECT with "
                    + status + " " + head.get().reason()
                    + (status == 407 ? (proxy.username() == null ? " (it wants credentials)" : " (credentials refused)") : ""));
        }
        state = State.OPEN;
        return new Step(null, true);
    }

    private Step socks(ByteBuffer in) throws IOException {
        while (in.hasRemaining() && pending.position() < needed()) {
            pending.put(in.get());
        }
        if (pending.position() < needed()) {
            return new Step(null, false);
        }
        byte[] reply = new byte[pending.position()];
        pending.flip().get(reply);
        pending.clear();
        switch (state) {
            case SOCKS_GREETING -> {
                if (reply[0] != 5) {
                    throw socksError("answered the greeting with version " + (reply[0] & 0xFF) + ", not 5");
                }
                int method = reply[1] & 0xFF;
                if (method == 0) {
                    state = State.SOCKS_REPLY;
                    return new Step(connectRequest(), false);
                }
                if (method == 2 && proxy.username() != null) {
                    state = State.SOCKS_AUTH;
                    return new Step(authRequest(), false);
                }
                throw socksError("accepts none of the authentication methods offered (it chose " + method + ")");
            }
            case SOCKS_AUTH -> {
                // RFC 1929 2: VER 1, STATUS 0 is success
                if (reply[1] != 0) {
                    throw socksError("refused the username and password (status " + (reply[1] & 0xFF) + ")");
                }
                state = State.SOCKS_REPLY;
                return new Step(connectRequest(), false);
            }
            case SOCKS_REPLY -> {
                // RFC 1928 6: VER, REP (0 = succeeded), RSV, ATYP, BND.ADDR, BND.PORT
                if (reply[0] != 5) {
                    throw socksError("answered CONNECT with version " + (reply[0] & 0xFF) + ", not 5");
                }
                if (reply[1] != 0) {
                    throw socksError("refused CONNECT to " + host + ":" + port + ": " + replyName(reply[1] & 0xFF));
                }
                state = State.OPEN;
                return new Step(null, true);
            }
            default -> throw new IllegalStateException("state " + state);
        }
    }

    /** Bytes of the current SOCKS reply, known from what has arrived so far. */
    private int needed() {
        return switch (state) {
            case SOCKS_GREETING, SOCKS_AUTH -> 2;
            case SOCKS_REPLY -> {
                if (pending.position() < 5) {
                    yield 5;
                }
                yield switch (pending.get(3)) {
                    case 1 -> 4 + 4 + 2;
                    case 4 -> 4 + 16 + 2;
                    case 3 -> 4 + 1 + (pending.get(4) & 0xFF) + 2;
                    default -> 5; // the reply's REP is checked first; an unknown ATYP fails below
                };
            }
            default -> 0;
        };
    }

    private ByteBuffer authRequest() throws IOException {
        byte[] user = proxy.username().getBytes(StandardCharsets.UTF_8);
        byte[] pass = proxy.password().getBytes(StandardCharsets.UTF_8);
        if (user.length > 255 || pass.length > 255) {
            throw socksError("cannot take a username or password over 255 bytes (RFC 1929 2)");
        }
        ByteBuffer b = ByteBuffer.allocate(3 + user.length + pass.length);
        b.put((byte) 1).put((byte) user.length).put(user).put((byte) pass.length).put(pass).flip();
        return b;
    }

    private ByteBuffer connectRequest() throws IOException {
        // RFC 1928 4: VER 5, CMD 1 (CONNECT), RSV, ATYP, DST.ADDR, DST.PORT
        ByteBuffer b = ByteBuffer.allocate(4 + 1 + 255 + 2);
        b.put((byte) 5).put((byte) 1).put((byte) 0);
        long ipv4 = host.indexOf(':') < 0 && HostParser.endsInANumber(host) ? HostParser.parseIpv4(host) : -1;
        int[] ipv6 = host.indexOf(':') >= 0 ? HostParser.parseIpv6(host) : null;
        if (ipv4 >= 0) {
            b.put((byte) 1).putInt((int) ipv4);
        } else if (ipv6 != null) {
            b.put((byte) 4);
            for (int piece : ipv6) {
                b.putShort((short) piece);
            }
        } else {
            byte[] name = host.getBytes(StandardCharsets.US_ASCII);
            if (name.length > 255) {
                throw socksError("cannot take a host name over 255 bytes (RFC 1928 5)");
            }
            b.put((byte) 3).put((byte) name.length).put(name);
        }
        b.putShort((short) port).flip();
        return b;
    }

    private IOException socksError(String what) {
        return new IOException("SOCKS5 proxy " + proxy.host() + ":" + proxy.port() + " " + what);
    }

    private static String replyName(int rep) {
        // RFC 1928 6: the reply field's values
        return switch (rep) {
            case 1 -> "general SOCKS server failure";
            case 2 -> "connection not allowed by ruleset";
            case 3 -> "network unreachable";
            case 4 -> "host unreachable";
            case 5 -> "connection refused";
            case 6 -> "TTL expired";
            case 7 -> "command not supported";
            case 8 -> "address type not supported";
            default -> "reply " + rep;
        };
    }
}
