package io.duplex.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BlobTest {

    @Test
    void holdsACopyOfItsBytes() throws IOException {
        byte[] source = {1, 2, 3};
        Blob blob = Blob.of(source, "application/Octet-Stream");
        source[0] = 9;
        assertThat(blob.size()).isEqualTo(3);
        assertThat(blob.type()).isEqualTo("application/octet-stream");
        assertThat(blob.bytes()).containsExactly(1, 2, 3);
        blob.bytes()[0] = 7;
        assertThat(blob.bytes()).containsExactly(1, 2, 3);
        assertThat(blob.stream().readAllBytes()).containsExactly(1, 2, 3);
    }

    @Test
    void arrayBufferIsReadOnly() {
        ByteBuffer b = Blob.of(new byte[] {1, 2}).arrayBuffer();
        assertThat(b.isReadOnly()).isTrue();
        assertThat(b.remaining()).isEqualTo(2);
        assertThatThrownBy(() -> b.put(0, (byte) 5)).isInstanceOf(ReadOnlyBufferException.class);
    }

    @Test
    void textDecodesUtf8WithReplacement() {
        assertThat(Blob.ofText("h\u00E9").text()).isEqualTo("h\u00E9");
        assertThat(Blob.ofText("h\u00E9").size()).isEqualTo(3);
        assertThat(Blob.of(new byte[] {(byte) 0xFF, 'a'}).text()).isEqualTo("\uFFFDa");
    }

    @Test
    void sliceClampsAndCountsNegativeIndicesFromTheEnd() {
        Blob blob = Blob.of("hello world".getBytes(StandardCharsets.US_ASCII));
        assertThat(blob.slice(0, 5).text()).isEqualTo("hello");
        assertThat(blob.slice(-5, 11).text()).isEqualTo("world");
        assertThat(blob.slice(6, 100).text()).isEqualTo("world");
        assertThat(blob.slice(-100, 2).text()).isEqualTo("he");
        assertThat(blob.slice(5, 2).size()).isZero();
        assertThat(blob.slice(1, -1, "text/plain").text()).isEqualTo("ello worl");
        assertThat(blob.slice(1, -1, "text/plain").type()).isEqualTo("text/plain");
        assertThat(blob.slice(2, 8).slice(1, 3).text()).isEqualTo("lo");
    }

    @Test
    void typeWithCharactersOutsidePrintableAsciiBecomesEmpty() {
        assertThat(Blob.of(new byte[0], "text/pl\u00E4in").type()).isEmpty();
        assertThat(Blob.of(new byte[0], "text/\nplain").type()).isEmpty();
    }

    @Test
    void equalityIsByContentAndType() {
        assertThat(Blob.of(new byte[] {1, 2})).isEqualTo(Blob.of(new byte[] {0, 1, 2}).slice(1, 3));
        assertThat(Blob.of(new byte[] {1, 2}).hashCode()).isEqualTo(Blob.of(new byte[] {0, 1, 2}).slice(1, 3).hashCode());
        assertThat(Blob.of(new byte[] {1, 2}, "a/b")).isNotEqualTo(Blob.of(new byte[] {1, 2}));
    }
}
