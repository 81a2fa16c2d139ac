package io.duplex.transport;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to listen.
 *
 * @param address an {@link java.net.InetSocketAddress} (IPv4 or IPv6; port 0 picks a free port) or a
 *     {@link java.net.UnixDomainSocketAddress}
 * @param backlog the accept backlog; default 1024
 * @param tls TLS settings for wss, or {@code null} for plaintext
 * @param tlsHandshakeTimeout a TLS handshake not complete after this long aborts the connection; default 10 s
 *
 * Threading: immutable.
 */
public record ListenOptions(SocketAddress address, int backlog, TlsConfig tls, Duration tlsHandshakeTimeout) {

    /** Checks the values. */
    public ListenOptions {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(tlsHandshakeTimeout, "tlsHandshakeTimeout");
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be >= 1, was " + backlog);
        }
        if (tls != null && !tls.isServer()) {
            throw new IllegalArgumentException("a listener needs a server TlsConfig, got a client one");
        }
    }

    /** Plaintext on {@code address} with the default backlog and TLS handshake timeout. */
    public static ListenOptions of(SocketAddress address) {
        return new ListenOptions(address, 1024, null, Duration.ofSeconds(10));
    }

    /** A copy with TLS. */
    public ListenOptions withTls(TlsConfig tls) {
        return new ListenOptions(address, backlog, tls, tlsHandshakeTimeout);
    }

    /** A copy with another backlog. */
    public ListenOptions withBacklog(int backlog) {
        return new ListenOptions(address, backlog, tls, tlsHandshakeTimeout);
    }

    /** A copy with another TLS handshake timeout. */
    public ListenOptions withTlsHandshakeTimeout(Duration timeout) {
        return new ListenOptions(address, backlog, tls, timeout);
    }
}
