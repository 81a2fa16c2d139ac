package io.duplex.server.internal;

import io.duplex.core.Event;
import io.duplex.core.Limits;
import io.duplex.core.Role;
import io.duplex.core.WebSocketConnection;
import io.duplex.core.handshake.ClientHandshake;
import io.duplex.core.handshake.HandshakeException;
import io.duplex.core.handshake.HttpHeadParser;
import io.duplex.core.handshake.HttpResponseHead;
import io.duplex.server.BackpressurePolicy;
import io.duplex.server.HandlerExecution;
import io.duplex.server.OriginPolicy;
import io.duplex.server.PreparedMessage;
import io.duplex.server.UpgradeHook;
import io.duplex.server.WebSocketHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The client end of a {@link FakeConnection}: sends a handshake and frames built with a client-role core,
 * and decodes what the server wrote.
 */
final class FakePeer {

    final FakeLoop loop = new FakeLoop();
    final FakeConnection connection = new FakeConnection(loop);
    final ServerRuntime runtime;
    final WebSocketConnection client = WebSocketConnection.builder(Role.CLIENT)
            .limits(Limits.DEFAULT.withMaxPayload(64 << 20)).maskKeys(new SplittableRandom(7)).build();
    private HttpHeadParser<HttpResponseHead> responseParser = HttpHeadParser.forResponses(Limits.DEFAULT);
    HttpResponseHead response;
    String responseBody = "";

    FakePeer(ServerConfig config) {
        runtime = new ServerRuntime(config);
        connection.open(runtime.newConnection(false));
    }

    static RouteConfig route(String path, WebSocketHandler handler) {
        return route(path, handler, UpgradeHook.ACCEPT, Duration.ZERO, Duration.ZERO, HandlerExecution.EVENT_LOOP,
                1 << 20, BackpressurePolicy.BUFFER);
    }

    static RouteConfig route(String path, WebSocketHandler handler, UpgradeHook hook, Duration idle, Duration ping,
                             HandlerExecution execution, long limit, BackpressurePolicy policy) {
        return new RouteConfig(path, handler, hook, OriginPolicy.sameOrigin(), Limits.DEFAULT, false, execution,
                limit, policy, idle.toNanos(), ping.toNanos());
    }

    static ServerConfig config(RouteConfig... routes) {
        return new ServerConfig(List.of(routes), List.of(), Duration.ofSeconds(10), Duration.ofSeconds(5),
                FakePeer::frameOf);
    }

    /** The tests cannot reach PreparedMessage's package-private accessor; they do not send prepared messages. */
    private static ByteBuffer frameOf(PreparedMessage message) {
        throw new UnsupportedOperationException("not in these tests");
    }

    static ClientHandshake handshake(String resource) {
        return ClientHandshake.builder().host("127.0.0.1").port(8080).resource(resource).build();
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** Sends the upgrade request for {@code resource}; returns the response status. */
    int upgrade(String resource) {
        connection.receive(bytes(handshake(resource).request()));
        return readResponse();
    }

    /** Parses the response head from what the server wrote; the rest goes to the client core. */
    int readResponse() {
        ByteBuffer written = ByteBuffer.wrap(connection.takeWritten());
        try {
            response = responseParser.parse(written).orElseThrow(() -> new AssertionError("no complete response head"));
        } catch (HandshakeException e) {
            throw new AssertionError(e);
        }
        if (response.status() == 101) {
            client.receive(written);
        } else {
            responseBody = StandardCharsets.UTF_8.decode(written).toString();
        }
        return response.status();
    }

    /** Sends bytes the client core queued. */
    void flushClient() {
        ByteArrayBuilder out = new ByteArrayBuilder();
        for (ByteBuffer b; (b = client.pollOutput()) != null; ) {
            out.add(bytes(b));
        }
        if (out.size() > 0) {
            connection.receive(out.toArray());
        }
    }

    void sendText(String text) {
        client.sendText(text);
        flushClient();
    }

    /** What the client core makes of everything the server wrote since the last call. */
    List<String> events() {
        client.receive(ByteBuffer.wrap(connection.takeWritten()));
        List<String> out = new ArrayList<>();
        for (Event e; (e = client.pollEvent()) != null; ) {
            out.add(switch (e) {
                case Event.Text t -> "text:" + t.text();
                case Event.Binary b -> "binary:" + b.data().remaining();
                case Event.Fragment f -> "fragment";
                case Event.Ping p -> "ping";
                case Event.Pong p -> "pong";
                case Event.CloseReceived c -> "close:" + c.status().code();
                case Event.Failure f -> "fail:" + f.cause().closeCode();
                case Event.Closed c -> "closed:" + c.status().code();
            });
        }
        return out;
    }

    /** A growable byte array. */
    static final class ByteArrayBuilder {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        void add(byte[] bytes) {
            out.writeBytes(bytes);
        }

        int size() {
            return out.size();
        }

        byte[] toArray() {
            return out.toByteArray();
        }
    }
}
