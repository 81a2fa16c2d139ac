package io.duplex.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duplex.testkit.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PEM reading, with key material made at test time. The DER for PKCS#1 and SEC1 is written here by hand,
 * independently of {@link Pem}'s own encoder, so the two check each other.
 */
class PemTest {

    /** DER of OID 1.2.840.10045.3.1.7 prime256v1 (RFC 5480 2.1.1.1). */
    private static final byte[] OID_P256 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};

    private static KeyPair rsa;
    private static KeyPair ec;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeKeys() throws Exception {
        KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(2048);
        rsa = rsaGenerator.generateKeyPair();
        KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
        ecGenerator.initialize(new ECGenParameterSpec("secp256r1"));
        ec = ecGenerator.generateKeyPair();
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        return file;
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            value.writeBytes(part);
        }
        int length = value.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (length < 128) {
            out.write(length);
        } else if (length < 256) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(value.toByteArray());
        return out.toByteArray();
    }

    /** The last element of a DER SEQUENCE's content, which for PrivateKeyInfo is the privateKey OCTET STRING. */
    private static byte[] innerOctetString(byte[] pkcs8) {
        int at = skipHeader(pkcs8, 0);
        byte[] last = null;
        while (at < pkcs8.length) {
            int valueAt = skipHeader(pkcs8, at);
            int end = valueAt + length(pkcs8, at);
            last = Arrays.copyOfRange(pkcs8, valueAt, end);
            at = end;
        }
        return last;
    }

    private static int skipHeader(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        return at + 2 + (first < 0x80 ? 0 : first & 0x7f);
    }

    private static int length(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int length = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            length = length << 8 | (der[at + 2 + i] & 0xff);
        }
        return length;
    }

    private static byte[] unsigned(BigInteger value, int size) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[size];
        int copy = Math.min(bytes.length, size);
        System.arraycopy(bytes, bytes.length - copy, out, size - copy, copy);
        return out;
    }

    /** RFC 5915 3 ECPrivateKey for our P-256 key, with or without the optional parts. */
    private static byte[] sec1(boolean withCurve, boolean withPublicKey) {
        ECPrivateKey key = (ECPrivateKey) ec.getPrivate();
        ECPublicKey pub = (ECPublicKey) ec.getPublic();
        List<byte[]> fields = new java.util.ArrayList<>();
        fields.add(new byte[] {0x02, 0x01, 0x01});
        fields.add(tlv(0x04, unsigned(key.getS(), 32)));
        if (withCurve) {
            fields.add(tlv(0xa0, OID_P256));
        }
        if (withPublicKey) {
            byte[] point = new byte[65];
            point[0] = 0x04;
            System.arraycopy(unsigned(pub.getW().getAffineX(), 32), 0, point, 1, 32);
            System.arraycopy(unsigned(pub.getW().getAffineY(), 32), 0, point, 33, 32);
            fields.add(tlv(0xa1, tlv(0x03, new byte[] {0}, point)));
        }
        return tlv(0x30, fields.toArray(new byte[0][]));
    }

    @Test
    void rfc5208Pkcs8RsaKey() throws Exception {
        Path file = write("rsa.pem", pem("PRIVATE KEY", rsa.getPrivate().getEncoded()));

        PrivateKey key = Pem.readPrivateKey(file);

        assertThat(key.getAlgorithm()).isEqualTo("RSA");
        assertThat(key.getEncoded()).isEqualTo(rsa.getPrivate().getEncoded());
    }

    @Test
    void rfc5208Pkcs8EcKey() throws Exception {
        Path file = write("ec.pem", pem("PRIVATE KEY", ec.getPrivate().getEncoded()));

        PrivateKey key = Pem.readPrivateKey(file);

        assertThat(key.getAlgorithm()).isEqualTo("EC");
        assertThat(((ECPrivateKey) key).getS()).isEqualTo(((ECPrivateKey) ec.getPrivate()).getS());
    }

    @Test
    void rfc5208Pkcs8Ed25519Key() throws Exception {
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path file = write("ed.pem", pem("PRIVATE KEY", ed.getPrivate().getEncoded()));

        PrivateKey key = Pem.readPrivateKey(file);

        assertThat(key.getAlgorithm()).isIn("Ed25519", "EdDSA");
        assertThat(key.getEncoded()).isEqualTo(ed.getPrivate().getEncoded());
    }

    @Test
    void rfc8017Pkcs1RsaKey() throws Exception {
        byte[] pkcs1 = innerOctetString(rsa.getPrivate().getEncoded());
        assertThat(pkcs1[0]).as("RSAPrivateKey is a SEQUENCE").isEqualTo((byte) 0x30);
        Path file = write("rsa1.pem", pem("RSA PRIVATE KEY", pkcs1));

        PrivateKey key = Pem.readPrivateKey(file);

        assertThat(key.getAlgorithm()).isEqualTo("RSA");
        assertThat(key.getEncoded()).isEqualTo(rsa.getPrivate().getEncoded());
    }

    @Test
    void rfc5915Sec1EcKeyWithCurveAndPublicKey() throws Exception {
        Path file = write("ec1.pem", pem("EC PRIVATE KEY", sec1(true, true)));

        PrivateKey key = Pem.readPrivateKey(file);

        assertThat(key).isInstanceOf(ECPrivateKey.class);
        ECPrivateKey ecKey = (ECPrivateKey) key;
        ECPrivateKey expected = (ECPrivateKey) ec.getPrivate();
        assertThat(ecKey.getS()).isEqualTo(expected.getS());
        assertThat(ecKey.getParams().getCurve()).isEqualTo(expected.getParams().getCurve());
    }

    @Test
    void rfc5915Sec1EcKeyWithCurveOnly() throws Exception {
        Path file = write("ec1.pem", pem("EC PRIVATE KEY", sec1(true, false)));

        assertThat(((ECPrivateKey) Pem.readPrivateKey(file)).getS()).isEqualTo(((ECPrivateKey) ec.getPrivate()).getS());
    }

    @Test
    void sec1KeyWithoutCurveFailsSayingSo() throws Exception {
        Path file = write("ec1.pem", pem("EC PRIVATE KEY", sec1(false, true)));

        assertThatThrownBy(() -> Pem.readPrivateKey(file))
                .isInstanceOf(InvalidKeySpecException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("curve");
    }

    @Test
    void keyAfterOtherBlocksAndWithCrlfLineEnds() throws Exception {
        String text = "subject=CN=localhost\r\n" + pem("CERTIFICATE", TestCertificates.shared().certificate().getEncoded())
                + pem("PRIVATE KEY", ec.getPrivate().getEncoded());
        Path file = write("both.pem", text.replace("\n", "\r\n"));

        assertThat(Pem.readPrivateKey(file).getEncoded()).isEqualTo(ec.getPrivate().getEncoded());
        assertThat(Pem.readCertificates(file)).containsExactly(TestCertificates.shared().certificate());
    }

    @Test
    void encryptedPkcs8KeyIsRefusedClearly() throws Exception {
        Path file = write("enc.pem", pem("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0x00}));

        assertThatThrownBy(() -> Pem.readPrivateKey(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("encrypted");
    }

    @Test
    void encryptedTraditionalKeyIsRefusedClearly() throws Exception {
        String text = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n"
                + Base64.getEncoder().encodeToString(new byte[48]) + "\n-----END RSA PRIVATE KEY-----\n";
        Path file = write("enc1.pem", text);

        assertThatThrownBy(() -> Pem.readPrivateKey(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("encrypted")
                .hasMessageContaining("Proc-Type");
    }

    @Test
    void certificateFileGivenAsKeyNamesWhatWasFound() throws Exception {
        Path file = TestCertificates.generate(dir).certificatePem();

        assertThatThrownBy(() -> Pem.readPrivateKey(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("found: CERTIFICATE");
    }

    @Test
    void fileWithoutPemBlocks() throws Exception {
        Path file = write("empty.pem", "hello\n");

        assertThatThrownBy(() -> Pem.readCertificates(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no CERTIFICATE block in " + file)
                .hasMessageContaining("no PEM blocks");
    }

    @Test
    void keyBlockThatIsNotAKey() throws Exception {
        Path file = write("junk.pem", pem("PRIVATE KEY", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}));

        assertThatThrownBy(() -> Pem.readPrivateKey(file))
                .isInstanceOf(InvalidKeySpecException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("tried [RSA, EC");
    }

    @Test
    void pkcs1BlockThatIsNotDer() throws Exception {
        Path file = write("junk1.pem", pem("RSA PRIVATE KEY", new byte[] {0x02, 0x01, 0x00}));

        assertThatThrownBy(() -> Pem.readPrivateKey(file))
                .isInstanceOf(InvalidKeySpecException.class)
                .hasMessageContaining("not valid DER")
                .hasMessageContaining("tag 0x30");
    }

    @Test
    void invalidBase64() throws Exception {
        Path file = write("bad.pem", "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> Pem.readCertificates(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not valid base64");
    }

    @Test
    void certificateChainInOrder() throws Exception {
        TestCertificates certs = TestCertificates.generate(dir);
        String one = Files.readString(certs.certificatePem());
        Path chain = write("chain.pem", one + one);

        assertThat(Pem.readCertificates(chain)).containsExactly(certs.certificate(), certs.certificate());
    }

    @Test
    void corruptCertificateNamesFileAndPosition() throws Exception {
        Path file = write("corrupt.pem", pem("CERTIFICATE", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}));

        assertThatThrownBy(() -> Pem.readCertificates(file))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("certificate 1 in " + file);
    }

    @Test
    void derLengthsInLongForm() {
        byte[] value = new byte[300];
        byte[] encoded = Pem.Der.tlv(0x04, value);

        assertThat(Arrays.copyOf(encoded, 4)).containsExactly(0x04, 0x82, 0x01, 0x2c);
        assertThat(new Pem.Der.Reader(encoded).next()).hasSize(300);
    }
}
