package io.duplex.core.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AcceptKeyTest {

    @Test
    void rfc6455Section1_3SampleKeyGivesTheSampleAccept() {
        assertThat(AcceptKey.of("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void matchesMessageDigestForKeysOfEveryLengthUpTo200() throws Exception {
        // 0-200 characters put the padding in every position of one, two, three and four blocks
        Random random = new Random(6455);
        for (int length = 0; length <= 200; length++) {
            char[] key = new char[length];
            for (int i = 0; i < length; i++) {
                key[i] = (char) random.nextInt(256); // any ISO-8859-1 char a parsed head may hold
            }
            String text = new String(key);
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((text + ServerHandshake.ACCEPT_GUID).getBytes(StandardCharsets.ISO_8859_1));
            assertThat(AcceptKey.of(text)).as("key of %d chars", length)
                    .isEqualTo(Base64.getEncoder().encodeToString(digest));
        }
    }

    @Test
    void writesTheValueAtTheOffsetAndNothingElse() {
        byte[] out = new byte[AcceptKey.LENGTH + 4];
        AcceptKey.write("dGhlIHNhbXBsZSBub25jZQ==", out, 2);
        assertThat(new String(out, 2, AcceptKey.LENGTH, StandardCharsets.US_ASCII))
                .isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        assertThat(out[0]).isZero();
        assertThat(out[1]).isZero();
        assertThat(out[out.length - 2]).isZero();
        assertThat(out[out.length - 1]).isZero();
    }
}
