package io.duplex.cli.internal;

import io.duplex.server.CloseInfo;
import io.duplex.server.PreparedMessage;
import io.duplex.server.ServerWebSocket;
import io.duplex.server.WebSocketHandler;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The load test's broadcast endpoint ({@code duplex serve --echo --bench-broadcast}, path
 * {@value #PATH}): every message received on the route is framed once as a {@link PreparedMessage} and
 * sent to every socket open on the route, the sender included (the load generator's publisher counts its
 * own copy as the sign that the server has handed the message to everyone).
 *
 * <p>No backpressure of its own: the route's default policy buffers for a slow subscriber, and the load
 * generator bounds how many messages its publisher has outstanding.
 *
 * <p>Threading: one instance serves every socket of the route, whose callbacks may run on several event
 * loops at once, so the set of sockets is concurrent; sending to a socket of another loop is safe
 * ({@link ServerWebSocket} hands it to that loop).
 */
public final class BroadcastHandler implements WebSocketHandler {

    /** The path of the broadcast route. */
    public static final String PATH = "/broadcast";

    private final Set<ServerWebSocket> sockets = ConcurrentHashMap.newKeySet();

    /** Creates the handler, with no sockets yet. */
    public BroadcastHandler() {
    }

    @Override
    public void onOpen(ServerWebSocket socket) {
        sockets.add(socket);
    }

    @Override
    public void onText(ServerWebSocket socket, String text) {
        publish(PreparedMessage.text(text));
    }

    @Override
    public void onBinary(ServerWebSocket socket, ByteBuffer data) {
        publish(PreparedMessage.binary(data));
    }

    @Override
    public void onClose(ServerWebSocket socket, CloseInfo close) {
        sockets.remove(socket);
    }

    /** The number of sockets open on the route. */
    public int size() {
        return sockets.size();
    }

    private void publish(PreparedMessage message) {
        for (ServerWebSocket socket : sockets) {
            socket.send(message);
        }
    }
}
