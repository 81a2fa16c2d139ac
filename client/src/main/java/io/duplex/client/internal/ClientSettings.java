package io.duplex.client.internal;

import io.duplex.client.ProxyConfig;
import io.duplex.core.Limits;
import io.duplex.core.handshake.HttpHeaders;
import io.duplex.transport.ConnectOptions;
import io.duplex.transport.Connection;
import io.duplex.transport.ConnectionHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;

/**
 * Everything a {@link ClientSession} needs, as the public builder collected it.
 *
 * <p>Threading: immutable.
 *
 * @param url the parsed URL
 * @param protocols the subprotocols offered
 * @param headers extra request headers
 * @param origin the Origin header, or null
 * @param sslContext the TLS context for wss, or null for the JDK default
 * @param hostnameVerification whether wss checks the certificate against the host
 * @param connectTimeout bound on TCP + TLS, and again on the proxy and HTTP handshake
 * @param closeTimeout how long to wait for the server to end the closing handshake
 * @param limits frame, message and handshake limits
 * @param maxBufferedAmount outbound application bytes past which the connection is failed
 * @param maxUndispatchedBytes inbound message bytes waiting for dispatch past which reading pauses
 * @param proxy the proxy, or null for a direct connection
 * @param connector opens TCP (and TLS) connections
 */
public record ClientSettings(WebSocketUrl url, List<String> protocols, HttpHeaders headers, String origin,
                             SSLContext sslContext, boolean hostnameVerification, Duration connectTimeout,
                             Duration closeTimeout, Limits limits, long maxBufferedAmount, long maxUndispatchedBytes,
                             ProxyConfig proxy, Connector connector) {

    /** Opens connections: the transport's {@code EventLoopGroup::connect}, or a stand-in in tests. */
    @FunctionalInterface
    public interface Connector {
        /**
         * @param options where and how
         * @param handler the connection's handler
         * @return completes when the connection is open
         */
        CompletableFuture<Connection> connect(ConnectOptions options, ConnectionHandler handler);
    }
}
