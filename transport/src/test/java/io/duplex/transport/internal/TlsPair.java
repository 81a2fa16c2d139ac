package io.duplex.transport.internal;

import io.duplex.transport.TlsConfig;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * A client and a server codec wired back to back in memory: {@link #pump()} moves each side's net output
 * into the other's receive, optionally cut into chunks of {@link #chunk} bytes, and collects the plaintext
 * each side receives.
 *
 * <p>Threading: test-thread only.
 */
final class TlsPair {
    /** Rounds of pumping after which the two sides are considered to be talking forever. */
    private static final int MAX_ROUNDS = 10_000;

    final SSLEngine clientEngine;
    final SSLEngine serverEngine;
    final TlsCodec client;
    final TlsCodec server;
    final ByteArrayOutputStream clientReceived = new ByteArrayOutputStream();
    final ByteArrayOutputStream serverReceived = new ByteArrayOutputStream();
    /** Ciphertext bytes per receive call; Integer.MAX_VALUE delivers each output buffer whole. */
    int chunk = Integer.MAX_VALUE;
    long clientToServerBytes;
    long serverToClientBytes;

    TlsPair(TlsConfig clientConfig, TlsConfig serverConfig) {
        clientEngine = clientConfig.newEngine(443);
        serverEngine = serverConfig.newEngine(-1);
        client = new TlsCodec(clientEngine);
        server = new TlsCodec(serverEngine);
    }

    /** Starts both sides and pumps until both are quiet. */
    TlsPair handshake() throws SSLException {
        client.beginHandshake();
        server.beginHandshake();
        pump();
        return this;
    }

    /** Moves ciphertext both ways until neither side has any; fails if that never happens. */
    void pump() throws SSLException {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            if (!client.hasNetOutput() && !server.hasNetOutput()) {
                return;
            }
            clientToServerBytes += deliver(client, server, serverReceived);
            serverToClientBytes += deliver(server, client, clientReceived);
        }
        throw new AssertionError("the codecs still exchange ciphertext after " + MAX_ROUNDS + " rounds");
    }

    /** Moves one side's pending net output to the other, in chunks. */
    long deliver(TlsCodec from, TlsCodec to, ByteArrayOutputStream received) throws SSLException {
        long moved = 0;
        ByteBuffer out;
        while ((out = from.pollNetOutput()) != null) {
            moved += out.remaining();
            while (out.hasRemaining()) {
                int count = Math.min(chunk, out.remaining());
                ByteBuffer piece = out.slice(out.position(), count);
                to.receive(piece, data -> {
                    byte[] bytes = new byte[data.remaining()];
                    data.get(bytes);
                    received.writeBytes(bytes);
                });
                if (piece.hasRemaining()) {
                    throw new AssertionError("receive left " + piece.remaining() + " of " + count + " bytes unconsumed");
                }
                out.position(out.position() + count);
            }
        }
        return moved;
    }
}
