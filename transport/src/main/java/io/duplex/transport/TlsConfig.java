package io.duplex.transport;

import io.duplex.transport.internal.Pem;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * TLS settings for one side: a server (certificate and key) or a client (trust, peer host for SNI and
 * hostname verification). Defaults are secure: TLS 1.3 and 1.2 only, the JDK's default cipher suites,
 * hostname verification on for clients.
 *
 * <p>Threading: immutable; {@code with...} methods return copies.
 */
public final class TlsConfig {

    private static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** Alias and password of the in-memory key store built by {@link #serverFromPem}; never persisted. */
    private static final String PEM_KEY_ALIAS = "server";
    private static final char[] PEM_KEY_PASSWORD = "duplex-in-memory".toCharArray();

    private final boolean server;
    private final SSLContext context;
    private final String peerHost;
    private final List<String> protocols;
    private final List<String> applicationProtocols;
    private final boolean hostnameVerification;

    private TlsConfig(boolean server, SSLContext context, String peerHost, List<String> protocols,
            List<String> applicationProtocols, boolean hostnameVerification) {
        this.server = server;
        this.context = context;
        this.peerHost = peerHost;
        this.protocols = protocols;
        this.applicationProtocols = applicationProtocols;
        this.hostnameVerification = hostnameVerification;
    }

    /** A server configuration using {@code context}'s key managers. */
    public static TlsConfig server(SSLContext context) {
        Objects.requireNonNull(context, "context");
        return new TlsConfig(true, context, null, DEFAULT_PROTOCOLS, List.of(), false);
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
        List<X509Certificate> chain = Pem.readCertificates(certificateChain);
        PrivateKey key = Pem.readPrivateKey(privateKey);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException("an empty in-memory PKCS12 key store could not be created", e);
        }
        try {
            store.setKeyEntry(PEM_KEY_ALIAS, key, PEM_KEY_PASSWORD, chain.toArray(new X509Certificate[0]));
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException("the private key in " + privateKey + " (" + key.getAlgorithm()
                    + ") does not fit the certificate chain in " + certificateChain + ": " + e.getMessage(), e);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, PEM_KEY_PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        return server(context);
    }

    /** A client configuration trusting what {@code context} trusts, connecting to {@code peerHost}. */
    public static TlsConfig client(SSLContext context, String peerHost) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(peerHost, "peerHost");
        if (peerHost.isEmpty()) {
            throw new IllegalArgumentException("peerHost is empty; a client needs the host name it connects to");
        }
        return new TlsConfig(false, context, peerHost, DEFAULT_PROTOCOLS, List.of(), true);
    }

    /** A client configuration with the JDK's default trust store. */
    public static TlsConfig client(String peerHost) {
        try {
            return client(SSLContext.getDefault(), peerHost);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default SSLContext: " + e.getMessage(), e);
        }
    }

    /** Whether this configures the server side. */
    public boolean isServer() {
        return server;
    }

    /** The client's peer host name (for SNI and hostname verification); null for servers. */
    public String peerHost() {
        return peerHost;
    }

    /** The SSL context. */
    public SSLContext context() {
        return context;
    }

    /** Enabled protocol versions; default TLSv1.3 and TLSv1.2. */
    public List<String> protocols() {
        return protocols;
    }

    /** A copy enabling only {@code protocols} (for example "TLSv1.3"). */
    public TlsConfig withProtocols(String... protocols) {
        List<String> list = names("protocol", protocols);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("no protocols given; at least one (e.g. \"TLSv1.3\") is needed");
        }
        return new TlsConfig(server, context, peerHost, list, applicationProtocols, hostnameVerification);
    }

    /** ALPN protocol names, in preference order; default none. */
    public List<String> applicationProtocols() {
        return applicationProtocols;
    }

    /** A copy offering (client) or accepting (server) these ALPN protocol names, e.g. "http/1.1". */
    public TlsConfig withApplicationProtocols(String... protocols) {
        List<String> list = names("application protocol", protocols);
        return new TlsConfig(server, context, peerHost, protocols(), list, hostnameVerification);
    }

    /** Whether a client checks that the certificate matches {@link #peerHost()}; default true. */
    public boolean hostnameVerification() {
        return hostnameVerification;
    }

    /** A copy with hostname verification on or off (clients only; off is for tests against IP literals). */
    public TlsConfig withHostnameVerification(boolean on) {
        if (server && on) {
            throw new IllegalStateException("hostname verification applies to clients; this is a server configuration");
        }
        return new TlsConfig(server, context, peerHost, protocols, applicationProtocols, on);
    }

    /**
     * A new engine in the right mode with these settings applied (protocols, ALPN, SNI and endpoint
     * identification for clients). {@code peerPort} is a session-cache hint; -1 if unknown.
     */
    public SSLEngine newEngine(int peerPort) {
        SSLEngine engine;
        if (server) {
            engine = context.createSSLEngine();
            engine.setUseClientMode(false);
        } else {
            engine = context.createSSLEngine(peerHost, peerPort);
            engine.setUseClientMode(true);
        }
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(enabledProtocols(engine.getSupportedProtocols()));
        if (!applicationProtocols.isEmpty()) {
            parameters.setApplicationProtocols(applicationProtocols.toArray(new String[0]));
        }
        if (!server) {
            // RFC 6066 3: "Literal IPv4 and IPv6 addresses are not permitted in HostName."
            if (!isIpLiteral(peerHost)) {
                SNIHostName name = sniHostName(peerHost);
                if (name != null) {
                    parameters.setServerNames(List.of(name));
                }
            }
            if (hostnameVerification) {
                // RFC 2818 3.1 / RFC 6125: the JDK's "HTTPS" algorithm checks the SAN against peerHost.
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    /**
     * The SNI name for {@code host}, or null when the JDK refuses it (a DNS name that is not a strict host
     * name, such as one with an underscore or a trailing dot): such a peer is still reachable, only without
     * SNI, and hostname verification still applies.
     */
    private static SNIHostName sniHostName(String host) {
        try {
            return new SNIHostName(host);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private String[] enabledProtocols(String[] supported) {
        List<String> supportedList = Arrays.asList(supported);
        String[] enabled = protocols.stream().filter(supportedList::contains).toArray(String[]::new);
        if (enabled.length == 0) {
            throw new IllegalArgumentException("none of the configured protocols " + protocols
                    + " is supported by this JDK's TLS provider (supported: " + supportedList + ")");
        }
        return enabled;
    }

    private static List<String> names(String what, String... names) {
        Objects.requireNonNull(names, what + "s");
        List<String> list = new ArrayList<>(names.length);
        for (String name : names) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException(what + " name " + (name == null ? "null" : "\"\"")
                        + " in " + Arrays.toString(names) + " is not allowed");
            }
            list.add(name);
        }
        return List.copyOf(list);
    }

    /** Whether {@code host} is an IPv4 dotted quad or an IPv6 literal (with or without brackets). */
    static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0 || host.startsWith("[")) {
            return true;
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "TlsConfig[" + (server ? "server" : "client to " + peerHost) + ", protocols=" + protocols
                + ", alpn=" + applicationProtocols + (server ? "" : ", hostnameVerification=" + hostnameVerification)
                + "]";
    }
}
