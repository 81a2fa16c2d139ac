package io.duplex.cli.internal;

import io.duplex.server.SendStatus;
import io.duplex.server.ServerWebSocket;
import io.duplex.server.WebSocketHandler;
import java.nio.ByteBuffer;

/**
 * Sends every message back as it came: text as text, binary as binary.
 *
 * <p>A client that sends faster than it reads would make an echo buffer without bound, so a send answering
 * {@link SendStatus#BACKPRESSURE} pauses reading from that socket until its echoes drain: the
 * backpressure reaches the client through TCP, as with any echo over a stream.
 *
 * <p>Threading: stateless; the server calls it on each socket's loop, one callback at a time per socket.
 */
public final class EchoHandler implements WebSocketHandler {

    /** Creates the handler; one instance serves every socket. */
    public EchoHandler() {
    }

    @Override
    public void onText(ServerWebSocket socket, String text) {
        pauseIfBehind(socket, socket.sendText(text));
    }

    @Override
    public void onBinary(ServerWebSocket socket, ByteBuffer data) {
        pauseIfBehind(socket, socket.sendBinary(data));
    }

    @Override
    public void onDrain(ServerWebSocket socket) {
        socket.resumeReading();
    }

    private static void pauseIfBehind(ServerWebSocket socket, SendStatus status) {
        switch (status) {
            case BACKPRESSURE -> socket.pauseReading();
            case SUCCESS, DROPPED -> { }
        }
    }
}
