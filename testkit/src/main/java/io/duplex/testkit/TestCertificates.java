package io.duplex.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code CN=localhost} (SAN DNS:localhost, IP:127.0.0.1, IP:::1) with an EC
 * P-256 key, made at test time by the running JDK's keytool, valid for three days. Nothing here is ever
 * committed: the key is generated once per JVM into a temporary directory (deleted at exit) and copied
 * into each directory passed to {@link #generate}.
 *
 * <p>Files written: {@code keystore.p12} (PKCS12, password {@link #password()}), {@code cert.pem} (keytool
 * {@code -exportcert -rfc}) and {@code key.pem} (PKCS#8 "PRIVATE KEY").
 *
 * <p>Threading: immutable once made; {@link #generate} is safe from any thread.
 */
public final class TestCertificates {

    /** Alias of the key entry in {@link #keyStore()}. */
    public static final String ALIAS = "localhost";
    private static final String KEYSTORE_FILE = "keystore.p12";
    private static final String CERT_FILE = "cert.pem";
    private static final String KEY_FILE = "key.pem";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    private static TestCertificates original;

    private final Path directory;
    private final char[] password;
    private final KeyStore keyStore;

    private TestCertificates(Path directory, char[] password, KeyStore keyStore) {
        this.directory = directory;
        this.password = password;
        this.keyStore = keyStore;
    }

    /**
     * Writes the JVM's test certificate, its key store and its key into {@code dir} (created if needed),
     * running keytool on the first call only.
     *
     * @param dir where the three files go, typically a JUnit {@code @TempDir}
     * @return the certificate, with its files in {@code dir}
     * @throws UncheckedIOException if keytool is missing, fails or times out, or a file cannot be written
     */
    public static TestCertificates generate(Path dir) {
        TestCertificates source = original();
        try {
            Files.createDirectories(dir);
            if (!dir.toAbsolutePath().equals(source.directory.toAbsolutePath())) {
                for (String name : List.of(KEYSTORE_FILE, CERT_FILE, KEY_FILE)) {
                    Files.copy(source.directory.resolve(name), dir.resolve(name),
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write test certificates into " + dir, e);
        }
        return new TestCertificates(dir, source.password, source.keyStore);
    }

    /** The JVM's test certificate in its own temporary directory (made on first use). */
    public static TestCertificates shared() {
        return original();
    }

    private static synchronized TestCertificates original() {
        if (original == null) {
            try {
                Path dir = Files.createTempDirectory("duplex-test-certificates");
                deleteAtExit(dir);
                original = makeWithKeytool(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot generate test certificates: " + e.getMessage(), e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot read the test certificates keytool made: " + e.getMessage(), e);
            }
        }
        return original;
    }

    private static TestCertificates makeWithKeytool(Path dir) throws IOException, GeneralSecurityException {
        byte[] secret = new byte[12];
        new SecureRandom().nextBytes(secret);
        char[] password = HexFormat.of().formatHex(secret).toCharArray();
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        if (!Files.isExecutable(keytool)) {
            throw new IOException("keytool not found at " + keytool + " (java.home=" + System.getProperty("java.home") + ")");
        }
        Path keyStoreFile = dir.resolve(KEYSTORE_FILE);
        String store = keyStoreFile.toString();
        String pass = new String(password);
        runKeytool(List.of(keytool.toString(), "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                "-sigalg", "SHA256withECDSA", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:::1",
                "-validity", "3", "-keystore", store, "-storetype", "PKCS12", "-storepass", pass, "-keypass", pass));
        runKeytool(List.of(keytool.toString(), "-exportcert", "-rfc", "-alias", ALIAS, "-keystore", store,
                "-storetype", "PKCS12", "-storepass", pass, "-file", dir.resolve(CERT_FILE).toString()));
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            keyStore.load(in, password);
        }
        byte[] pkcs8 = keyStore.getKey(ALIAS, password).getEncoded();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";
        Files.writeString(dir.resolve(KEY_FILE), pem, StandardCharsets.US_ASCII);
        return new TestCertificates(dir, password, keyStore);
    }

    private static void runKeytool(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output;
        try (InputStream in = process.getInputStream()) {
            output = in.readAllBytes();
        }
        try {
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool " + command.get(1) + " did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while waiting for keytool " + command.get(1), e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("keytool " + command.get(1) + " exited with " + process.exitValue() + ": "
                    + new String(output, StandardCharsets.UTF_8).strip());
        }
    }

    private static void deleteAtExit(Path dir) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Stream<Path> files = Files.walk(dir)) {
                List<Path> all = new ArrayList<>(files.toList());
                Collections.reverse(all);
                for (Path path : all) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                // Best effort: a leftover temporary directory is harmless.
            }
        }, "delete duplex test certificates"));
    }

    /** The in-memory PKCS12 key store holding the key and certificate under {@link #ALIAS}. */
    public KeyStore keyStore() {
        return keyStore;
    }

    /** The PKCS12 key store file. */
    public Path keyStoreFile() {
        return directory.resolve(KEYSTORE_FILE);
    }

    /** The certificate as a PEM file ("CERTIFICATE"). */
    public Path certificatePem() {
        return directory.resolve(CERT_FILE);
    }

    /** The private key as a PKCS#8 PEM file ("PRIVATE KEY"). */
    public Path privateKeyPem() {
        return directory.resolve(KEY_FILE);
    }

    /** The password of the key store and of the key entry (a copy). */
    public char[] password() {
        return password.clone();
    }

    /** The certificate. */
    public X509Certificate certificate() {
        try {
            return (X509Certificate) keyStore.getCertificate(ALIAS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the test key store has no certificate: " + e.getMessage(), e);
        }
    }

    /** A new TLS context presenting this certificate (for servers); it trusts the JDK's default CAs. */
    public SSLContext serverContext() {
        try {
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keyStore, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a server SSLContext from the test key: " + e.getMessage(), e);
        }
    }

    /** A new TLS context trusting this certificate and nothing else (for clients). */
    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(ALIAS, certificate());
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a client SSLContext trusting the test certificate: " + e.getMessage(), e);
        }
    }
}
