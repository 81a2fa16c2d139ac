package io.duplex.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.core.handshake.ClientHandshake;
import io.duplex.core.handshake.HttpHeadParser;
import io.duplex.core.handshake.HttpHeaders;
import io.duplex.core.handshake.HttpRequestHead;
import io.duplex.core.handshake.HttpResponseHead;
import io.duplex.core.handshake.ServerHandshake;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A whole session between a client core and a server core in memory, the way a transport drives them and
 * the README describes: opening handshake (with a frame arriving in the same read as the 101), messages
 * both ways, and the closing handshake with the transport signals.
 */
class InMemorySessionTest {

    /** Concatenates everything the connection queued, as one socket read on the other side would see it. */
    private static ByteBuffer drain(WebSocketConnection connection, ByteBuffer prefix) {
        ByteBuffer all = ByteBuffer.allocate(prefix.remaining() + (int) connection.pendingOutputBytes());
        all.put(prefix);
        for (ByteBuffer out = connection.pollOutput(); out != null; out = connection.pollOutput()) {
            all.put(out);
        }
        return all.flip();
    }

    @Test
    void clientAndServerCoresCompleteASession() throws Exception {
        ClientHandshake handshake = ClientHandshake.builder().host("127.0.0.1").port(9000).resource("/echo")
                .subprotocols(List.of("chat")).build();

        // Server: parse and validate the request, accept it, and greet in the same write as the 101.
        ByteBuffer serverRead = handshake.request();
        HttpRequestHead requestHead = HttpHeadParser.forRequests(Limits.DEFAULT).parse(serverRead).orElseThrow();
        ServerHandshake.Request request = ServerHandshake.validateRequest(requestHead);
        WebSocketConnection server = WebSocketConnection.builder(Role.SERVER).build();
        server.sendText("welcome");
        ByteBuffer clientRead = drain(server, ServerHandshake.acceptResponse(request, "chat", List.of(), HttpHeaders.empty()));

        // Client: the parser stops at the end of the head and leaves the frame for the connection.
        HttpResponseHead responseHead = HttpHeadParser.forResponses(Limits.DEFAULT).parse(clientRead).orElseThrow();
        assertThat(handshake.validateResponse(responseHead).subprotocol()).isEqualTo("chat");
        WebSocketConnection client = WebSocketConnection.builder(Role.CLIENT).build();
        client.receive(clientRead);
        assertThat(Wire.drainEvents(client)).containsExactly("text:welcome");

        // Echo a binary message through the server.
        client.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        server.receive(drain(client, ByteBuffer.allocate(0)));
        Event.Binary binary = (Event.Binary) server.pollEvent();
        server.sendBinary(binary.data());
        client.receive(drain(server, ByteBuffer.allocate(0)));
        assertThat(Wire.drainEvents(client)).containsExactly("binary:3 bytes");

        // Closing handshake: the client starts it, the server closes TCP first (RFC 6455 7.1.1).
        client.close(new CloseStatus(CloseStatus.NORMAL_CLOSURE, "done"));
        assertThat(client.closeExpected()).isTrue();
        server.receive(drain(client, ByteBuffer.allocate(0)));
        assertThat(Wire.drainEvents(server)).containsExactly("close:1000");
        client.receive(drain(server, ByteBuffer.allocate(0)));
        assertThat(server.transportShouldClose()).isTrue();
        server.receiveEof();
        client.receiveEof();
        assertThat(Wire.drainEvents(client)).containsExactly("close:1000", "closed:1000:clean");
        assertThat(Wire.drainEvents(server)).containsExactly("closed:1000:clean");
    }
}
