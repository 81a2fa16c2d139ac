package io.duplex.transport;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * TLS settings for one side: a server (certificate and key) or a client (trust, peer host for SNI and
 * hostname verification). Defaults are secure: TLS 1.3 and 1.2 only, the JDK's default cipher suites,
 * hostname verification on for clients.
 *
 * <p>Threading: immutable; {@code with...} methods return copies.
 */
public final class TlsConfig {

    private TlsConfig() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** A server configuration using {@code context}'s key managers. */
    public static TlsConfig server(SSLContext context) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * A server configuration from PEM files: a certificate chain (leaf first) and a PKCS#8 private key
     * ("PRIVATE KEY"; PKCS#1 "RSA PRIVATE KEY" and SEC1 "EC PRIVATE KEY" are also read). Encrypted keys are
     * not supported.
     *
     * @throws IOException if a file cannot be read or holds no PEM block of the expected kind
     * @throws GeneralSecurityException if the certificate or key cannot be decoded
     */
    public static TlsConfig serverFromPem(Path certificateChain, Path privateKey) throws IOException, GeneralSecurityException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** A client configuration trusting what {@code context} trusts, connecting to {@code peerHost}. */
    public static TlsConfig client(SSLContext context, String peerHost) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** A client configuration with the JDK's default trust store. */
    public static TlsConfig client(String peerHost) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Whether this configures the server side. */
    public boolean isServer() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The client's peer host name (for SNI and hostname verification); null for servers. */
    public String peerHost() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The SSL context. */
    public SSLContext context() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Enabled protocol versions; default TLSv1.3 and TLSv1.2. */
    public List<String> protocols() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** A copy enabling only {@code protocols} (for example "TLSv1.3"). */
    public TlsConfig withProtocols(String... protocols) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** ALPN protocol names, in preference order; default none. */
    public List<String> applicationProtocols() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** A copy offering (client) or accepting (server) these ALPN protocol names, e.g. "http/1.1". */
    public TlsConfig withApplicationProtocols(String... protocols) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Whether a client checks that the certificate matches {@link #peerHost()}; default true. */
    public boolean hostnameVerification() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** A copy with hostname verification on or off (clients only; off is for tests against IP literals). */
    public TlsConfig withHostnameVerification(boolean on) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * A new engine in the right mode with these settings applied (protocols, ALPN, SNI and endpoint
     * identification for clients). {@code peerPort} is a session-cache hint; -1 if unknown.
     */
    public SSLEngine newEngine(int peerPort) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
