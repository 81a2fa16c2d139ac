package io.duplex.transport.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM files (RFC 7468 textual encoding) holding X.509 certificates and unencrypted private keys.
 *
 * <p>Keys come in three shapes: PKCS#8 "PRIVATE KEY" (RFC 5208), read as is; PKCS#1 "RSA PRIVATE KEY"
 * (RFC 8017 A.1.2) and SEC1 "EC PRIVATE KEY" (RFC 5915), which the JDK's key factories do not read, so they
 * are wrapped here into a PKCS#8 PrivateKeyInfo by writing the few DER bytes around them. Encrypted keys
 * (PKCS#8 "ENCRYPTED PRIVATE KEY", or OpenSSL's "Proc-Type: 4,ENCRYPTED" headers) are refused with a
 * message saying so, since we hold no password.
 *
 * <p>Threading: stateless; safe from any thread.
 */
public final class Pem {

    // RFC 7468 2: "-----BEGIN label-----", base64 body (optionally RFC 1421 headers first), "-----END label-----".
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    /** DER of OID 1.2.840.113549.1.1.1 rsaEncryption (RFC 8017 A.1), the algorithm of a PKCS#1 key. */
    private static final byte[] OID_RSA_ENCRYPTION = {
        0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    /** DER of OID 1.2.840.10045.2.1 id-ecPublicKey (RFC 5480 2.1.1), the algorithm of a SEC1 key. */
    private static final byte[] OID_EC_PUBLIC_KEY = {
        0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private static final int TAG_INTEGER = 0x02;
    private static final int TAG_NULL = 0x05;
    private static final int TAG_OCTET_STRING = 0x04;
    private static final int TAG_OID = 0x06;
    private static final int TAG_SEQUENCE = 0x30;
    private static final int TAG_CONTEXT_0 = 0xa0;

    /** Key factories tried, in order, for a PKCS#8 key whose algorithm we do not look up ourselves. */
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

    private Pem() {
    }

    /** One PEM block: its label and decoded body. */
    private record Block(String label, boolean encryptedHeader, byte[] der) {
    }

    /**
     * Reads every "CERTIFICATE" block of {@code file}, in order (for a chain: leaf first).
     *
     * @throws IOException if the file cannot be read or holds no certificate
     * @throws CertificateException if a block is not an X.509 certificate
     */
    public static List<X509Certificate> readCertificates(Path file) throws IOException, CertificateException {
        List<Block> blocks = read(file);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : blocks) {
            if (!block.label().equals("CERTIFICATE")) {
                continue;
            }
            try {
                Certificate certificate = factory.generateCertificate(new ByteArrayInputStream(block.der()));
                certificates.add((X509Certificate) certificate);
            } catch (CertificateException e) {
                throw new CertificateException("certificate " + (certificates.size() + 1) + " in " + file
                        + " is not a valid X.509 certificate: " + e.getMessage(), e);
            }
        }
        if (certificates.isEmpty()) {
            throw new IOException("no CERTIFICATE block in " + file + " (found: " + labels(blocks) + ")");
        }
        return List.copyOf(certificates);
    }

    /**
     * Reads the first private key block of {@code file}: "PRIVATE KEY", "RSA PRIVATE KEY" or
     * "EC PRIVATE KEY".
     *
     * @throws IOException if the file cannot be read, holds no private key, or holds an encrypted one
     * @throws GeneralSecurityException if the key cannot be decoded
     */
    public static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        List<Block> blocks = read(file);
        for (Block block : blocks) {
            switch (block.label()) {
                case "ENCRYPTED PRIVATE KEY" -> throw new IOException("the private key in " + file
                        + " is encrypted (ENCRYPTED PRIVATE KEY); encrypted keys are not supported, decrypt it first"
                        + " (e.g. openssl pkcs8 -in key.pem -out plain.pem)");
                case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY" -> {
                    if (block.encryptedHeader()) {
                        throw new IOException("the " + block.label() + " in " + file + " is encrypted"
                                + " (Proc-Type: 4,ENCRYPTED); encrypted keys are not supported, decrypt it first");
                    }
                    return decodeKey(file, block);
                }
                default -> {
                    // Certificates or parameters beside the key are allowed; keep looking.
                }
            }
        }
        throw new IOException("no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block in " + file
                + " (found: " + labels(blocks) + ")");
    }

    private static PrivateKey decodeKey(Path file, Block block) throws GeneralSecurityException {
        byte[] pkcs8;
        try {
            pkcs8 = switch (block.label()) {
                case "RSA PRIVATE KEY" -> pkcs8FromPkcs1(block.der());
                case "EC PRIVATE KEY" -> pkcs8FromSec1(block.der());
                default -> block.der();
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidKeySpecException("the " + block.label() + " in " + file + " is not valid DER: "
                    + e.getMessage(), e);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
        List<String> tried = new ArrayList<>();
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
                tried.add(algorithm);
            }
        }
        throw new InvalidKeySpecException("the " + block.label() + " in " + file
                + " is not a private key of any supported algorithm (tried " + tried + ")");
    }

    /**
     * RFC 5208 5: PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier, OCTET STRING privateKey },
     * with rsaEncryption and NULL parameters (RFC 8017 A.1) around the PKCS#1 RSAPrivateKey.
     */
    static byte[] pkcs8FromPkcs1(byte[] pkcs1) {
        Der.Reader reader = new Der.Reader(pkcs1);
        reader.expect(TAG_SEQUENCE, "RSAPrivateKey");
        byte[] algorithm = Der.tlv(TAG_SEQUENCE, Der.concat(OID_RSA_ENCRYPTION, Der.tlv(TAG_NULL, new byte[0])));
        return privateKeyInfo(algorithm, pkcs1);
    }

    /**
     * RFC 5915 3: ECPrivateKey ::= SEQUENCE { version 1, OCTET STRING privateKey, [0] ECParameters OPTIONAL,
     * [1] BIT STRING publicKey OPTIONAL }. PKCS#8 needs the named curve OID in the AlgorithmIdentifier
     * (RFC 5480 2.1.1), so it is lifted out of the [0] parameters.
     */
    static byte[] pkcs8FromSec1(byte[] sec1) {
        Der.Reader outer = new Der.Reader(sec1);
        Der.Reader fields = new Der.Reader(outer.expect(TAG_SEQUENCE, "ECPrivateKey"));
        fields.expect(TAG_INTEGER, "ECPrivateKey version");
        fields.expect(TAG_OCTET_STRING, "ECPrivateKey privateKey");
        byte[] curve = null;
        while (fields.hasMore()) {
            int tag = fields.peekTag();
            byte[] value = fields.next();
            if (tag == TAG_CONTEXT_0) {
                Der.Reader parameters = new Der.Reader(value);
                if (parameters.peekTag() != TAG_OID) {
                    throw new IllegalArgumentException("EC parameters are not a named curve (tag 0x"
                            + Integer.toHexString(parameters.peekTag()) + "); only named curves are supported");
                }
                curve = Der.tlv(TAG_OID, parameters.next());
            }
        }
        if (curve == null) {
            throw new IllegalArgumentException("ECPrivateKey has no [0] parameters naming its curve");
        }
        byte[] algorithm = Der.tlv(TAG_SEQUENCE, Der.concat(OID_EC_PUBLIC_KEY, curve));
        return privateKeyInfo(algorithm, sec1);
    }

    private static byte[] privateKeyInfo(byte[] algorithm, byte[] privateKey) {
        byte[] version = {TAG_INTEGER, 0x01, 0x00};
        return Der.tlv(TAG_SEQUENCE, Der.concat(version, algorithm, Der.tlv(TAG_OCTET_STRING, privateKey)));
    }

    private static List<Block> read(Path file) throws IOException {
        // PEM is ASCII; ISO-8859-1 maps every byte so that a binary (DER) file gives a clean "no block" error.
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            String label = matcher.group(1);
            String body = matcher.group(2);
            boolean encrypted = false;
            StringBuilder base64 = new StringBuilder(body.length());
            for (String line : body.split("\r?\n|\r")) {
                // RFC 1421 4.4 headers (OpenSSL's traditional encrypted keys) are "Name: value" lines.
                if (line.indexOf(':') >= 0) {
                    encrypted |= line.startsWith("Proc-Type:") && line.contains("ENCRYPTED");
                    continue;
                }
                base64.append(line.replaceAll("\\s+", ""));
            }
            byte[] der;
            try {
                // The strict decoder: the MIME one silently skips characters outside the alphabet.
                der = Base64.getDecoder().decode(base64.toString());
            } catch (IllegalArgumentException e) {
                throw new IOException("the " + label + " block in " + file + " is not valid base64: " + e.getMessage(), e);
            }
            blocks.add(new Block(label, encrypted, der));
        }
        return blocks;
    }

    private static String labels(List<Block> blocks) {
        if (blocks.isEmpty()) {
            return "no PEM blocks";
        }
        Set<String> labels = new LinkedHashSet<>();
        for (Block block : blocks) {
            labels.add(block.label());
        }
        return String.join(", ", labels);
    }

    /** Just enough DER (X.690) to walk a SEQUENCE and to write definite-length TLVs. */
    static final class Der {
        private Der() {
        }

        static byte[] tlv(int tag, byte[] value) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
            out.write(tag);
            int length = value.length;
            if (length < 0x80) {
                out.write(length);
            } else {
                int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
                out.write(0x80 | bytes);
                for (int i = bytes - 1; i >= 0; i--) {
                    out.write(length >>> (8 * i));
                }
            }
            out.writeBytes(value);
            return out.toByteArray();
        }

        static byte[] concat(byte[]... parts) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] part : parts) {
                out.writeBytes(part);
            }
            return out.toByteArray();
        }

        /** Reads consecutive TLVs from a byte array; throws IllegalArgumentException on malformed input. */
        static final class Reader {
            private final byte[] data;
            private int position;

            Reader(byte[] data) {
                this.data = data;
            }

            boolean hasMore() {
                return position < data.length;
            }

            int peekTag() {
                if (!hasMore()) {
                    throw new IllegalArgumentException("DER ends at offset " + position + " where an element was expected");
                }
                return data[position] & 0xff;
            }

            byte[] expect(int tag, String what) {
                int actual = peekTag();
                if (actual != tag) {
                    throw new IllegalArgumentException(what + " should have tag 0x" + Integer.toHexString(tag)
                            + " but has 0x" + Integer.toHexString(actual) + " at offset " + position);
                }
                return next();
            }

            /** The value of the next element (tag and length skipped). */
            byte[] next() {
                peekTag();
                int at = position + 1;
                if (at >= data.length) {
                    throw new IllegalArgumentException("DER length missing at offset " + at);
                }
                int first = data[at++] & 0xff;
                long length;
                if (first < 0x80) {
                    length = first;
                } else {
                    int bytes = first & 0x7f;
                    if (bytes == 0 || bytes > 4) {
                        throw new IllegalArgumentException("DER length of " + bytes + " bytes at offset " + (at - 1)
                                + " is not supported (indefinite or over 4 bytes)");
                    }
                    length = 0;
                    for (int i = 0; i < bytes; i++) {
                        if (at >= data.length) {
                            throw new IllegalArgumentException("DER length truncated at offset " + at);
                        }
                        length = length << 8 | (data[at++] & 0xff);
                    }
                }
                if (length > data.length - at) {
                    throw new IllegalArgumentException("DER element at offset " + position + " claims " + length
                            + " bytes but only " + (data.length - at) + " remain");
                }
                byte[] value = java.util.Arrays.copyOfRange(data, at, at + (int) length);
                position = at + (int) length;
                return value;
            }
        }
    }
}
