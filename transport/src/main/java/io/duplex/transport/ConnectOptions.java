package io.duplex.transport;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to connect.
 *
 * @param remote an {@link java.net.InetSocketAddress} (resolved) or a {@link java.net.UnixDomainSocketAddress}
 * @param tls TLS settings, or {@code null} for plaintext; the peer host for SNI and hostname
 *     verification is {@link TlsConfig#peerHost()}
 * @param connectTimeout TCP connect plus TLS handshake must finish within this; default 30 s
 *
 * Threading: immutable.
 */
public record ConnectOptions(SocketAddress remote, TlsConfig tls, Duration connectTimeout) {

    /** Checks the values. */
    public ConnectOptions {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (tls != null && tls.isServer()) {
            throw new IllegalArgumentException("a client connection needs a client TlsConfig, got a server one");
        }
    }

    /** Plaintext to {@code remote} with the default timeout. */
    public static ConnectOptions of(SocketAddress remote) {
        return new ConnectOptions(remote, null, Duration.ofSeconds(30));
    }

    /** A copy with TLS. */
    public ConnectOptions withTls(TlsConfig tls) {
        return new ConnectOptions(remote, tls, connectTimeout);
    }

    /** A copy with another connect timeout. */
    public ConnectOptions withConnectTimeout(Duration timeout) {
        return new ConnectOptions(remote, tls, timeout);
    }
}
