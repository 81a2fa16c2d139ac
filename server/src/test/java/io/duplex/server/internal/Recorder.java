package io.duplex.server.internal;

import io.duplex.core.Opcode;
import io.duplex.server.CloseInfo;
import io.duplex.server.ServerWebSocket;
import io.duplex.server.WebSocketHandler;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/** A handler that records its callbacks as short strings, and optionally acts on text messages. */
final class Recorder implements WebSocketHandler {

    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile ServerWebSocket socket;
    volatile CloseInfo closeInfo;
    volatile Throwable error;
    volatile BiConsumer<ServerWebSocket, String> onText = (ws, text) -> { };

    @Override
    public void onOpen(ServerWebSocket ws) {
        socket = ws;
        calls.add("open");
    }

    @Override
    public void onText(ServerWebSocket ws, String text) {
        calls.add("text:" + text);
        onText.accept(ws, text);
    }

    @Override
    public void onBinary(ServerWebSocket ws, ByteBuffer data) {
        calls.add("binary:" + data.remaining());
    }

    @Override
    public void onFragment(ServerWebSocket ws, Opcode type, ByteBuffer payload, boolean last) {
        calls.add("fragment:" + type + ":" + payload.remaining() + (last ? ":last" : ""));
    }

    @Override
    public void onPing(ServerWebSocket ws, ByteBuffer applicationData) {
        calls.add("ping");
    }

    @Override
    public void onPong(ServerWebSocket ws, ByteBuffer applicationData) {
        calls.add("pong");
    }

    @Override
    public void onDrain(ServerWebSocket ws) {
        calls.add("drain");
    }

    @Override
    public void onClose(ServerWebSocket ws, CloseInfo close) {
        closeInfo = close;
        calls.add("close:" + close.status().code() + ":" + close.cause() + (close.wasClean() ? ":clean" : ":unclean"));
    }

    @Override
    public void onError(ServerWebSocket ws, Throwable e) {
        error = e;
        calls.add("error:" + e.getClass().getSimpleName());
    }
}
