package io.duplex.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Round-trip properties: random messages, sent whole or in random fragments with control frames
 * interleaved, with random masking keys, come out of the receiving core as the same events, however the
 * wire bytes are split into reads. Both directions: client core to server core and back.
 */
class RoundTripPropertiesTest {

    /** One thing to send: a message (in fragments of the given sizes) or a ping. */
    record Item(boolean text, boolean ping, byte[] payload, String string, List<Integer> fragmentSizes) {
        String expected() {
            if (ping) {
                return "ping:" + java.util.HexFormat.of().formatHex(payload);
            }
            return text ? "text:" + (string.length() > 40 ? "<" + string.length() + " chars>" : string)
                    : "binary:" + payload.length + " bytes";
        }
    }

    @Provide
    Arbitrary<Item> items() {
        Arbitrary<String> strings = Arbitraries.strings().all().ofMaxLength(300)
                .map(s -> new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)); // well-formed only
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(70_000)
                .edgeCases(config -> config.add(new byte[0]));
        Arbitrary<List<Integer>> splits = Arbitraries.integers().between(0, 200).list().ofMaxSize(4);
        Arbitrary<Item> text = Combinators.combine(strings, splits)
                .as((s, f) -> new Item(true, false, s.getBytes(StandardCharsets.UTF_8), s, f));
        Arbitrary<Item> binary = Combinators.combine(bytes, splits).as((b, f) -> new Item(false, false, b, null, f));
        Arbitrary<Item> ping = Arbitraries.bytes().array(byte[].class).ofMaxSize(125)
                .map(b -> new Item(false, true, b, null, List.of()));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, text), net.jqwik.api.Tuple.of(2, binary), net.jqwik.api.Tuple.of(1, ping));
    }

    @Property(tries = 150)
    void clientToServerRoundTrip(@ForAll("itemLists") List<Item> items, @ForAll long seed) {
        roundTrip(Role.CLIENT, items, seed);
    }

    @Property(tries = 150)
    void serverToClientRoundTrip(@ForAll("itemLists") List<Item> items, @ForAll long seed) {
        roundTrip(Role.SERVER, items, seed);
    }

    @Provide
    Arbitrary<List<Item>> itemLists() {
        return items().list().ofMaxSize(8);
    }

    private static void roundTrip(Role senderRole, List<Item> items, long seed) {
        Role receiverRole = senderRole == Role.CLIENT ? Role.SERVER : Role.CLIENT;
        Limits limits = Limits.DEFAULT.withMaxPayload(1 << 24);
        WebSocketConnection sender = WebSocketConnection.builder(senderRole).maskKeys(new SplittableRandom(seed)).build();
        WebSocketConnection receiver = WebSocketConnection.builder(receiverRole).limits(limits).build();
        List<String> expected = new ArrayList<>();
        for (Item item : items) {
            expected.addAll(send(sender, item));
        }
        sender.close(CloseStatus.of(1000));
        expected.add("close:1000");

        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (ByteBuffer out = sender.pollOutput(); out != null; out = sender.pollOutput()) {
            byte[] bytes = new byte[out.remaining()];
            out.get(bytes);
            wire.writeBytes(bytes);
        }
        byte[] all = wire.toByteArray();
        Random random = new Random(seed);
        int at = 0;
        while (at < all.length) {
            int piece = Math.min(all.length - at, 1 + random.nextInt(random.nextBoolean() ? 16 : 8192));
            receiver.receive(ByteBuffer.wrap(all, at, piece).slice());
            at += piece;
        }
        assertThat(Wire.drainEvents(receiver)).containsExactlyElementsOf(expected);
    }

    /** Sends the item and returns the events the receiver should report for it. */
    private static List<String> send(WebSocketConnection sender, Item item) {
        List<String> expected = new ArrayList<>();
        if (item.ping()) {
            sender.sendPing(ByteBuffer.wrap(item.payload()));
            expected.add(item.expected());
            return expected;
        }
        Opcode type = item.text() ? Opcode.TEXT : Opcode.BINARY;
        if (item.fragmentSizes().isEmpty()) {
            if (item.text()) {
                sender.sendText(item.string());
            } else {
                sender.sendBinary(ByteBuffer.wrap(item.payload()));
            }
            expected.add(item.expected());
            return expected;
        }
        byte[] payload = item.payload();
        int at = 0;
        for (int size : item.fragmentSizes()) {
            int length = Math.min(size, payload.length - at);
            sender.sendFragment(type, ByteBuffer.wrap(payload, at, length), false);
            sender.sendPong(ByteBuffer.wrap(new byte[] {1}));
            expected.add("pong:01");
            at += length;
        }
        sender.sendFragment(type, ByteBuffer.wrap(payload, at, payload.length - at), true);
        expected.add(item.expected());
        return expected;
    }
}
