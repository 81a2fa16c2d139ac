package io.duplex.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.duplex.core.extension.Extension;
import io.duplex.core.extension.ExtensionOffer;
import io.duplex.core.frame.FrameWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The connection state machine through its public API: closing handshake and transport signals for each
 * role, masking direction, sending rules, streaming, extensions and the failure funnel. Wire-level input
 * cases live in {@link ProtocolCatalogueTest}.
 */
class WebSocketConnectionTest {

    private static WebSocketConnection client() {
        return WebSocketConnection.builder(Role.CLIENT).maskKeys(new SplittableRandom(1)).build();
    }

    private static WebSocketConnection server() {
        return WebSocketConnection.builder(Role.SERVER).build();
    }

    /** Moves everything {@code from} queued for the wire into {@code to}. */
    private static void transfer(WebSocketConnection from, WebSocketConnection to) {
        for (ByteBuffer out = from.pollOutput(); out != null; out = from.pollOutput()) {
            to.receive(out);
        }
    }

    private static List<ByteBuffer> output(WebSocketConnection connection) {
        List<ByteBuffer> frames = new ArrayList<>();
        for (ByteBuffer out = connection.pollOutput(); out != null; out = connection.pollOutput()) {
            frames.add(out);
        }
        return frames;
    }

    // ---------------------------------------------------------------- masking (RFC 6455 5.1, 5.3)

    @Test
    void clientMasksEveryFrameWithAFreshKey() {
        WebSocketConnection client = client();
        client.sendText("a");
        client.sendText("a");
        List<ByteBuffer> frames = output(client);
        assertThat(frames).allSatisfy(frame -> assertThat(frame.get(1) & 0x80).isEqualTo(0x80));
        assertThat(frames.get(0).getInt(2)).isNotEqualTo(frames.get(1).getInt(2));
    }

    @Test
    void serverNeverMasks() {
        WebSocketConnection server = server();
        server.sendText("a");
        assertThat(output(server).get(0).get(1) & 0x80).isZero();
    }

    @Test
    void serverReceivesUnmaskedFrameFailsWith1002() {
        WebSocketConnection server = server();
        server.receive(ByteBuffer.wrap(Wire.frame(Role.SERVER, 0x1, true, 0, Wire.utf8("hi"))));
        assertThat(Wire.drainEvents(server)).containsExactly("fail:1002");
        assertThat(Wire.replies(server)).containsExactly("close:1002");
    }

    @Test
    void clientReceivesMaskedFrameFailsWith1002() {
        WebSocketConnection client = client();
        client.receive(ByteBuffer.wrap(Wire.frame(Role.CLIENT, 0x1, true, 0, Wire.utf8("hi"))));
        assertThat(Wire.drainEvents(client)).containsExactly("fail:1002");
        assertThat(Wire.replies(client)).containsExactly("close:1002");
    }

    @Test
    void clientDoesNotMaskTheCallersBuffer() {
        WebSocketConnection client = client();
        ByteBuffer data = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5});
        client.sendBinary(data);
        assertThat(data.array()).containsExactly(1, 2, 3, 4, 5);
        assertThat(data.position()).isZero();
    }

    // ---------------------------------------------------------------- closing handshake (RFC 6455 7)

    @Test
    void clientInitiatedCloseCompletesAndServerClosesTransportFirst() {
        WebSocketConnection client = client();
        WebSocketConnection server = server();
        assertThat(client.close(new CloseStatus(1000, "bye"))).isTrue();
        assertThat(client.state()).isEqualTo(WebSocketConnection.State.CLOSING);
        assertThat(client.closeExpected()).as("client arms its close timer").isTrue();
        transfer(client, server);
        assertThat(Wire.drainEvents(server)).containsExactly("close:1000");
        assertThat(server.state()).isEqualTo(WebSocketConnection.State.CLOSED);
        assertThat(server.transportShouldClose()).as("RFC 6455 7.1.1: the server closes TCP first").isTrue();
        transfer(server, client);
        assertThat(Wire.drainEvents(client)).containsExactly("close:1000");
        assertThat(client.state()).isEqualTo(WebSocketConnection.State.CLOSED);
        assertThat(client.transportShouldClose()).as("the client waits for the server's TCP close").isFalse();
        assertThat(client.closeExpected()).isTrue();
        server.receiveEof();
        client.receiveEof();
        assertThat(Wire.drainEvents(server)).containsExactly("closed:1000:clean");
        assertThat(Wire.drainEvents(client)).containsExactly("closed:1000:clean");
        assertThat(client.closeExpected()).isFalse();
        assertThat(server.transportShouldClose()).isFalse();
    }

    @Test
    void serverInitiatedCloseCompletesAndServerClosesTransportFirst() {
        WebSocketConnection client = client();
        WebSocketConnection server = server();
        server.close(new CloseStatus(4001, "shutting down"));
        assertThat(server.closeExpected()).isTrue();
        assertThat(server.transportShouldClose()).isFalse();
        transfer(server, client);
        assertThat(Wire.drainEvents(client)).containsExactly("close:4001");
        assertThat(client.closeReceived()).isEqualTo(new CloseStatus(4001, "shutting down"));
        transfer(client, server);
        assertThat(Wire.drainEvents(server)).containsExactly("close:4001");
        assertThat(server.transportShouldClose()).isTrue();
        assertThat(client.transportShouldClose()).isFalse();
    }

    @Test
    void clientReceivesEofWithoutCloseReports1006Unclean() {
        WebSocketConnection client = client();
        client.receiveEof();
        assertThat(Wire.drainEvents(client)).containsExactly("closed:1006:unclean");
        assertThat(client.state()).isEqualTo(WebSocketConnection.State.CLOSED);
    }

    @Test
    void serverReceivesEofWithoutCloseReports1006Unclean() {
        WebSocketConnection server = server();
        server.close(CloseStatus.of(1000));
        server.receiveEof();
        assertThat(Wire.drainEvents(server)).containsExactly("closed:1006:unclean");
    }

    @Test
    void receiveEofTwiceReportsOnce() {
        WebSocketConnection server = server();
        server.receiveEof();
        server.receiveEof();
        assertThat(Wire.drainEvents(server)).containsExactly("closed:1006:unclean");
    }

    @Test
    void failureReportsCodeThenClosedUnclean() {
        WebSocketConnection server = server();
        server.receive(ByteBuffer.wrap(Wire.frame(Role.CLIENT, 0x3, true, 0, new byte[0])));
        assertThat(server.transportShouldClose()).as("RFC 6455 7.1.7: close TCP after a failure").isTrue();
        Event failure = server.pollEvent();
        assertThat(failure).isInstanceOfSatisfying(Event.Failure.class, f -> {
            assertThat(f.cause().closeCode()).isEqualTo(1002);
            assertThat(f.cause()).hasMessageContaining("reserved opcode 0x3");
        });
        server.receiveEof();
        assertThat(Wire.drainEvents(server)).containsExactly("closed:1002:unclean");
    }

    @Test
    void closeTwiceSendsOneCloseFrame() {
        WebSocketConnection server = server();
        assertThat(server.close(CloseStatus.of(1000))).isTrue();
        assertThat(server.close(CloseStatus.of(1001))).isFalse();
        assertThat(server.close()).isFalse();
        assertThat(output(server)).hasSize(1);
    }

    @Test
    void closeWithoutStatusSendsEmptyCloseFrameThatPeerReportsAs1005() {
        WebSocketConnection server = server();
        server.close();
        assertThat(Wire.replies(server)).containsExactly("close:1005");
    }

    @Test
    void closeRefusesCodesThatMayNotBeSent() {
        WebSocketConnection server = server();
        for (int code : new int[] {1004, 1005, 1006, 1015, 1016, 2000, 2999}) {
            assertThatThrownBy(() -> server.close(CloseStatus.of(code)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Integer.toString(code));
        }
        assertThat(server.state()).isEqualTo(WebSocketConnection.State.OPEN);
    }

    @Test
    void sendAfterCloseThrowsStateExceptionNotProtocolException() {
        WebSocketConnection client = client();
        client.close();
        assertThatThrownBy(() -> client.sendText("late")).isInstanceOf(WebSocketStateException.class)
                .hasMessageContaining("RFC 6455 5.5.1");
        assertThatThrownBy(() -> client.sendBinary(ByteBuffer.allocate(1))).isInstanceOf(WebSocketStateException.class);
        assertThatThrownBy(() -> client.sendPing(ByteBuffer.allocate(1))).isInstanceOf(WebSocketStateException.class);
    }

    @Test
    void serverDoesNotAnswerPingAfterSendingClose() {
        WebSocketConnection server = server();
        server.close(CloseStatus.of(1000));
        output(server);
        server.receive(ByteBuffer.wrap(Wire.frame(Role.CLIENT, 0x9, true, 0, new byte[] {7})));
        assertThat(Wire.drainEvents(server)).containsExactly("ping:07");
        assertThat(server.hasOutput()).isFalse();
    }

    @Test
    void clientProcessesMessagesWhileClosing() {
        WebSocketConnection client = client();
        client.close(CloseStatus.of(1000));
        client.receive(ByteBuffer.wrap(Wire.frame(Role.SERVER, 0x1, true, 0, Wire.utf8("in flight"))));
        assertThat(Wire.drainEvents(client)).containsExactly("text:in flight");
    }

    // ---------------------------------------------------------------- sending

    @Test
    void serverSendsPreEncodedFrameAsIsAndLeavesTheBufferUntouched() {
        WebSocketConnection server = server();
        ByteBuffer shared = FrameWriter.encode(true, 0, Opcode.TEXT,
                ByteBuffer.wrap(Wire.utf8("hello")), false, 0);
        server.sendPreEncoded(shared);
        server.sendPreEncoded(shared);

        assertThat(shared.position()).isZero();
        assertThat(server.pendingOutputBytes()).isEqualTo(2L * shared.remaining());
        assertThat(Wire.replies(server)).containsExactly("text:hello", "text:hello");
    }

    @Test
    void rfc6455_5_5_1_preEncodedFrameAfterCloseThrowsStateException() {
        WebSocketConnection server = server();
        server.close(CloseStatus.of(1000));
        ByteBuffer frame = FrameWriter.encode(true, 0, Opcode.BINARY,
                ByteBuffer.allocate(3), false, 0);
        assertThatThrownBy(() -> server.sendPreEncoded(frame)).isInstanceOf(WebSocketStateException.class)
                .hasMessageContaining("RFC 6455 5.5.1");
    }

    @Test
    void rfc6455_5_3_clientRefusesPreEncodedFrames() {
        ByteBuffer frame = FrameWriter.encode(true, 0, Opcode.BINARY,
                ByteBuffer.allocate(3), false, 0);
        assertThatThrownBy(() -> client().sendPreEncoded(frame)).isInstanceOf(WebSocketStateException.class)
                .hasMessageContaining("masking key");
    }

    @Test
    void preEncodedFrameMustBeAFinalUnmaskedDataFrame() {
        WebSocketConnection server = server();
        ByteBuffer ping = FrameWriter.encode(true, 0, Opcode.PING, ByteBuffer.allocate(0), false, 0);
        ByteBuffer masked = FrameWriter.encode(true, 0, Opcode.TEXT, ByteBuffer.allocate(0), true, 7);
        ByteBuffer partial = FrameWriter.encode(false, 0, Opcode.TEXT, ByteBuffer.allocate(0), false, 0);
        assertThatThrownBy(() -> server.sendPreEncoded(ping)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0x89");
        assertThatThrownBy(() -> server.sendPreEncoded(masked)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.sendPreEncoded(partial)).isInstanceOf(IllegalArgumentException.class);
        assertThat(server.hasOutput()).isFalse();
    }

    @Test
    void sendPingOver125BytesThrows() {
        WebSocketConnection server = server();
        assertThatThrownBy(() -> server.sendPing(ByteBuffer.allocate(126)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("126 bytes exceeds 125");
    }

    @Test
    void sendTextReplacesLoneSurrogatesWithReplacementCharacter() {
        WebSocketConnection client = client();
        WebSocketConnection server = server();
        client.sendText("a\uD800b\uDC00c\uD83D\uDE00");
        transfer(client, server);
        assertThat(Wire.drainEvents(server)).containsExactly("text:a\uFFFDb\uFFFDc\uD83D\uDE00");
    }

    @Test
    void sendTextFromUtf8BytesChecksThemAndLeavesTheBufferUntouched() {
        WebSocketConnection client = client();
        WebSocketConnection server = server();
        ByteBuffer utf8 = ByteBuffer.wrap(Utf8.encode("h\u00e9 \uD83D\uDE00"));
        server.sendText(utf8);
        assertThat(utf8.position()).isZero();
        transfer(server, client);
        assertThat(Wire.drainEvents(client)).containsExactly("text:h\u00e9 \uD83D\uDE00");
        // RFC 6455 8.1: invalid UTF-8 never reaches the wire, whole or cut inside a sequence.
        assertThatThrownBy(() -> server.sendText(ByteBuffer.wrap(new byte[] {'a', (byte) 0xC0, (byte) 0x80})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid UTF-8");
        assertThatThrownBy(() -> server.sendText(ByteBuffer.wrap(new byte[] {(byte) 0xE2, (byte) 0x82})))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(server.hasOutput()).isFalse();
        server.close();
        assertThatThrownBy(() -> server.sendText(ByteBuffer.wrap(new byte[] {'a'})))
                .isInstanceOf(WebSocketStateException.class);
    }

    @Test
    void trimKeepsWhatIsPendingAndTheConnectionWorksAfterIt() {
        WebSocketConnection client = client();
        WebSocketConnection server = server();
        client.sendText("one");
        transfer(client, server);
        server.sendText("reply");
        server.trim(); // an event and a frame are pending: nothing may be lost
        assertThat(server.hasEvents()).isTrue();
        assertThat(server.pendingOutputBytes()).isEqualTo(7);
        assertThat(Wire.drainEvents(server)).containsExactly("text:one");
        transfer(server, client);
        assertThat(Wire.drainEvents(client)).containsExactly("text:reply");
        server.trim(); // both queues empty now
        server.trim();
        assertThat(server.hasEvents()).isFalse();
        assertThat(server.hasOutput()).isFalse();
        client.sendText("two");
        transfer(client, server);
        server.sendText("again");
        transfer(server, client);
        assertThat(Wire.drainEvents(server)).containsExactly("text:two");
        assertThat(Wire.drainEvents(client)).containsExactly("text:again");
    }

    @Test
    void serverReceivesTextFromADirectBuffer() {
        // A transport's receive buffer is direct: text is copied out once, then validated and decoded.
        WebSocketConnection server = server();
        byte[] frames = io.duplex.testkit.Bytes.concat(
                io.duplex.testkit.RawFrame.text("caf\u00e9 ".repeat(100), true, 0x11223344),
                io.duplex.testkit.RawFrame.text("ok", true, 0x55667788));
        ByteBuffer direct = ByteBuffer.allocateDirect(frames.length + 8);
        direct.position(8);
        direct.put(frames).position(8);
        server.receive(direct);
        assertThat(server.pollEvent()).isEqualTo(new Event.Text("caf\u00e9 ".repeat(100)));
        assertThat(server.pollEvent()).isEqualTo(new Event.Text("ok"));
    }

    @Test
    void rfc6455_8_1_serverReceivesInvalidTextFromADirectBufferFailsWith1007AtTheFirstBadByte() {
        WebSocketConnection server = server();
        byte[] frame = io.duplex.testkit.RawFrame.builder(io.duplex.testkit.RawFrame.TEXT).mask(0x01020304)
                .payload(new byte[] {'a', 'b', 'c', (byte) 0xED, (byte) 0xA0, (byte) 0x80}).build();
        ByteBuffer direct = ByteBuffer.allocateDirect(frame.length).put(frame).flip();
        server.receive(direct);
        Event event = server.pollEvent();
        assertThat(event).isInstanceOf(Event.Failure.class);
        assertThat(((Event.Failure) event).cause().closeCode()).isEqualTo(1007);
        assertThat(((Event.Failure) event).cause().getMessage()).contains("at byte 4"); // ED A0: fails at A0
    }

    @Test
    void sendFragmentsUseContinuationFramesAndAllowInterleavedControlFrames() {
        WebSocketConnection client = client();
        WebSocketConnection server = server();
        client.sendFragment(Opcode.TEXT, ByteBuffer.wrap(new byte[] {(byte) 0xCE}), false);
        client.sendPing(ByteBuffer.allocate(0));
        client.sendFragment(Opcode.TEXT, ByteBuffer.wrap(new byte[] {(byte) 0xBA}), true);
        transfer(client, server);
        assertThat(Wire.drainEvents(server)).containsExactly("ping:", "text:κ");
    }

    @Test
    void sendWholeMessageInsideFragmentedMessageThrows() {
        WebSocketConnection client = client();
        client.sendFragment(Opcode.BINARY, ByteBuffer.allocate(1), false);
        assertThatThrownBy(() -> client.sendText("x")).isInstanceOf(WebSocketStateException.class);
        assertThatThrownBy(() -> client.sendFragment(Opcode.TEXT, ByteBuffer.allocate(1), true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sendInvalidUtf8FragmentThrows() {
        WebSocketConnection client = client();
        assertThatThrownBy(() -> client.sendFragment(Opcode.TEXT, ByteBuffer.wrap(new byte[] {(byte) 0xC0, (byte) 0xAF}), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> client.sendFragment(Opcode.TEXT, ByteBuffer.wrap(new byte[] {(byte) 0xCE}), true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(client.hasOutput()).isFalse();
    }

    @Test
    void pendingOutputBytesCountsQueuedFrames() {
        WebSocketConnection server = server();
        server.sendText("12345");
        assertThat(server.pendingOutputBytes()).isEqualTo(7);
        server.pollOutput();
        assertThat(server.pendingOutputBytes()).isZero();
    }

    // ---------------------------------------------------------------- streaming and limits

    @Test
    void serverReceivesStreamingFragmentsAsBytesArrive() {
        WebSocketConnection server = WebSocketConnection.builder(Role.SERVER).streaming(true).build();
        byte[] frame = Wire.frame(Role.CLIENT, 0x2, true, 0, new byte[10]);
        server.receive(ByteBuffer.wrap(frame, 0, 10));
        server.receive(ByteBuffer.wrap(frame, 10, frame.length - 10));
        assertThat(Wire.drainEvents(server)).containsExactly("fragment:BINARY:4", "fragment:BINARY:6:last");
    }

    @Test
    void clientReceivesTextOverMessageLimitFailsWith1009() {
        WebSocketConnection client = WebSocketConnection.builder(Role.CLIENT).limits(Limits.DEFAULT.withMaxPayload(4)).build();
        client.receive(ByteBuffer.wrap(Wire.frame(Role.SERVER, 0x1, true, 0, Wire.utf8("12345"))));
        Event event = client.pollEvent();
        assertThat(event).isInstanceOfSatisfying(Event.Failure.class, f ->
                assertThat(f.cause()).hasMessage("frame payload of 5 bytes exceeds limit 4"));
    }

    @Test
    void serverReceivesTextOverMessageLimitFailsWith1009() {
        WebSocketConnection server = WebSocketConnection.builder(Role.SERVER).limits(Limits.DEFAULT.withMaxMessageSize(4)).build();
        server.receive(ByteBuffer.wrap(Wire.frame(Role.CLIENT, 0x1, false, 0, Wire.utf8("123"))));
        server.receive(ByteBuffer.wrap(Wire.frame(Role.CLIENT, 0x0, true, 0, Wire.utf8("45"))));
        assertThat(Wire.drainEvents(server)).containsExactly("fail:1009");
        assertThat(Wire.replies(server)).containsExactly("close:1009");
    }

    // ---------------------------------------------------------------- extensions (RFC 6455 9)

    /** A test extension on RSV1 that doubles every byte when decoding and halves when encoding. */
    private static class Doubling implements Extension {
        @Override
        public String name() {
            return "x-doubling";
        }

        @Override
        public ExtensionOffer negotiated() {
            return ExtensionOffer.of(name());
        }

        @Override
        public int reservedBits() {
            return RSV1;
        }

        @Override
        public void decode(int rsv, ByteBuffer chunk, boolean fin, PayloadSink out) throws ProtocolException {
            ByteBuffer doubled = ByteBuffer.allocate(chunk.remaining() * 2);
            while (chunk.hasRemaining()) {
                byte b = chunk.get();
                doubled.put(b).put(b);
            }
            out.accept(doubled.flip());
        }

        @Override
        public Encoded encode(Opcode opcode, ByteBuffer payload, boolean first, boolean fin) {
            ByteBuffer halved = ByteBuffer.allocate(payload.remaining() / 2);
            for (int i = payload.position(); i + 1 < payload.limit(); i += 2) {
                halved.put(payload.get(i));
            }
            return new Encoded(first ? RSV1 : 0, halved.flip());
        }
    }

    @Test
    void extensionOwnsRsv1AndTransformsBothWays() {
        WebSocketConnection client = WebSocketConnection.builder(Role.CLIENT).extensions(List.of(new Doubling())).build();
        WebSocketConnection server = WebSocketConnection.builder(Role.SERVER).extensions(List.of(new Doubling())).build();
        client.sendText("aabbcc");
        ByteBuffer frame = client.pollOutput();
        assertThat(frame.get(0) & 0x70).as("RSV1 set by the extension").isEqualTo(0x40);
        assertThat(frame.get(1) & 0x7F).as("encoded payload length").isEqualTo(3);
        server.receive(frame);
        assertThat(Wire.drainEvents(server)).containsExactly("text:aabbcc");
    }

    @Test
    void serverReceivesRsv1OnPingWithExtensionFailsWith1002() {
        WebSocketConnection server = WebSocketConnection.builder(Role.SERVER).extensions(List.of(new Doubling())).build();
        server.receive(ByteBuffer.wrap(Wire.frame(Role.CLIENT, 0x9, true, 4, new byte[0])));
        assertThat(Wire.drainEvents(server)).containsExactly("fail:1002");
    }

    @Test
    void serverCountsMessageLimitAfterExtensionDecoding() {
        WebSocketConnection server = WebSocketConnection.builder(Role.SERVER).extensions(List.of(new Doubling()))
                .limits(Limits.DEFAULT.withMaxPayload(10)).build();
        server.receive(ByteBuffer.wrap(Wire.frame(Role.CLIENT, 0x2, true, 4, new byte[6])));
        Event event = server.pollEvent();
        assertThat(event).isInstanceOfSatisfying(Event.Failure.class, f -> {
            assertThat(f.cause().closeCode()).isEqualTo(1009);
            assertThat(f.cause()).hasMessage("message of at least 12 bytes exceeds limit 10");
        });
    }

    @Test
    void builderRefusesTwoExtensionsOnOneRsvBit() {
        assertThatThrownBy(() -> WebSocketConnection.builder(Role.SERVER).extensions(List.of(new Doubling(), new Doubling())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RSV bit");
    }

    @Test
    void clientReceivesBinaryMessageAsOwnedCopy() {
        WebSocketConnection client = client();
        byte[] frame = Wire.frame(Role.SERVER, 0x2, true, 0, "abc".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer in = ByteBuffer.wrap(frame);
        client.receive(in);
        java.util.Arrays.fill(frame, (byte) 0);
        Event.Binary binary = (Event.Binary) client.pollEvent();
        assertThat(StandardCharsets.US_ASCII.decode(binary.data()).toString()).isEqualTo("abc");
    }

    @Test
    void serverReportsExtensionThatThrowsAsInternalError1011() {
        Extension broken = new Doubling() {
            @Override
            public void decode(int rsv, ByteBuffer chunk, boolean fin, PayloadSink out) {
                throw new IllegalStateException("inflater exploded");
            }
        };
        WebSocketConnection server = WebSocketConnection.builder(Role.SERVER).extensions(List.of(broken)).build();
        server.receive(ByteBuffer.wrap(Wire.frame(Role.CLIENT, 0x2, true, 4, new byte[3])));
        Event event = server.pollEvent();
        assertThat(event).isInstanceOfSatisfying(Event.Failure.class, f -> {
            assertThat(f.cause().closeCode()).isEqualTo(1011);
            assertThat(f.cause().getCause()).hasMessage("inflater exploded");
        });
        assertThat(Wire.replies(server)).containsExactly("close:1011");
    }
}
