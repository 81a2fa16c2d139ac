package io.duplex.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.duplex.testkit.Bytes;
import io.duplex.testkit.RawFrame;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The one-line fuzz oracle, as properties: whatever bytes arrive, the core either accepts them or fails
 * with a documented close code (1002, 1007, 1009) and queues the matching close frame; it never throws,
 * never reports anything after a failure, and ends in CLOSED after end of stream.
 */
class HostileInputPropertiesTest {

    @Provide
    Arbitrary<byte[]> garbage() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(512);
    }

    @Property(tries = 500)
    void serverSurvivesRandomBytes(@ForAll("garbage") byte[] input, @ForAll @IntRange(min = 1, max = 64) int piece) {
        check(Role.SERVER, input, piece);
    }

    @Property(tries = 500)
    void clientSurvivesRandomBytes(@ForAll("garbage") byte[] input, @ForAll @IntRange(min = 1, max = 64) int piece) {
        check(Role.CLIENT, input, piece);
    }

    @Property(tries = 500)
    void serverSurvivesMutatedValidFrames(@ForAll long seed) {
        check(Role.SERVER, mutatedSequence(seed, 0x1234_5678), 1 + (int) Math.floorMod(seed, 40L));
    }

    @Property(tries = 500)
    void clientSurvivesMutatedValidFrames(@ForAll long seed) {
        check(Role.CLIENT, mutatedSequence(seed, null), 1 + (int) Math.floorMod(seed, 40L));
    }

    /** A plausible frame sequence with a few bytes flipped, so the fuzzing reaches past the first header. */
    private static byte[] mutatedSequence(long seed, Integer maskKey) {
        Random random = new Random(seed);
        byte[] sequence = Bytes.concat(
                RawFrame.text("héllo wörld", false, maskKey),
                RawFrame.ping(new byte[] {1, 2, 3}, maskKey),
                RawFrame.continuation(Bytes.utf8("—done"), true, maskKey),
                RawFrame.binary(Bytes.random(random, 200), true, maskKey),
                RawFrame.close(1000, "bye", maskKey));
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
            sequence[random.nextInt(sequence.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return sequence;
    }

    private static void check(Role role, byte[] input, int pieceSize) {
        WebSocketConnection connection = WebSocketConnection.builder(role).limits(Limits.DEFAULT.withMaxPayload(4096)).build();
        for (int at = 0; at < input.length; at += pieceSize) {
            connection.receive(ByteBuffer.wrap(input, at, Math.min(pieceSize, input.length - at)));
        }
        connection.receiveEof();
        List<String> events = Wire.drainEvents(connection);
        assertThat(events).last().asString().startsWith("closed:");
        assertThat(connection.state()).isEqualTo(WebSocketConnection.State.CLOSED);
        int failures = 0;
        for (int i = 0; i < events.size(); i++) {
            String event = events.get(i);
            if (event.startsWith("fail:")) {
                failures++;
                assertThat(event).isIn("fail:1002", "fail:1007", "fail:1009");
                assertThat(events.subList(i + 1, events.size())).as("nothing after a failure but the end")
                        .hasSize(1).allMatch(e -> e.equals("closed:" + event.substring(5) + ":unclean"));
                assertThat(Wire.replies(connection)).last().isEqualTo("close:" + event.substring(5));
            }
        }
        assertThat(failures).isLessThanOrEqualTo(1);
    }
}
