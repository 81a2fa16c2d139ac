package io.duplex.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.testkit.TestCertificates;
import io.duplex.transport.TlsConfig;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import javax.net.ssl.SSLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TLS layer's pending-output count, in memory: a server {@link TlsLayer} against a client {@link TlsCodec},
 * with the socket queue written by hand, so that every partial write can be checked.
 */
class TlsLayerTest {

    private static final TestCertificates CERTS = TestCertificates.shared();

    private final ByteArrayOutputStream serverReceived = new ByteArrayOutputStream();
    private final ByteArrayOutputStream clientReceived = new ByteArrayOutputStream();

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private void toClient(TlsCodec client, ByteBuffer ciphertext) throws SSLException {
        client.receive(ciphertext, data -> {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            clientReceived.writeBytes(b);
        });
    }

    /** Handshakes; every socket queue the layer fills with handshake messages alone must count as 0 pending. */
    private TlsLayer handshake(TlsCodec client, String protocol) throws SSLException {
        TlsLayer layer = new TlsLayer(TlsConfig.server(CERTS.serverContext()).withProtocols(protocol).newEngine(-1), data -> {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            serverReceived.writeBytes(b);
        });
        layer.begin();
        client.beginHandshake();
        for (int round = 0; round < 100; round++) {
            boolean moved = false;
            while (client.hasNetOutput()) {
                layer.receive(client.pollNetOutput());
                moved = true;
            }
            WriteQueue socket = layer.drainInto(null);
            if (socket != null) {
                assertThat(layer.pendingPlaintextBytes(socket.bytes())).as("handshake messages are not counted").isZero();
                for (ByteBuffer b : socket.takeAll()) {
                    toClient(client, b);
                }
                moved = true;
            }
            if (!moved) {
                assertThat(layer.isHandshakeComplete()).isTrue();
                return layer;
            }
        }
        throw new AssertionError("the handshake did not settle in 100 rounds");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void pendingCountsPlaintextUntilTheLastByteOfItsCiphertextIsWritten(String protocol) throws SSLException {
        TlsCodec client = new TlsCodec(TlsConfig.client(CERTS.clientContext(), "localhost").withProtocols(protocol).newEngine(443));
        TlsLayer layer = handshake(client, protocol);
        byte[] payload = random(200_000, 9);

        layer.queue(ByteBuffer.wrap(payload, 0, 150_000));
        layer.queue(ByteBuffer.wrap(payload, 150_000, 50_000));
        assertThat(layer.pendingPlaintextBytes(0)).as("queued, not encrypted").isEqualTo(200_000);
        WriteQueue socket = layer.encryptInto(null);
        assertThat(socket.bytes()).as("ciphertext, with its framing").isGreaterThan(200_000);
        assertThat(layer.pendingPlaintextBytes(socket.bytes())).as("encrypted, nothing written").isEqualTo(200_000);

        // Write the socket queue a buffer at a time, stopping one byte short of each buffer's end first.
        long previous = 200_000;
        int buffers = 0;
        while (!socket.isEmpty()) {
            ByteBuffer first = socket.first();
            ByteBuffer copy = first.duplicate();
            socket.consume(first.remaining() - 1);
            assertThat(layer.pendingPlaintextBytes(socket.bytes())).as("one byte of the buffer unwritten").isEqualTo(previous);
            socket.consume(1);
            long pending = layer.pendingPlaintextBytes(socket.bytes());
            assertThat(pending).isLessThan(previous).isGreaterThanOrEqualTo(0);
            // A buffer holds at most 4 packets of ciphertext, so at most 4 full records of plaintext.
            assertThat(previous - pending).isLessThanOrEqualTo(4 * 16_384);
            previous = pending;
            buffers++;
            toClient(client, copy);
        }
        assertThat(buffers).isGreaterThan(1);
        assertThat(previous).isZero();
        assertThat(clientReceived.toByteArray()).isEqualTo(payload);

        // Plaintext queued behind ciphertext still in the queue counts as soon as it is queued.
        layer.queue(ByteBuffer.wrap(payload, 0, 10));
        socket = layer.encryptInto(null);
        layer.queue(ByteBuffer.wrap(payload, 10, 20));
        assertThat(layer.pendingPlaintextBytes(socket.bytes())).isEqualTo(30);
        socket = layer.encryptInto(socket);
        assertThat(layer.pendingPlaintextBytes(socket.bytes())).isEqualTo(30);
        socket.consume(socket.bytes());
        assertThat(layer.pendingPlaintextBytes(socket.bytes())).isZero();

        WriteQueue closing = layer.closeOutbound(null);
        assertThat(closing.bytes()).as("close_notify").isPositive();
        assertThat(layer.pendingPlaintextBytes(closing.bytes())).as("close_notify is not counted").isZero();
    }
}
