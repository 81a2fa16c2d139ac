package io.duplex.core;

import io.duplex.testkit.RawFrame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Test support: builds the raw frames a peer sends (masked when the peer is a client, as RFC 6455 5.1
 * requires, unless a case says otherwise), feeds them to a connection in given pieces, and renders what
 * came out as short strings that cases compare against.
 */
final class Wire {
    private Wire() {
    }

    /** A frame as a peer in {@code peerRole} would put it on the wire. */
    static byte[] frame(Role peerRole, int opcode, boolean fin, int rsv, byte[] payload) {
        RawFrame.Builder builder = RawFrame.builder(opcode).fin(fin).rsv(rsv).payload(payload);
        if (peerRole == Role.CLIENT) {
            builder.mask(0x37FA213D);
        } else {
            builder.unmasked();
        }
        return builder.build();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Feeds the pieces to the connection, then renders every event it reported. */
    static List<String> feed(WebSocketConnection connection, List<byte[]> pieces) {
        for (byte[] piece : pieces) {
            connection.receive(ByteBuffer.wrap(piece.clone()));
        }
        return drainEvents(connection);
    }

    static List<String> drainEvents(WebSocketConnection connection) {
        List<String> rendered = new ArrayList<>();
        for (Event e = connection.pollEvent(); e != null; e = connection.pollEvent()) {
            rendered.add(render(e));
        }
        return rendered;
    }

    /** Everything the connection queued for the wire, decoded by a fresh peer core of the other role. */
    static List<String> replies(WebSocketConnection connection) {
        Role peerRole = connection.role() == Role.SERVER ? Role.CLIENT : Role.SERVER;
        WebSocketConnection peer = WebSocketConnection.builder(peerRole)
                .limits(Limits.DEFAULT.withMaxPayload(1L << 30)).build();
        for (ByteBuffer out = connection.pollOutput(); out != null; out = connection.pollOutput()) {
            peer.receive(out);
        }
        return drainEvents(peer);
    }

    static String render(Event event) {
        return switch (event) {
            case Event.Text t -> "text:" + (t.text().length() > 40 ? "<" + t.text().length() + " chars>" : t.text());
            case Event.Binary b -> "binary:" + b.data().remaining() + " bytes";
            case Event.Fragment f -> "fragment:" + f.type() + ":" + f.payload().remaining() + (f.last() ? ":last" : "");
            case Event.Ping p -> "ping:" + hex(p.payload());
            case Event.Pong p -> "pong:" + hex(p.payload());
            case Event.CloseReceived c -> "close:" + c.status().code();
            case Event.Failure f -> "fail:" + f.cause().closeCode();
            case Event.Closed c -> "closed:" + c.status().code() + (c.wasClean() ? ":clean" : ":unclean");
        };
    }

    static String hex(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.get(b.position(), bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
